import {
  FRAG_FIRST, FRAG_IS_FRAGMENT, FRAG_MORE, IP4, IP6, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP, type PacketBatch,
} from './packet-batch.js';
import {
  DLT_RAW_12, DLT_RAW_14, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD, ETHERTYPE_VLAN,
  LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
  LINKTYPE_NULL, LINKTYPE_RAW,
} from './link-types.js';
import { SKIP, type SkipCounters } from './skip-reasons.js';

/**
 * Decodes one captured frame straight from the capture bytes into the next slot of the batch:
 * link layer → IPv4/IPv6 (options, extension headers, fragments) → TCP/UDP/ICMP/ICMPv6.
 * Nothing is allocated; a frame that cannot be decoded is counted by reason and not committed.
 * Returns true when a packet was committed.
 */
export function decodeFrame(
  d: Uint8Array, off: number, caplen: number, linkType: number,
  b: PacketBatch, tsMicros: number, wireLen: number, iface: number, skip: SkipCounters,
): boolean {
  const end = off + caplen;
  let p = off;
  let version = 0; // 4, 6, or 0 = look at the IP version nibble
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (caplen < 14) return fail(skip, SKIP['link-truncated']);
      let type = (d[p + 12]! << 8) | d[p + 13]!;
      p += 14;
      while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
        if (end - p < 4) return fail(skip, SKIP['link-truncated']);
        type = (d[p + 2]! << 8) | d[p + 3]!;
        p += 4;
      }
      if (type === ETHERTYPE_IPV4) version = 4;
      else if (type === ETHERTYPE_IPV6) version = 6;
      else return fail(skip, SKIP['non-ip']);
      break;
    }
    case LINKTYPE_RAW: case DLT_RAW_12: case DLT_RAW_14:
      break;
    case LINKTYPE_IPV4: version = 4; break;
    case LINKTYPE_IPV6: version = 6; break;
    case LINKTYPE_NULL: case LINKTYPE_LOOP: {
      if (caplen < 4) return fail(skip, SKIP['link-truncated']);
      // NULL is in the capturing host's byte order: the family is small, so the non-zero end tells.
      const af = linkType === LINKTYPE_LOOP ? d[p + 3]! : d[p]! !== 0 ? d[p]! : d[p + 3]!;
      p += 4;
      if (af === 2) version = 4;
      else if (af === 24 || af === 28 || af === 30 || af === 10) version = 6;
      else return fail(skip, SKIP['non-ip']);
      break;
    }
    case LINKTYPE_LINUX_SLL: {
      if (caplen < 16) return fail(skip, SKIP['link-truncated']);
      const proto = (d[p + 14]! << 8) | d[p + 15]!;
      p += 16;
      if (proto === ETHERTYPE_IPV4) version = 4;
      else if (proto === ETHERTYPE_IPV6) version = 6;
      else return fail(skip, SKIP['non-ip']);
      break;
    }
    case LINKTYPE_LINUX_SLL2: {
      if (caplen < 20) return fail(skip, SKIP['link-truncated']);
      const proto = (d[p]! << 8) | d[p + 1]!;
      p += 20;
      if (proto === ETHERTYPE_IPV4) version = 4;
      else if (proto === ETHERTYPE_IPV6) version = 6;
      else return fail(skip, SKIP['non-ip']);
      break;
    }
    default:
      return fail(skip, SKIP['unsupported-linktype']);
  }
  if (p >= end) return fail(skip, SKIP['ipv4-truncated']);
  const nibble = d[p]! >>> 4;
  if (version === 0) version = nibble;
  if (nibble !== version || (version !== 4 && version !== 6)) return fail(skip, SKIP['ip-bad-version']);
  const i = b.length;
  b.tsMicros[i] = tsMicros;
  b.wireLen[i] = wireLen;
  b.iface[i] = iface;
  const ok = version === 4 ? decodeIPv4(d, p, end, b, i, skip) : decodeIPv6(d, p, end, b, i, skip);
  if (ok) b.length = i + 1;
  return ok;
}

function fail(skip: SkipCounters, reason: number): false {
  skip.add(reason);
  return false;
}

function decodeIPv4(d: Uint8Array, p: number, end: number, b: PacketBatch, i: number, skip: SkipCounters): boolean {
  if (end - p < 20) return fail(skip, SKIP['ipv4-truncated']);
  const ihl = (d[p]! & 0x0f) * 4;
  if (ihl < 20) return fail(skip, SKIP['ipv4-bad-ihl']);
  if (end - p < ihl) return fail(skip, SKIP['ipv4-truncated']);
  const total = (d[p + 2]! << 8) | d[p + 3]!;
  if (total < ihl) return fail(skip, SKIP['ipv4-bad-total-length']);
  const src = ((d[p + 12]! << 24) | (d[p + 13]! << 16) | (d[p + 14]! << 8) | d[p + 15]!) >>> 0;
  const dst = ((d[p + 16]! << 24) | (d[p + 17]! << 16) | (d[p + 18]! << 8) | d[p + 19]!) >>> 0;
  b.family[i] = IP4;
  b.src4[i] = src;
  b.dst4[i] = dst;
  mapped(b.src16, i * 16, src);
  mapped(b.dst16, i * 16, dst);
  b.ipId[i] = (d[p + 4]! << 8) | d[p + 5]!;
  b.ttl[i] = d[p + 8]!;
  b.ipLen[i] = total;
  const proto = d[p + 9]!;
  b.proto[i] = proto;
  const fragField = (d[p + 6]! << 8) | d[p + 7]!;
  const fragOffset = fragField & 0x1fff;
  const more = (fragField & 0x2000) !== 0;
  // The transport ends where the IP datagram ends, or where the capture was cut.
  const tEnd = Math.min(end, p + total);
  if (fragOffset !== 0) {
    b.frag[i] = FRAG_IS_FRAGMENT | (more ? FRAG_MORE : 0);
    clearTransport(b, i);
    return true;
  }
  b.frag[i] = more ? FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE : 0;
  return decodeTransport(d, p + ihl, tEnd, proto, b, i, skip);
}

