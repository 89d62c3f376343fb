/**
 * NetFlow v5 export datagrams (Cisco's format: a 24-byte header and up to 30 records of 48
 * bytes, big-endian), to drive the collector, `ingest flows` and the benchmark with real-format
 * input. Times are given absolute and written relative to the exporter's uptime, as routers do.
 */
import { parseIPv4 } from '../../../net/ip.js';

export const NETFLOW5_HEADER = 24;
export const NETFLOW5_RECORD = 48;
export const NETFLOW5_MAX_RECORDS = 30;

export interface Netflow5Header {
  /** Export time, ms since the epoch (unix_secs + unix_nsecs). */
  readonly exportMs: number;
  /** The exporter's uptime at export, ms (sysUptime). */
  readonly uptimeMs: number;
  /** Flows exported before this datagram (flow_sequence, wraps at 2^32). */
  readonly sequence: number;
  readonly engineType?: number;
  readonly engineId?: number;
  /** 1-in-N packet sampling (0 or 1: none); mode bits 01 (deterministic) are set when N > 1. */
  readonly sampling?: number;
}

export interface Netflow5Record {
  readonly src: string;
  readonly dst: string;
  readonly nextHop?: string;
  readonly inIf?: number;
  readonly outIf?: number;
  readonly packets: number;
  readonly octets: number;
  /** Absolute ms since the epoch; must fall within the exporter's uptime. */
  readonly startMs: number;
  readonly endMs: number;
  readonly sport: number;
  readonly dport: number;
  readonly tcpFlags?: number;
  readonly proto: number;
  readonly tos?: number;
  readonly srcAs?: number;
  readonly dstAs?: number;
}

function v4(text: string): number {
  const v = parseIPv4(text);
  if (v < 0) throw new RangeError(`not an IPv4 address: ${text}`);
  return v >>> 0;
}

/** Writes the header into `out` (at least 24 bytes) for `count` records. */
export function writeNetflow5Header(out: DataView, h: Netflow5Header, count: number): void {
  out.setUint16(0, 5);
  out.setUint16(2, count);
  out.setUint32(4, h.uptimeMs >>> 0);
  out.setUint32(8, Math.floor(h.exportMs / 1000) >>> 0);
  out.setUint32(12, (h.exportMs % 1000) * 1_000_000);
  out.setUint32(16, h.sequence >>> 0);
  out.setUint8(20, h.engineType ?? 0);
  out.setUint8(21, h.engineId ?? 0);
  const n = h.sampling ?? 0;
  out.setUint16(22, n > 1 ? 0x4000 | (n & 0x3fff) : 0);
}

/** Writes record `k` of a datagram whose header says `h`. */
export function writeNetflow5Record(out: DataView, k: number, h: Netflow5Header, r: Netflow5Record): void {
  const o = NETFLOW5_HEADER + k * NETFLOW5_RECORD;
  const bootMs = h.exportMs - h.uptimeMs;
  out.setUint32(o, v4(r.src));
  out.setUint32(o + 4, v4(r.dst));
  out.setUint32(o + 8, r.nextHop ? v4(r.nextHop) : 0);
  out.setUint16(o + 12, r.inIf ?? 0);
  out.setUint16(o + 14, r.outIf ?? 0);
  out.setUint32(o + 16, r.packets >>> 0);
  out.setUint32(o + 20, r.octets >>> 0);
  out.setUint32(o + 24, (r.startMs - bootMs) >>> 0);
  out.setUint32(o + 28, (r.endMs - bootMs) >>> 0);
  out.setUint16(o + 32, r.sport);
  out.setUint16(o + 34, r.dport);
  out.setUint8(o + 36, 0);
  out.setUint8(o + 37, r.tcpFlags ?? 0);
  out.setUint8(o + 38, r.proto);
  out.setUint8(o + 39, r.tos ?? 0);
  out.setUint16(o + 40, r.srcAs ?? 0);
  out.setUint16(o + 42, r.dstAs ?? 0);
  out.setUint8(o + 44, 0);
  out.setUint8(o + 45, 0);
  out.setUint16(o + 46, 0);
}

/** One datagram of up to 30 records. */
export function encodeNetflow5(h: Netflow5Header, records: readonly Netflow5Record[]): Uint8Array {
  if (records.length > NETFLOW5_MAX_RECORDS) throw new RangeError(`a NetFlow v5 datagram holds at most ${NETFLOW5_MAX_RECORDS} records`);
  const buf = new Uint8Array(NETFLOW5_HEADER + records.length * NETFLOW5_RECORD);
  const view = new DataView(buf.buffer);
  writeNetflow5Header(view, h, records.length);
  records.forEach((r, k) => writeNetflow5Record(view, k, h, r));
  return buf;
}

/**
 * An exporter's stream of datagrams: records split 30 to a datagram, the flow sequence carried
 * on as a router does (the flows exported before each datagram).
 */
export class Netflow5Exporter {
  private sequence: number;

  constructor(private readonly opts: { bootMs: number; engineType?: number; engineId?: number; sampling?: number; sequence?: number }) {
    this.sequence = opts.sequence ?? 0;
  }

  get nextSequence(): number {
    return this.sequence;
  }

  datagrams(records: readonly Netflow5Record[], exportMs: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let k = 0; k < records.length; k += NETFLOW5_MAX_RECORDS) {
      const part = records.slice(k, k + NETFLOW5_MAX_RECORDS);
      out.push(encodeNetflow5({ exportMs, uptimeMs: exportMs - this.opts.bootMs, sequence: this.sequence, engineType: this.opts.engineType ?? 0, engineId: this.opts.engineId ?? 0, sampling: this.opts.sampling ?? 0 }, part));
      this.sequence = (this.sequence + part.length) >>> 0;
    }
    return out;
  }
}
