/**
 * The UDP flow collector (`sakimori collect flows`, and `serve` when flows.listen is set).
 *
 * Receiving and decoding run in a worker thread (receiver-worker.ts) that owns the sockets, their
 * large receive buffers, the template cache and the exporter statistics; it hands batches over
 * when full and every `postMs` (≤ 200 ms) by transferring their column buffers. This thread
 * only writes: batches wait in a bounded queue and are written to flows_raw, several small ones
 * merged into one insert, when `batchSize` records wait and every `flushMs` (a killed collector
 * loses at most that much plus one `postMs`), by one writer so that inserts never pile up. An
 * insert, a GC pause or a state save here never stalls a socket: when the writer falls so far
 * behind that the queue is full, whole batches are dropped and counted (`collector-overflow`)
 * instead of datagrams being lost unseen in the kernel.
 *
 * Templates persist: the decoding's snapshot is saved to the state store every `saveSeconds`
 * and at stop, and the decoding is made from the saved one at start (warm restart). Exporter
 * statistics are saved with it. A receiving thread that dies is started again from the snapshot
 * saved last (restarting-receiver.ts). A decoding given as a function (tests) runs in this thread.
 */
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { EventsStore, StateStore } from '../../store/types.js';
import type { CidrSet } from '../../net/cidr-set.js';
import { messageOf } from '../../errors.js';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters, FLOW_SKIP_REASONS } from '../flow-skips.js';
import type { MakeFlowDecoding } from '../flow-decoding.js';
import type { ExportProtocol } from '../datagram.js';
import { writeFlows } from '../store/write-flows.js';
import { saveExporterDeltas } from './exporter-store.js';
import { loadTemplates, saveTemplates } from './template-store.js';
import { collectMetrics, type CollectMetrics } from './collect-metrics.js';
import { parseListenAddress } from './listen-address.js';
import type { DecodingModule } from './decoding-module.js';
import type { BoundSocket, ReceiverCounters, ReceiverState } from './flow-receiver.js';
import { startThreadReceiver, startWorkerReceiver, type ReceiverHandle } from './receiver-handle.js';
import { restartingReceiver } from './restarting-receiver.js';

export type { BoundSocket } from './flow-receiver.js';

interface CollectorStores {
  readonly events: EventsStore;
  readonly state: StateStore;
  readonly internal?: CidrSet | null;
  readonly metrics?: Registry;
  /** Where problems are told (a failed write, a failed save); default: stderr. */
  readonly warn?: (message: string) => void;
}

/**
 * The decoding: named by its module (`decodingModule`: made in the worker thread, the way
 * `serve` and `collect flows` run) or given as a function (`makeDecoding`: made and run in this
 * thread, so a test may wrap or inspect it).
 */
export type CollectorDeps = CollectorStores &
  ({ readonly decodingModule: DecodingModule; readonly makeDecoding?: never } | { readonly makeDecoding: MakeFlowDecoding; readonly decodingModule?: never });

export interface CollectorOptions {
  readonly listen: readonly string[];
  readonly keepDays: number;
  readonly aggregateKeepDays: number;
  readonly batchSize: number;
  readonly flushMs: number;
  readonly receiveBufferBytes: number;
  readonly saveSeconds: number;
  /** Batches of `batchSize` records that may wait beside the one being written before batches are dropped (default 4). */
  readonly maxQueuedBatches?: number;
  /** How often the receiver hands over what it has (default the smaller of flushMs and 200 ms). */
  readonly postMs?: number;
  /** Nice value of the receiving thread (worker only; none: unchanged). */
  readonly receiverNice?: number;
}

export interface CollectorCounters {
  datagrams: number;
  /** Datagrams the decoder gave nothing for (a skip reason is counted). */
  undecodable: number;
  /** Datagrams dropped because the writer was behind and the queue full (`collector-overflow`). */
  dropped: number;
  /** Records in those datagrams. */
  droppedRecords: number;
  /** Records decoded. */
  records: number;
  stored: number;
  /** Records lost to failed writes. */
  writeFailed: number;
  /** Datagrams on which the decoder threw (a bug: decoders count bad input instead). */
  decoderErrors: number;
  /** Seconds spent writing batches (the writer's capacity is stored / writeSeconds). */
  writeSeconds: number;
  /** Seconds the receiver spent decoding, and handing batches over (the benchmark's stages). */
  decodeSeconds: number;
  handOverSeconds: number;
  /** Seconds the receiver's thread was busy in all (receiving, decoding, handing over; in this thread: everything). */
  receiverBusySeconds: number;
}

/** A batch waiting for the writer, with the datagrams it came from (counted if it is dropped). */
interface Queued {
  readonly batch: FlowBatch;
  readonly datagrams: number;
}