function decodeIPv6(d: Uint8Array, p: number, end: number, b: PacketBatch, i: number, skip: SkipCounters): boolean {
  if (end - p < 40) return fail(skip, SKIP['ipv6-truncated']);
  b.family[i] = IP6;
  b.src4[i] = 0;
  b.dst4[i] = 0;
  const s16 = b.src16;
  const d16 = b.dst16;
  const o = i * 16;
  for (let k = 0; k < 16; k++) {
    s16[o + k] = d[p + 8 + k]!;
    d16[o + k] = d[p + 24 + k]!;
  }
  const payload = (d[p + 4]! << 8) | d[p + 5]!;
  b.ipLen[i] = Math.min(0xffff, payload + 40);
  b.ttl[i] = d[p + 7]!;
  b.ipId[i] = 0;
  b.frag[i] = 0;
  let nh = d[p + 6]!;
  let q = p + 40;
  const tEnd = payload === 0 ? end : Math.min(end, q + payload); // 0: jumbogram
  for (let hops = 0; hops < 32; hops++) {
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140) {
      if (tEnd - q < 8) return fail(skip, SKIP['ipv6-ext-truncated']);
      const len = (d[q + 1]! + 1) * 8;
      if (tEnd - q < len) return fail(skip, SKIP['ipv6-ext-truncated']);
      nh = d[q]!;
      q += len;
    } else if (nh === 51) {
      if (tEnd - q < 8) return fail(skip, SKIP['ipv6-ext-truncated']);
      const len = (d[q + 1]! + 2) * 4;
      if (tEnd - q < len) return fail(skip, SKIP['ipv6-ext-truncated']);
      nh = d[q]!;
      q += len;
    } else if (nh === 44) {
      if (tEnd - q < 8) return fail(skip, SKIP['ipv6-ext-truncated']);
      const offField = (d[q + 2]! << 8) | d[q + 3]!;
      const fragOffset = offField >>> 3;
      const more = (offField & 1) !== 0;
      b.ipId[i] = ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0;
      nh = d[q]!;
      q += 8;
      if (fragOffset !== 0) {
        b.frag[i] = FRAG_IS_FRAGMENT | (more ? FRAG_MORE : 0);
        b.proto[i] = nh;
        clearTransport(b, i);
        return true;
      }
      if (more) b.frag[i] = FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE;
    } else {
      break;
    }
  }
  b.proto[i] = nh;
  return decodeTransport(d, q, tEnd, nh, b, i, skip);
}

function decodeTransport(d: Uint8Array, q: number, end: number, proto: number, b: PacketBatch, i: number, skip: SkipCounters): boolean {
  const avail = end - q;
  if (proto === PROTO_TCP) {
    if (avail < 20) return fail(skip, SKIP['tcp-truncated']);
    const dataOffset = d[q + 12]! >>> 4;
    if (dataOffset < 5) return fail(skip, SKIP['tcp-bad-offset']);
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
  b.tcpSeq[i] = 0;
  b.tcpAck[i] = 0;
  b.tcpFlags[i] = 0;
  b.tcpWindow[i] = 0;
  if (proto === PROTO_UDP) {
    if (avail < 8) return fail(skip, SKIP['udp-truncated']);
    b.sport[i] = (d[q]! << 8) | d[q + 1]!;
    b.dport[i] = (d[q + 2]! << 8) | d[q + 3]!;
    b.icmpType[i] = 0;
    b.icmpCode[i] = 0;
    return true;
  }
  b.sport[i] = 0;
  b.dport[i] = 0;
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    if (avail < 4) return fail(skip, SKIP['icmp-truncated']);
    b.icmpType[i] = d[q]!;
    b.icmpCode[i] = d[q + 1]!;
    return true;
  }
  b.icmpType[i] = 0;
  b.icmpCode[i] = 0;
  return true;
}

function clearTransport(b: PacketBatch, i: number): void {
  b.sport[i] = 0;
  b.dport[i] = 0;
  b.tcpSeq[i] = 0;
  b.tcpAck[i] = 0;
  b.tcpFlags[i] = 0;
  b.tcpWindow[i] = 0;
  b.icmpType[i] = 0;
  b.icmpCode[i] = 0;
}

/** ::ffff:a.b.c.d without a call to fill(). */
function mapped(a: Uint8Array, o: number, v: number): void {
  a[o] = 0; a[o + 1] = 0; a[o + 2] = 0; a[o + 3] = 0; a[o + 4] = 0;
  a[o + 5] = 0; a[o + 6] = 0; a[o + 7] = 0; a[o + 8] = 0; a[o + 9] = 0;
  a[o + 10] = 0xff; a[o + 11] = 0xff;
  a[o + 12] = v >>> 24; a[o + 13] = (v >>> 16) & 0xff; a[o + 14] = (v >>> 8) & 0xff; a[o + 15] = v & 0xff;
}
