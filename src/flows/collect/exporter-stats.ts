/**
 * Per exporter, observation domain and protocol: datagrams, records, records lost, restarts,
 * sampling rates seen, records/s and last seen, from each datagram's summary (datagram.ts).
 *
 * Loss follows each protocol's sequence number (`DatagramSummary.sequenceUnit`): NetFlow v5 and
 * IPFIX count records before the datagram, NetFlow v9 and sFlow count datagrams; `lost` is in
 * that unit (`lostUnit`). Sequence numbers wrap at 2^32, so distances are taken modulo 2^32:
 * - ahead of where the sequence should be, by at most `maxGap`: those are lost;
 * - behind it by at most `lateWindow` while as much is counted lost: a late (reordered)
 *   datagram, which fills its part of an earlier gap;
 * - anything else (a jump, or a sequence that starts again low): the exporter restarted or
 *   reset its counters; counted as a restart, never as a huge loss, and followed from there.
 * A duplicated datagram looks late and may hide as much loss; exporters rarely send them.
 */
import type { DatagramSummary, ExportProtocol } from '../datagram.js';

const WRAP = 4294967296;
const HALF = 2147483648;
const MAX_RATES = 16;
/** Records/s is measured over windows of this length. */
const RATE_WINDOW_MS = 10_000;

export interface SequenceLimits {
  readonly maxGap: { readonly records: number; readonly datagrams: number };
  readonly lateWindow: { readonly records: number; readonly datagrams: number };
}

export const DEFAULT_SEQUENCE_LIMITS: SequenceLimits = {
  maxGap: { records: 5_000_000, datagrams: 200_000 },
  lateWindow: { records: 100_000, datagrams: 1_000 },
};

export interface ExporterRow {
  readonly exporter: string;
  readonly domain: number;
  readonly protocol: ExportProtocol;
  readonly datagrams: number;
  readonly records: number;
  readonly lost: number;
  readonly lostUnit: 'records' | 'datagrams';
  readonly restarts: number;
  readonly samplingRates: readonly number[];
  readonly recordsPerSecond: number;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Where the sequence should be next (null: the protocol carries none). */
  readonly nextSequence: number | null;
}

class Entry {
  datagrams = 0;
  records = 0;
  lost = 0;
  restarts = 0;
  next: number | null = null;
  unit: 'records' | 'datagrams' = 'records';
  readonly rates = new Set<number>();
  firstSeenMs: number;
  lastSeenMs: number;
  windowStartMs: number;
  windowRecords = 0;
  recordsPerSecond = 0;
  /** What was last handed to the state store (takeDeltas). */
  saved = { datagrams: 0, records: 0, lost: 0, restarts: 0 };

  constructor(readonly exporter: string, readonly domain: number, readonly protocol: ExportProtocol, atMs: number) {
    this.firstSeenMs = atMs;
    this.lastSeenMs = atMs;
    this.windowStartMs = atMs;
  }
}

export class ExporterStats {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: SequenceLimits = DEFAULT_SEQUENCE_LIMITS) {}

  /** Counts one decoded datagram; `exporter` is the source address (sFlow's agent address in the summary wins). */
  observe(s: DatagramSummary, exporter: string, atMs: number): void {
    const address = s.agent || exporter;
    const key = `${s.protocol}|${address}|${s.domain}`;
    let e = this.entries.get(key);
    if (!e) {
      e = new Entry(address, s.domain, s.protocol, atMs);
      this.entries.set(key, e);
    }
    e.datagrams++;
    e.records += s.records;
    if (atMs > e.lastSeenMs) e.lastSeenMs = atMs;
    for (const r of s.samplingRates) if (e.rates.size < MAX_RATES || e.rates.has(r)) e.rates.add(r);
    this.sequence(e, s);
    e.windowRecords += s.records;
    const span = atMs - e.windowStartMs;
    if (span >= RATE_WINDOW_MS) {
      e.recordsPerSecond = (e.windowRecords * 1000) / span;
      e.windowStartMs = atMs;
      e.windowRecords = 0;
    }
  }

  private sequence(e: Entry, s: DatagramSummary): void {
    if (s.sequence === null) return;
    e.unit = s.sequenceUnit;
    const seq = s.sequence >>> 0;
    const after = (seq + s.sequenceCount) % WRAP;
    if (e.next === null) {
      e.next = after;
      return;
    }
    const ahead = (seq - e.next + WRAP) % WRAP;
    if (ahead === 0) {
      e.next = after;
      return;
    }
    const unit = s.sequenceUnit;
    if (ahead < HALF) {
      if (ahead <= this.limits.maxGap[unit]) e.lost += ahead;
      else e.restarts++;
      e.next = after;
      return;
    }
    const behind = WRAP - ahead;
    if (behind <= this.limits.lateWindow[unit] && e.lost >= s.sequenceCount) {
      e.lost -= s.sequenceCount;
      return;
    }
    e.restarts++;
    e.next = after;
  }

  rows(nowMs?: number): ExporterRow[] {
    return [...this.entries.values()].map((e) => this.row(e, nowMs));
  }

  private row(e: Entry, nowMs?: number): ExporterRow {
    // Before the first full window, the rate so far.
    const span = (nowMs ?? e.lastSeenMs) - e.windowStartMs;
    const rps = e.recordsPerSecond > 0 || span <= 0 ? e.recordsPerSecond : (e.windowRecords * 1000) / span;
    return {
      exporter: e.exporter, domain: e.domain, protocol: e.protocol, datagrams: e.datagrams, records: e.records, lost: e.lost, lostUnit: e.unit,
      restarts: e.restarts, samplingRates: [...e.rates].sort((a, b) => a - b), recordsPerSecond: rps, firstSeenMs: e.firstSeenMs,
      lastSeenMs: e.lastSeenMs, nextSequence: e.next,
    };
  }

  /**
   * The rows with their counters since the last call (added to the stored ones by
   * exporter-store.ts, so that several collectors and ingests may report one exporter).
   */
  takeDeltas(nowMs?: number): ExporterRow[] {
    const out: ExporterRow[] = [];
    for (const e of this.entries.values()) {
      const r = this.row(e, nowMs);
      const d = { datagrams: e.datagrams - e.saved.datagrams, records: e.records - e.saved.records, lost: e.lost - e.saved.lost, restarts: e.restarts - e.saved.restarts };
      if (d.datagrams === 0 && d.lost === 0) continue;
      e.saved = { datagrams: e.datagrams, records: e.records, lost: e.lost, restarts: e.restarts };
      out.push({ ...r, ...d });
    }
    return out;
  }
}