export class FlowCollector {
  private receiver!: ReceiverHandle;
  private readonly own = { dropped: 0, droppedRecords: 0, stored: 0, writeFailed: 0, writeSeconds: 0 };
  private readonly queue: Queued[] = [];
  private queuedRecords = 0;
  /** One batch the writer merges small batches into (reused). */
  private merged: FlowBatch | null = null;
  private writing: Promise<void> | null = null;
  /** Write what waits even below batchSize (the flush timer, flush(), stop()). */
  private flushDue = false;
  private readonly runId = `collect:${Date.now().toString(36)}:${randomBytes(4).toString('hex')}`;
  private seq = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly metrics: CollectMetrics | undefined;
  /** Receiver counters already added to the metrics. */
  private seen: ReceiverCounters | null = null;
  private readonly maxQueuedRecords: number;
  private overflowToldMs = -Infinity;

  private constructor(private readonly deps: CollectorDeps, private readonly opts: CollectorOptions) {
    this.metrics = deps.metrics ? collectMetrics(deps.metrics) : undefined;
    this.maxQueuedRecords = (opts.maxQueuedBatches ?? 4) * opts.batchSize;
  }

  /** Restores the templates, binds every address (in the receiver) and starts the timers. */
  static async start(deps: CollectorDeps, opts: CollectorOptions): Promise<FlowCollector> {
    // Bad addresses are refused here, before a thread is started for them.
    opts.listen.forEach(parseListenAddress);
    const snapshot = await loadTemplates(deps.state);
    const c = new FlowCollector(deps, opts);
    const postMs = opts.postMs ?? Math.min(opts.flushMs, 200);
    const ropts = { listen: opts.listen, receiveBufferBytes: opts.receiveBufferBytes, batchSize: opts.batchSize };
    const ev = { onBatch: (b: FlowBatch, datagrams: number) => c.accept(b, datagrams), warn: (m: string) => c.warn(m) };
    const ref = deps.decodingModule;
    c.receiver = ref
      ? await restartingReceiver((snap, listen, onEnd) => startWorkerReceiver(ref, snap, { ...ropts, listen }, postMs, { ...ev, onEnd }, opts.receiverNice), snapshot, opts.listen, ev.warn)
      : await startThreadReceiver(deps.makeDecoding, snapshot, ropts, postMs, ev);
    c.flushTimer = setInterval(() => c.tick(), opts.flushMs);
    c.saveTimer = setInterval(() => { void c.save(); }, opts.saveSeconds * 1000);
    c.flushTimer.unref();
    c.saveTimer.unref();
    return c;
  }

  get sockets(): readonly BoundSocket[] {
    return this.receiver.sockets;
  }

  get counters(): Readonly<CollectorCounters> {
    const r = this.receiver.counters();
    return {
      datagrams: r.datagrams, undecodable: r.undecodable, records: r.records, decoderErrors: r.decoderErrors, ...this.own,
      decodeSeconds: r.decodeSeconds, handOverSeconds: r.handOverSeconds, receiverBusySeconds: this.receiver.busyMs() / 1000,
    };
  }

  /** Skip reasons counted by the decoders. */
  get skips(): FlowSkipCounters {
    const s = new FlowSkipCounters();
    this.receiver.counters().skips.forEach((n, i) => s.add(i, n));
    return s;
  }

  /** A batch from the receiver: queued, or dropped and counted when the queue is full. */
  private accept(batch: FlowBatch, datagrams: number): void {
    const n = batch.length;
    // An empty queue takes a batch of whatever size.
    if (this.queuedRecords > 0 && this.queuedRecords + n > this.maxQueuedRecords) {
      this.own.dropped += datagrams;
      this.own.droppedRecords += n;
      this.metrics?.dropped.inc({ reason: 'collector-overflow' }, datagrams);
      // Said once a minute at most: a store that stays behind would otherwise flood the log.
      const now = Date.now();
      if (now - this.overflowToldMs >= 60_000) {
        this.overflowToldMs = now;
        this.warn(`flow collector: the store is behind; batches are dropped and counted (collector-overflow): ${this.own.droppedRecords} records so far`);
      }
      this.receiver.recycle(batch);
      return;
    }
    this.queue.push({ batch, datagrams });
    this.queuedRecords += n;
    if (this.queuedRecords >= this.opts.batchSize) this.kick();
  }

