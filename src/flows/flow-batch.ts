/**
 * A columnar batch of flow records: one typed array per field, filled in place by a decoder
 * (NetFlow v5/v9, IPFIX, sFlow, or a flow file reader). No per-flow JS object on the hot path;
 * a batch is reused after the writer has taken it (`reset`).
 *
 * Addresses are 16 bytes in network order (IPv4 as IPv4-mapped IPv6, ::ffff:a.b.c.d), ClickHouse's
 * `IPv6` layout; counters are as exported (never scaled: `sampling` says by how much to scale at
 * query time). See docs/flows.md.
 */
import { requireLittleEndian } from '../util/little-endian.js';
import { formatIPv4, formatIPv6Bytes } from '../net/ip.js';

requireLittleEndian('the flow batch');

/** Where a record came from (the `kind` column). */
export const FLOW_KIND = { netflow5: 1, netflow9: 2, ipfix: 3, sflow5: 4, argus: 5, zeek: 6, nfdump: 7 } as const;
export type FlowKind = keyof typeof FLOW_KIND;
export const FLOW_KIND_NAMES: readonly FlowKind[] = Object.keys(FLOW_KIND) as FlowKind[];

/** A record as plain values: for tests, golden comparisons and small outputs, never the hot path. */
export interface FlowRecordView {
  kind: FlowKind;
  exporter: string;
  domain: number;
  startMs: number;
  endMs: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: number;
  tcpFlags: number;
  octets: number;
  packets: number;
  reverseOctets: number;
  reversePackets: number;
  sampling: number;
  inIf: number;
  outIf: number;
  srcAs: number;
  dstAs: number;
}

/** 16 address bytes as text: IPv4-mapped addresses as a dotted quad, others per RFC 5952. */
export function addressText(b: Uint8Array, off: number): string {
  let mapped = b[off + 10] === 0xff && b[off + 11] === 0xff;
  for (let k = 0; mapped && k < 10; k++) if (b[off + k] !== 0) mapped = false;
  if (!mapped) return formatIPv6Bytes(b, off);
  return formatIPv4((((b[off + 12] as number) << 24) | ((b[off + 13] as number) << 16) | ((b[off + 14] as number) << 8) | (b[off + 15] as number)) >>> 0);
}

export class FlowBatch {
  capacity: number;
  length = 0;
  kind!: Uint8Array;
  /** Exporter address (16 bytes per record) and observation domain / source id / sFlow agent sub-id. */
  exporter16!: Uint8Array;
  domain!: Uint32Array;
  /** Milliseconds since the Unix epoch (absolute: decoders convert sysUptime-relative times). */
  startMs!: Float64Array;
  endMs!: Float64Array;
  /** 4 or 6. */
  family!: Uint8Array;
  src16!: Uint8Array;
  dst16!: Uint8Array;
  sport!: Uint16Array;
  dport!: Uint16Array;
  proto!: Uint8Array;
  /** Cumulative TCP flags (OR of all packets' flags) as exported; 0 if none. */
  tcpFlags!: Uint8Array;
  /** 64-bit counters as doubles (exact below 2^53). */
  octets!: Float64Array;
  packets!: Float64Array;
  /** RFC 5103 reverse counters of a biflow (Argus and Zeek conversations too); 0 otherwise. */
  revOctets!: Float64Array;
  revPackets!: Float64Array;
  /** 1-in-N packet sampling in force for this record; 1 = unsampled. Never 0 (decoders count and fix). */
  sampling!: Uint32Array;
  inIf!: Uint32Array;
  outIf!: Uint32Array;
  srcAs!: Uint32Array;
  dstAs!: Uint32Array;

  constructor(capacity = 8192) {
    this.capacity = capacity;
    this.allocate(capacity);
  }

