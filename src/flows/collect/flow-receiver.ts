/**
 * The receiving half of the collector: UDP sockets with large receive buffers, every datagram
 * decoded at once into the current FlowBatch, the exporter statistics and the template cache
 * (inside the decoding). Batches are handed over when full and on each `tick()`; it never waits
 * for whoever takes them. It runs in the collector's worker thread (receiver-worker.ts), so that
 * inserts, GC and state saves on the main thread never stall a socket, or in the main thread
 * when a test injects its decoding as a function (collector.ts).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { formatIp, parseIpUnmapped } from '../../net/ip.js';
import { messageOf } from '../../errors.js';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import type { ExportProtocol } from '../datagram.js';
import type { FlowDecoding } from '../flow-decoding.js';
import { ExporterStats, type ExporterRow } from './exporter-stats.js';
import { parseListenAddress, type ListenAddress } from './listen-address.js';

export interface BoundSocket extends ListenAddress {
  /** The port bound (the one asked for, or the one the system chose for port 0). */
  readonly boundPort: number;
  /** SO_RCVBUF granted as the kernel reports it (Linux caps the request at net.core.rmem_max and reports twice that). */
  readonly receiveBufferBytes: number;
}

export interface ReceiverOptions {
  readonly listen: readonly string[];
  readonly receiveBufferBytes: number;
  /** A batch is handed over as soon as it holds this many records. */
  readonly batchSize: number;
}

/** What the receiver has counted since it started (plain data: posted between threads). */
export interface ReceiverCounters {
  datagrams: number;
  /** Datagrams the decoder gave nothing for (a skip reason is counted). */
  undecodable: number;
  records: number;
  /** Datagrams on which the decoder threw (a bug: decoders count bad input instead). */
  decoderErrors: number;
  /** Decoded datagrams per protocol. */
  byProtocol: Partial<Record<ExportProtocol, number>>;
  /** FlowSkipCounters' counts, by FLOW_SKIP_REASONS index. */
  skips: number[];
  /** Seconds spent decoding datagrams (the receive stage's cost; the benchmark reports it per stage). */
  decodeSeconds: number;
  /** Seconds spent handing batches over (posting them to the main thread). */
  handOverSeconds: number;
}

/** What the state store keeps of a receiver: the template cache and the exporter statistics since the last save. */
export interface ReceiverState {
  readonly snapshot: unknown;
  readonly exporters: ExporterRow[];
  /** Templates known for each of `exporters` (same order). */
  readonly templates: number[];
}

/** Takes a batch and how many datagrams filled it; gives it back with `recycle` when done. */
export type HandOver = (batch: FlowBatch, datagrams: number) => void;

/** Recycled batches kept for reuse (more are let go). */
const POOL = 8;

/** The source address as text, IPv4-mapped addresses as IPv4 (a dual-stack socket reports them so). */
function exporterText(address: string): string {
  const p = parseIpUnmapped(address);
  return p ? formatIp(p) : address;
}

/** Exporters are few and send thousands of datagrams a second: their text is looked up, not parsed each time. */
const EXPORTERS_CACHED = 4096;

export function emptyReceiverCounters(): ReceiverCounters {
  return { datagrams: 0, undecodable: 0, records: 0, decoderErrors: 0, byProtocol: {}, skips: [], decodeSeconds: 0, handOverSeconds: 0 };
}

export class FlowReceiver {
  readonly stats = new ExporterStats();
  readonly skips = new FlowSkipCounters();
  readonly sockets: BoundSocket[] = [];
  private readonly counts = emptyReceiverCounters();
  private readonly open: Socket[] = [];
  private batch: FlowBatch;
  private batchDatagrams = 0;
  private readonly pool: FlowBatch[] = [];
  private closed = false;
  private readonly exporters = new Map<string, string>();

  constructor(
    readonly decoding: FlowDecoding,
    private readonly opts: ReceiverOptions,
    private readonly handOver: HandOver,
    private readonly warn: (message: string) => void,
  ) {
    this.batch = this.fresh();
  }

  /** Binds every listen address; on a failure closes what was bound and throws. */
  async bind(): Promise<void> {
    const addresses = this.opts.listen.map(parseListenAddress);
    try {
      for (const a of addresses) await this.bindOne(a);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  private async bindOne(a: ListenAddress): Promise<void> {
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
    if (this.closed) return;
    const c = this.counts;
    c.datagrams++;
    const t0 = performance.now();
    const now = Date.now();
    let exporter = this.exporters.get(rinfo.address);
    if (exporter === undefined) {
      if (this.exporters.size >= EXPORTERS_CACHED) this.exporters.clear();
      exporter = exporterText(rinfo.address);
      this.exporters.set(rinfo.address, exporter);
    }
    let s;
    try {
      s = this.decoding.decode(msg, { exporter, port: rinfo.port, receivedAtMs: now }, this.batch, this.skips);
    } catch (e) {
      // Decoders never throw on bad input; one that does must not take the collector down with it.
      s = null;
      if (c.decoderErrors++ === 0) this.warn(`flow collector: the decoder failed on a datagram from ${exporter} (counted as undecodable): ${messageOf(e)}`);
    }
    if (!s) c.undecodable++;
    else {
      c.records += s.records;
      c.byProtocol[s.protocol] = (c.byProtocol[s.protocol] ?? 0) + 1;
      this.stats.observe(s, exporter, now);
      this.batchDatagrams++;
    }
    c.decodeSeconds += (performance.now() - t0) / 1000;
    if (this.batch.length >= this.opts.batchSize) this.handOverNow();
  }

  /** Hands the current batch over if it has records, and starts another. */
  handOverNow(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    const n = this.batchDatagrams;
    this.batch = this.fresh();
    this.batchDatagrams = 0;
    const t0 = performance.now();
    this.handOver(b, n);
    this.counts.handOverSeconds += (performance.now() - t0) / 1000;
  }

  /** About every 200 ms: held data past its time (decoded if its template came), then the batch so far. */
  tick(): void {
    this.decoding.expireHeld?.(this.batch, this.skips);
    this.handOverNow();
  }

  /** A batch handed over earlier, no longer used by the taker. */
  recycle(b: FlowBatch): void {
    b.reset();
    if (this.pool.length < POOL) this.pool.push(b);
  }

  private fresh(): FlowBatch {
    return this.pool.pop() ?? new FlowBatch(Math.min(this.opts.batchSize, 65_536));
  }

  counters(): ReceiverCounters {
    const c = this.counts;
    return { ...c, byProtocol: { ...c.byProtocol }, skips: Array.from(this.skips.counts) };
  }

  /** The template cache and the exporter statistics since the last call (for the state store). */
  takeState(nowMs = Date.now()): ReceiverState {
    const exporters = this.stats.takeDeltas(nowMs);
    const count = this.decoding.templateCount?.bind(this.decoding);
    return { snapshot: this.decoding.snapshot(), exporters, templates: exporters.map((r) => count?.(r.exporter, r.domain) ?? 0) };
  }

  /** Stops receiving (datagrams still in flight are ignored); the current batch stays for `handOverNow`. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.open.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
