import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP, type PacketBatch } from './packet-batch.js';
import { SKIP, type SkipCounters } from './skip-reasons.js';

/**
 * TCP (RFC 793), UDP (RFC 768), ICMP (RFC 792) and ICMPv6 (RFC 4443) headers at `q` into slot
 * `i`. `capEnd` is where the captured bytes end, `ipEnd` where the IP datagram says it ends
 * (a snapshot length may cut a packet short; that alone is not an error). Every transport
 * field of the slot is written, so a reused batch never shows a previous packet's values.
 * Returns false (after counting the reason) when the header is broken.
 */
export function decodeTransport(
  d: Uint8Array, q: number, capEnd: number, ipEnd: number, proto: number, b: PacketBatch, i: number, skip: SkipCounters,
): boolean {
  const avail = (capEnd < ipEnd ? capEnd : ipEnd) - q;
  if (proto === PROTO_TCP) {
    if (avail < 20) return failed(skip, SKIP['tcp-truncated']);
    const dataOffset = (d[q + 12]! >>> 4) * 4;
    // The header must hold its 20 fixed bytes and fit in the datagram.
    if (dataOffset < 20 || dataOffset > ipEnd - q) return failed(skip, SKIP['tcp-bad-offset']);
    b.sport[i] = (d[q]! << 8) | d[q + 1]!;
    b.dport[i] = (d[q + 2]! << 8) | d[q + 3]!;
    b.tcpSeq[i] = ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0;
    b.tcpAck[i] = ((d[q + 8]! << 24) | (d[q + 9]! << 16) | (d[q + 10]! << 8) | d[q + 11]!) >>> 0;
    b.tcpFlags[i] = d[q + 13]!;
    b.tcpWindow[i] = (d[q + 14]! << 8) | d[q + 15]!;
    b.icmpType[i] = 0;
    b.icmpCode[i] = 0;
    return true;
  }
  if (proto === PROTO_UDP) {
    if (avail < 8) return failed(skip, SKIP['udp-truncated']);
    clearTransport(b, i);
    b.sport[i] = (d[q]! << 8) | d[q + 1]!;
    b.dport[i] = (d[q + 2]! << 8) | d[q + 3]!;
    return true;
  }
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    // Type, code and checksum: the part every ICMP message has.
    if (avail < 4) return failed(skip, SKIP['icmp-truncated']);
    clearTransport(b, i);
    b.icmpType[i] = d[q]!;
    b.icmpCode[i] = d[q + 1]!;
    return true;
  }
  // GRE, ESP, SCTP, no-next-header …: kept with the protocol number and no ports.
  clearTransport(b, i);
  return true;
}

/** Zeroes the transport fields of slot `i` (non-first fragments, protocols without ports). */
export function clearTransport(b: PacketBatch, i: number): void {
  b.sport[i] = 0;
  b.dport[i] = 0;
  b.tcpSeq[i] = 0;
  b.tcpAck[i] = 0;
  b.tcpFlags[i] = 0;
  b.tcpWindow[i] = 0;
  b.icmpType[i] = 0;
  b.icmpCode[i] = 0;
}

/** Counts a skip reason; returns false so that a decoder can `return failed(…)`. */
export function failed(skip: SkipCounters, reason: number): false {
  skip.add(reason);
  return false;
}
