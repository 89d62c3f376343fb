/**
 * The UDP flow collector (`sakimori collect flows`, and `serve` when flows.listen is set):
 * sockets on IPv4 and IPv6 with large receive buffers, every datagram decoded at once into the
 * current batch, batches written to flows_raw when full and every `flushMs` (a killed collector
 * loses at most that much), by one writer so that inserts never pile up; while the writer is
 * behind, a bounded queue of batches waits and datagrams beyond it are dropped and counted.
 *
 * Templates persist: the decoding's snapshot is saved to the state store every `saveSeconds`
 * and at stop, and the decoding is made from the saved one at start (warm restart). Exporter
 * statistics are saved with it.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { EventsStore, StateStore } from '../../store/types.js';
import type { CidrSet } from '../../net/cidr-set.js';
import { formatIp, parseIpUnmapped } from '../../net/ip.js';
import { messageOf } from '../../errors.js';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters, FLOW_SKIP_REASONS } from '../flow-skips.js';
import type { FlowDecoding, MakeFlowDecoding } from '../flow-decoding.js';
import { writeFlows } from '../store/write-flows.js';
import { ExporterStats } from './exporter-stats.js';
import { saveExporterDeltas } from './exporter-store.js';
import { loadTemplates, saveTemplates } from './template-store.js';
import { collectMetrics, type CollectMetrics } from './collect-metrics.js';
import { parseListenAddress, type ListenAddress } from './listen-address.js';

export interface CollectorDeps {
  readonly events: EventsStore;
  readonly state: StateStore;
  /** Makes the decoding from the saved snapshot (flows/decoders.ts). */
  readonly makeDecoding: MakeFlowDecoding;
  readonly internal?: CidrSet | null;
  readonly metrics?: Registry;
  /** Where problems are told (a failed write, a failed save); default: stderr. */
  readonly warn?: (message: string) => void;
}

export interface CollectorOptions {
  readonly listen: readonly string[];
  readonly keepDays: number;
  readonly aggregateKeepDays: number;
  readonly batchSize: number;
  readonly flushMs: number;
  readonly receiveBufferBytes: number;
  readonly saveSeconds: number;
  /** Full batches waiting for the writer before datagrams are dropped (default 4). */
  readonly maxQueuedBatches?: number;
}

export interface CollectorCounters {
  datagrams: number;
  /** Datagrams the decoder gave nothing for (a skip reason is counted). */
  undecodable: number;
  /** Datagrams dropped because the writer was behind. */
  dropped: number;
  records: number;
  stored: number;
  /** Records lost to failed writes. */
  writeFailed: number;
  /** Datagrams on which the decoder threw (a bug: decoders count bad input instead). */
  decoderErrors: number;
  /** Seconds spent writing batches (the writer's capacity is stored / writeSeconds). */
  writeSeconds: number;
}

export interface BoundSocket extends ListenAddress {
  /** The port bound (the one asked for, or the one the system chose for port 0). */
  readonly boundPort: number;
  /** SO_RCVBUF granted (the kernel caps what was asked at net.core.rmem_max). */
  readonly receiveBufferBytes: number;
}

/** The source address as text, IPv4-mapped addresses as IPv4 (a dual-stack socket reports them so). */
function exporterText(address: string): string {
  const p = parseIpUnmapped(address);
  return p ? formatIp(p) : address;
}

export class FlowCollector {
  readonly stats = new ExporterStats();
  readonly skips = new FlowSkipCounters();
  readonly counters: CollectorCounters = { datagrams: 0, undecodable: 0, dropped: 0, records: 0, stored: 0, writeFailed: 0, decoderErrors: 0, writeSeconds: 0 };
  readonly sockets: BoundSocket[] = [];
  private readonly open: Socket[] = [];
  private batch: FlowBatch;
  private readonly pool: FlowBatch[] = [];
  private readonly queue: FlowBatch[] = [];
  private writing: Promise<void> | null = null;
  private readonly runId = `collect:${Date.now().toString(36)}:${randomBytes(4).toString('hex')}`;
  private seq = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly metrics: CollectMetrics | undefined;
  private readonly skipsSeen = new Float64Array(FLOW_SKIP_REASONS.length);
  private readonly maxQueued: number;

  private constructor(private readonly deps: CollectorDeps, private readonly opts: CollectorOptions, readonly decoding: FlowDecoding) {
    this.batch = new FlowBatch(Math.min(opts.batchSize, 65_536));
    this.metrics = deps.metrics ? collectMetrics(deps.metrics) : undefined;
    this.maxQueued = opts.maxQueuedBatches ?? 4;
  }