  private allocate(cap: number): void {
    const old = this.length > 0 ? this.columns() : null;
    this.kind = new Uint8Array(cap);
    this.exporter16 = new Uint8Array(cap * 16);
    this.domain = new Uint32Array(cap);
    this.startMs = new Float64Array(cap);
    this.endMs = new Float64Array(cap);
    this.family = new Uint8Array(cap);
    this.src16 = new Uint8Array(cap * 16);
    this.dst16 = new Uint8Array(cap * 16);
    this.sport = new Uint16Array(cap);
    this.dport = new Uint16Array(cap);
    this.proto = new Uint8Array(cap);
    this.tcpFlags = new Uint8Array(cap);
    this.octets = new Float64Array(cap);
    this.packets = new Float64Array(cap);
    this.revOctets = new Float64Array(cap);
    this.revPackets = new Float64Array(cap);
    this.sampling = new Uint32Array(cap);
    this.inIf = new Uint32Array(cap);
    this.outIf = new Uint32Array(cap);
    this.srcAs = new Uint32Array(cap);
    this.dstAs = new Uint32Array(cap);
    this.capacity = cap;
    if (old) {
      const now = this.columns();
      for (let c = 0; c < now.length; c++) (now[c] as Uint8Array).set(old[c] as Uint8Array);
    }
  }

  /** Every column, in a fixed order (for copying and clearing). */
  columns(): ArrayBufferView[] {
    return [this.kind, this.exporter16, this.domain, this.startMs, this.endMs, this.family, this.src16, this.dst16, this.sport, this.dport, this.proto,
      this.tcpFlags, this.octets, this.packets, this.revOctets, this.revPackets, this.sampling, this.inIf, this.outIf, this.srcAs, this.dstAs];
  }

  /**
   * The columns' buffers in `columns()` order, to transfer to another thread without copying
   * (postMessage's transfer list); the batch is unusable in this thread afterwards.
   */
  buffers(): ArrayBuffer[] {
    return this.columns().map((c) => c.buffer as ArrayBuffer);
  }

  /** A batch over buffers from `buffers()` (transferred from another thread), holding `length` records. */
  static over(buffers: readonly ArrayBuffer[], length: number): FlowBatch {
    const b = new FlowBatch(0);
    const at = (k: number): ArrayBuffer => {
      const x = buffers[k];
      if (!(x instanceof ArrayBuffer)) throw new Error(`flow batch: column ${k} missing`);
      return x;
    };
    const cap = at(0).byteLength;
    b.kind = new Uint8Array(at(0));
    b.exporter16 = new Uint8Array(at(1));
    b.domain = new Uint32Array(at(2));
    b.startMs = new Float64Array(at(3));
    b.endMs = new Float64Array(at(4));
    b.family = new Uint8Array(at(5));
    b.src16 = new Uint8Array(at(6));
    b.dst16 = new Uint8Array(at(7));
    b.sport = new Uint16Array(at(8));
    b.dport = new Uint16Array(at(9));
    b.proto = new Uint8Array(at(10));
    b.tcpFlags = new Uint8Array(at(11));
    b.octets = new Float64Array(at(12));
    b.packets = new Float64Array(at(13));
    b.revOctets = new Float64Array(at(14));
    b.revPackets = new Float64Array(at(15));
    b.sampling = new Uint32Array(at(16));
    b.inIf = new Uint32Array(at(17));
    b.outIf = new Uint32Array(at(18));
    b.srcAs = new Uint32Array(at(19));
    b.dstAs = new Uint32Array(at(20));
    // Every column must hold `cap` records: a wrong buffer would shift records between fields.
    const per = new FlowBatch(1).columns().map((c) => c.byteLength);
    b.columns().forEach((c, k) => {
      if (c.byteLength !== cap * (per[k] ?? 0)) throw new Error(`flow batch: column ${k} holds ${c.byteLength} bytes, not ${cap * (per[k] ?? 0)}`);
    });
    if (length < 0 || length > cap) throw new Error(`flow batch: ${length} records do not fit ${cap}`);
    b.capacity = cap;
    b.length = length;
    return b;
  }

