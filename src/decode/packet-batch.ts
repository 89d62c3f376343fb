/**
 * A columnar batch of decoded packets: one typed array per field, filled in place by the
 * decoder. No per-packet JS object is ever created on the hot path; a batch is reused after
 * it has been handed to the writer (see `reset`).
 *
 * Addresses are kept as 16 bytes in network order (IPv4 as IPv4-mapped IPv6, ::ffff:a.b.c.d),
 * which is exactly ClickHouse's `IPv6` RowBinary layout; for IPv4 the 32-bit value is also in
 * `src4`/`dst4` so that fingerprints and enrichment need no conversion.
 */
import { requireLittleEndian } from '../util/little-endian.js';

export const IP4 = 4;
export const IP6 = 6;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/** Bits of `frag`. */
export const FRAG_IS_FRAGMENT = 0x01; // part of a fragmented datagram
export const FRAG_FIRST = 0x02; // offset 0: carries the transport header
export const FRAG_MORE = 0x04; // more-fragments flag set

requireLittleEndian('the packet batch');

export class PacketBatch {
  readonly capacity: number;
  length = 0;
  /** Capture time in microseconds since the Unix epoch (exact in a double until year 2255). */
  readonly tsMicros: Float64Array;
  /** 4 or 6. */
  readonly family: Uint8Array;
  readonly src4: Uint32Array;
  readonly dst4: Uint32Array;
  /** 16 bytes per packet, network order, IPv4-mapped for IPv4. */
  readonly src16: Uint8Array;
  readonly dst16: Uint8Array;
  /** The same bytes as 32-bit words (little-endian), four per packet: cheaper to clear and fill. */
  readonly src16w: Uint32Array;
  readonly dst16w: Uint32Array;
  /** IP protocol number of the transport (after IPv6 extension headers). */
  readonly proto: Uint8Array;
  readonly sport: Uint16Array;
  readonly dport: Uint16Array;
  readonly tcpFlags: Uint8Array;
  readonly tcpSeq: Uint32Array;
  readonly tcpAck: Uint32Array;
  readonly tcpWindow: Uint16Array;
  /** IPv4 identification (16 bits) or IPv6 fragment identification (32 bits, 0 if none). */
  readonly ipId: Uint32Array;
  /** IPv4 TTL or IPv6 hop limit. */
  readonly ttl: Uint8Array;
  /** IP total length (IPv4 total length, IPv6 payload length + 40). */
  readonly ipLen: Uint16Array;
  /** ICMP/ICMPv6 type and code (0 for other protocols). */
  readonly icmpType: Uint8Array;
  readonly icmpCode: Uint8Array;
  /** FRAG_* bits. */
  readonly frag: Uint8Array;
  /** Original length on the wire, from the capture record. */
  readonly wireLen: Uint32Array;
  /** Index of the capture interface (pcapng) or 0. */
  readonly iface: Uint8Array;
  /** Set by the classifier: a `PacketClass` value. */
  readonly cls: Uint8Array;
  /** Set by the fingerprinter: bit i = fingerprint with bit i matched. */
  readonly tags: Uint32Array;
  /**
   * Set by the fingerprinter: bit i = the test of fingerprint i does not apply to this packet
   * (another kind of packet, or outside the fingerprint's validity dates). A tag's share is
   * taken over the packets it applies to.
   */
  readonly tagInapplicable: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.tsMicros = new Float64Array(capacity);
    this.family = new Uint8Array(capacity);
    this.src4 = new Uint32Array(capacity);
    this.dst4 = new Uint32Array(capacity);
    this.src16 = new Uint8Array(capacity * 16);
    this.dst16 = new Uint8Array(capacity * 16);
    this.src16w = new Uint32Array(this.src16.buffer);
    this.dst16w = new Uint32Array(this.dst16.buffer);
    this.proto = new Uint8Array(capacity);
    this.sport = new Uint16Array(capacity);
    this.dport = new Uint16Array(capacity);
    this.tcpFlags = new Uint8Array(capacity);
    this.tcpSeq = new Uint32Array(capacity);
    this.tcpAck = new Uint32Array(capacity);
    this.tcpWindow = new Uint16Array(capacity);
    this.ipId = new Uint32Array(capacity);
    this.ttl = new Uint8Array(capacity);
    this.ipLen = new Uint16Array(capacity);
    this.icmpType = new Uint8Array(capacity);
    this.icmpCode = new Uint8Array(capacity);
    this.frag = new Uint8Array(capacity);
    this.wireLen = new Uint32Array(capacity);
    this.iface = new Uint8Array(capacity);
    this.cls = new Uint8Array(capacity);
    this.tags = new Uint32Array(capacity);
    this.tagInapplicable = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /**
   * Starts a new packet at index `length` with every field zeroed, and returns its index.
   * The caller fills the fields and then calls `commit()`; a packet that turns out to be
   * malformed is simply not committed.
   */
  begin(): number {
    const i = this.length;
    this.family[i] = 0;
    this.src4[i] = 0;
    this.dst4[i] = 0;
    // Word stores: a call to `fill` per packet cost more than decoding an IPv4 header.
    const w = i * 4;
    const s = this.src16w;
    const d = this.dst16w;
    s[w] = 0; s[w + 1] = 0; s[w + 2] = 0; s[w + 3] = 0;
    d[w] = 0; d[w + 1] = 0; d[w + 2] = 0; d[w + 3] = 0;
    this.proto[i] = 0;
    this.sport[i] = 0;
    this.dport[i] = 0;
    this.tcpFlags[i] = 0;
    this.tcpSeq[i] = 0;
    this.tcpAck[i] = 0;
    this.tcpWindow[i] = 0;
    this.ipId[i] = 0;
    this.ttl[i] = 0;
    this.ipLen[i] = 0;
    this.icmpType[i] = 0;
    this.icmpCode[i] = 0;
    this.frag[i] = 0;
    this.wireLen[i] = 0;
    this.iface[i] = 0;
    this.cls[i] = 0;
    this.tags[i] = 0;
    this.tagInapplicable[i] = 0;
    return i;
  }

  commit(): void {
    this.length++;
  }

  reset(): void {
    this.length = 0;
  }
}

/** Writes an IPv4 address as IPv4-mapped IPv6 into a 16-byte slot. */
export function writeMapped4(dst: Uint8Array, offset: number, v4: number): void {
  dst.fill(0, offset, offset + 10);
  dst[offset + 10] = 0xff;
  dst[offset + 11] = 0xff;
  dst[offset + 12] = v4 >>> 24;
  dst[offset + 13] = (v4 >>> 16) & 0xff;
  dst[offset + 14] = (v4 >>> 8) & 0xff;
  dst[offset + 15] = v4 & 0xff;
}