  /** Restores the templates, binds every address and starts the timers. */
  static async start(deps: CollectorDeps, opts: CollectorOptions): Promise<FlowCollector> {
    const addresses = opts.listen.map(parseListenAddress);
    const decoding = deps.makeDecoding(await loadTemplates(deps.state), Date.now);
    const c = new FlowCollector(deps, opts, decoding);
    try {
      for (const a of addresses) await c.bind(a);
    } catch (e) {
      await c.closeSockets();
      throw e;
    }
    c.flushTimer = setInterval(() => c.tick(), opts.flushMs);
    c.saveTimer = setInterval(() => { void c.save(); }, opts.saveSeconds * 1000);
    c.flushTimer.unref();
    c.saveTimer.unref();
    return c;
  }

  private async bind(a: ListenAddress): Promise<void> {
    const socket = createSocket({ type: a.type, recvBufferSize: this.opts.receiveBufferBytes });
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.receive(msg, rinfo));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(a.port, a.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (e) => this.warn(`flow collector socket ${a.host}:${a.port}: ${messageOf(e)}`));
    this.open.push(socket);
    // The buffer is set when the socket is created, before bind: read back what the kernel granted.
    let granted = 0;
    try {
      granted = socket.getRecvBufferSize();
    } catch {
      granted = 0;
    }
    this.sockets.push({ ...a, boundPort: socket.address().port, receiveBufferBytes: granted });
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.stopped) return;
    this.counters.datagrams++;
    if (this.queue.length >= this.maxQueued && this.batch.length >= this.opts.batchSize) {
      this.counters.dropped++;
      this.metrics?.dropped.inc({ reason: 'queue-full' });
      return;
    }
    const now = Date.now();
    const exporter = exporterText(rinfo.address);
    let s;
    try {
      s = this.decoding.decode(msg, { exporter, port: rinfo.port, receivedAtMs: now }, this.batch, this.skips);
    } catch (e) {
      // Decoders never throw on bad input; one that does must not take the server down with it.
      s = null;
      if (this.counters.decoderErrors++ === 0) this.warn(`flow collector: the decoder failed on a datagram from ${exporter} (counted as undecodable): ${messageOf(e)}`);
    }
    if (!s) {
      this.counters.undecodable++;
      this.metrics?.dropped.inc({ reason: 'undecodable' });
    } else {
      this.counters.records += s.records;
      this.stats.observe(s, exporter, now);
      this.metrics?.datagrams.inc({ protocol: s.protocol });
      this.metrics?.records.inc(s.records);
    }
    // With the queue full the batch stays full, and the datagrams after it are dropped above.
    if (this.batch.length >= this.opts.batchSize && this.queue.length < this.maxQueued) this.rotate();
  }

  /** Hands the current batch to the writer (if it has records). */
  private rotate(): void {
    if (this.batch.length === 0) return;
    this.queue.push(this.batch);
    this.batch = this.pool.pop() ?? new FlowBatch(Math.min(this.opts.batchSize, 65_536));
    this.kick();
  }

  /** Starts the writer unless it runs; it starts again for batches queued as it ended. */
  private kick(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let b = this.queue[0]; b; b = this.queue[0]) {
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
      this.counters.writeSeconds += (performance.now() - t0) / 1000;
      if (ok) {
        this.counters.stored += n;
        this.metrics?.stored.inc(n);
      } else {
        this.counters.writeFailed += n;
        this.metrics?.dropped.inc({ reason: 'write-failed' }, n);
      }
      this.queue.shift();
      b.reset();
      this.pool.push(b);
      // A batch that filled while the queue was full goes next.
      if (this.batch.length >= this.opts.batchSize) this.rotate();
    }
  }

  private tick(): void {
    if (this.queue.length < this.maxQueued) this.rotate();
    this.decoding.expireHeld?.(this.batch, this.skips);
    this.countSkips();
  }

  private countSkips(): void {
    if (!this.metrics) return;
    this.skips.counts.forEach((n, i) => {
      const d = n - (this.skipsSeen[i] ?? 0);
      if (d > 0) this.metrics?.dropped.inc({ reason: FLOW_SKIP_REASONS[i] ?? 'unknown' }, d);
      this.skipsSeen[i] = n;
    });
  }

  /** Writes what has been received so far and waits until it is stored. */
  async flush(): Promise<void> {
    this.rotate();
    while (this.writing) await this.writing;
  }

  /** Saves the templates and the exporter statistics (one save at a time). */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      try {
        await saveTemplates(this.deps.state, this.decoding.snapshot());
        await saveExporterDeltas(this.deps.state, this.stats.takeDeltas(Date.now()), this.decoding.templateCount?.bind(this.decoding));
      } catch (e) {
        this.warn(`flow collector: templates and exporter statistics not saved: ${messageOf(e)}`);
      }
    });
    return this.saving;
  }

  /** Stops listening, stores what was received and saves the templates. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearInterval(this.saveTimer);
    await this.closeSockets();
    await this.flush();
    this.countSkips();
    await this.save();
  }

  private async closeSockets(): Promise<void> {
    await Promise.all(this.open.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private warn(message: string): void {
    (this.deps.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }
}