  /** Appends the records of `other` (growing as needed): several small batches become one insert. */
  append(other: FlowBatch): void {
    const n = other.length;
    if (n === 0) return;
    let cap = this.capacity || 1;
    while (this.length + n > cap) cap *= 2;
    if (cap !== this.capacity) this.allocate(cap);
    const mine = this.columns();
    const theirs = other.columns();
    for (let c = 0; c < mine.length; c++) {
      const to = mine[c] as Uint8Array;
      const from = theirs[c] as Uint8Array;
      // Same element type on both sides: elements per record is the column's length over capacity.
      const per = to.length / this.capacity;
      to.set(from.subarray(0, n * per), this.length * per);
    }
    this.length += n;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /**
   * Starts a record at index `length` with every field zeroed (sampling 1) and returns its index;
   * `commit()` keeps it. A decoder that gives up on a record simply does not commit. Grows the
   * batch when full (a datagram's records always fit).
   */
  begin(): number {
    if (this.length >= this.capacity) this.allocate(this.capacity * 2);
    const i = this.length;
    this.kind[i] = 0;
    this.exporter16.fill(0, i * 16, i * 16 + 16);
    this.domain[i] = 0;
    this.startMs[i] = 0;
    this.endMs[i] = 0;
    this.family[i] = 0;
    this.src16.fill(0, i * 16, i * 16 + 16);
    this.dst16.fill(0, i * 16, i * 16 + 16);
    this.sport[i] = 0;
    this.dport[i] = 0;
    this.proto[i] = 0;
    this.tcpFlags[i] = 0;
    this.octets[i] = 0;
    this.packets[i] = 0;
    this.revOctets[i] = 0;
    this.revPackets[i] = 0;
    this.sampling[i] = 1;
    this.inIf[i] = 0;
    this.outIf[i] = 0;
    this.srcAs[i] = 0;
    this.dstAs[i] = 0;
    return i;
  }

  commit(): void {
    this.length++;
  }

  reset(): void {
    this.length = 0;
  }

  /** Writes an IPv4 address (a 32-bit number) as IPv4-mapped IPv6 into `col` (src16/dst16/exporter16) at record i. */
  static setV4(col: Uint8Array, i: number, v: number): void {
    const o = i * 16;
    col.fill(0, o, o + 10);
    col[o + 10] = 0xff;
    col[o + 11] = 0xff;
    col[o + 12] = v >>> 24;
    col[o + 13] = (v >>> 16) & 255;
    col[o + 14] = (v >>> 8) & 255;
    col[o + 15] = v & 255;
  }

  /** Copies 16 address bytes from `d[off…]` into `col` at record i. */
  static setV6(col: Uint8Array, i: number, d: Uint8Array, off: number): void {
    col.set(d.subarray(off, off + 16), i * 16);
  }

  /** Record i as plain values (IPv4-mapped addresses shown as dotted quads). */
  view(i: number): FlowRecordView {
    return {
      kind: FLOW_KIND_NAMES[(this.kind[i] ?? 1) - 1] ?? 'netflow5',
      exporter: addressText(this.exporter16, i * 16),
      domain: this.domain[i] ?? 0,
      startMs: this.startMs[i] ?? 0,
      endMs: this.endMs[i] ?? 0,
      src: addressText(this.src16, i * 16),
      dst: addressText(this.dst16, i * 16),
      sport: this.sport[i] ?? 0,
      dport: this.dport[i] ?? 0,
      proto: this.proto[i] ?? 0,
      tcpFlags: this.tcpFlags[i] ?? 0,
      octets: this.octets[i] ?? 0,
      packets: this.packets[i] ?? 0,
      reverseOctets: this.revOctets[i] ?? 0,
      reversePackets: this.revPackets[i] ?? 0,
      sampling: this.sampling[i] ?? 1,
      inIf: this.inIf[i] ?? 0,
      outIf: this.outIf[i] ?? 0,
      srcAs: this.srcAs[i] ?? 0,
      dstAs: this.dstAs[i] ?? 0,
    };
  }

  views(): FlowRecordView[] {
    return Array.from({ length: this.length }, (_, i) => this.view(i));
  }
}