  /** Starts the writer unless it runs; it starts again for batches queued as it ended. */
  private kick(): void {
    if (this.writing || this.queue.length === 0) return;
    if (!this.flushDue && this.queuedRecords < this.opts.batchSize) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      this.kick();
    });
  }

  /**
   * The next insert: whole batches from the head of the queue, up to batchSize records (at least
   * one batch); `merged` when several were copied into this thread's own batch.
   */
  private take(): { batch: FlowBatch; merged: boolean } {
    const first = this.queue.shift();
    if (!first) throw new Error('flow collector: nothing queued');
    this.queuedRecords -= first.batch.length;
    const next = this.queue[0];
    if (!next || first.batch.length + next.batch.length > this.opts.batchSize) return { batch: first.batch, merged: false };
    // Small batches (the receiver hands over every postMs) become one insert: fewer, larger parts.
    const m = this.merged ?? new FlowBatch(this.opts.batchSize);
    this.merged = null;
    m.reset();
    m.append(first.batch);
    this.receiver.recycle(first.batch);
    for (let q = this.queue[0]; q && m.length + q.batch.length <= this.opts.batchSize; q = this.queue[0]) {
      this.queue.shift();
      this.queuedRecords -= q.batch.length;
      m.append(q.batch);
      this.receiver.recycle(q.batch);
    }
    return { batch: m, merged: true };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && (this.flushDue || this.queuedRecords >= this.opts.batchSize)) {
      const { batch, merged } = this.take();
      if (this.queue.length === 0) this.flushDue = false;
      await this.write(batch);
      if (merged) this.merged = batch;
      else this.receiver.recycle(batch);
    }
  }

  private async write(b: FlowBatch): Promise<void> {
    const n = b.length;
    const token = `${this.runId}:${this.seq++}`;
    const storedAtMs = Date.now();
    const t0 = performance.now();
    let ok = false;
    // A failed insert is tried again with the same token and time: stored once either way.
    for (let attempt = 0; attempt < 3 && !ok; attempt++) {
      try {
        await writeFlows(this.deps.events, b, { token, storedAtMs, keepDays: this.opts.keepDays, aggregateKeepDays: this.opts.aggregateKeepDays, internal: this.deps.internal ?? null });
        ok = true;
      } catch (e) {
        if (attempt === 2) this.warn(`flow collector: ${n} records not stored: ${messageOf(e)}`);
        else await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
    this.own.writeSeconds += (performance.now() - t0) / 1000;
    if (ok) {
      this.own.stored += n;
      this.metrics?.stored.inc(n);
    } else {
      this.own.writeFailed += n;
      this.metrics?.dropped.inc({ reason: 'write-failed' }, n);
    }
  }

  private tick(): void {
    this.flushDue = true;
    this.kick();
    this.countMetrics();
  }

  /** Adds what the receiver counted since the last call to the metrics. */
  private countMetrics(): void {
    if (!this.metrics) return;
    const now = this.receiver.counters();
    const was = this.seen;
    this.seen = now;
    const m = this.metrics;
    const d = (a: number, b: number | undefined): number => Math.max(0, a - (b ?? 0));
    for (const [p, n] of Object.entries(now.byProtocol) as [ExportProtocol, number][]) {
      const k = d(n, was?.byProtocol[p]);
      if (k > 0) m.datagrams.inc({ protocol: p }, k);
    }
    const records = d(now.records, was?.records);
    if (records > 0) m.records.inc(records);
    const undecodable = d(now.undecodable, was?.undecodable);
    if (undecodable > 0) m.dropped.inc({ reason: 'undecodable' }, undecodable);
    now.skips.forEach((n, i) => {
      const k = d(n, was?.skips[i]);
      if (k > 0) m.dropped.inc({ reason: FLOW_SKIP_REASONS[i] ?? 'unknown' }, k);
    });
  }

  /** Writes what has been received so far and waits until it is stored. */
  async flush(): Promise<void> {
    await this.receiver.flush();
    await this.writeAll();
  }

  private async writeAll(): Promise<void> {
    this.flushDue = true;
    this.kick();
    while (this.writing) await this.writing;
  }

  /** Saves the templates and the exporter statistics (one save at a time). */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      try {
        await this.saveState(await this.receiver.state());
      } catch (e) {
        this.warn(`flow collector: templates and exporter statistics not saved: ${messageOf(e)}`);
      }
    });
    return this.saving;
  }

  private async saveState(s: ReceiverState): Promise<void> {
    await saveTemplates(this.deps.state, s.snapshot);
    const templates = new Map(s.exporters.map((r, i) => [`${r.exporter}|${r.domain}`, s.templates[i] ?? 0]));
    await saveExporterDeltas(this.deps.state, s.exporters, (exporter, domain) => templates.get(`${exporter}|${domain}`) ?? 0);
  }

  /** Stops listening, stores what was received and saves the templates. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearInterval(this.saveTimer);
    let last: ReceiverState | null = null;
    try {
      last = await this.receiver.stop();
    } catch (e) {
      this.warn(`flow collector: the receiver did not stop cleanly: ${messageOf(e)}`);
    }
    await this.writeAll();
    this.countMetrics();
    await this.saving;
    if (last) {
      try {
        await this.saveState(last);
      } catch (e) {
        this.warn(`flow collector: templates and exporter statistics not saved: ${messageOf(e)}`);
      }
    }
  }

  private warn(message: string): void {
    (this.deps.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }
}
