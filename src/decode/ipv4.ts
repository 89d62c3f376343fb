import { FRAG_FIRST, FRAG_IS_FRAGMENT, FRAG_MORE, IP4, type PacketBatch } from './packet-batch.js';
import { SKIP, type SkipCounters } from './skip-reasons.js';
import { clearTransport, decodeTransport, failed } from './transport.js';

/**
 * An IPv4 header (RFC 791) at `p` and its transport into slot `i`. Options are skipped by the
 * header length (IHL); a non-first fragment has no transport header, so its ports stay 0.
 */
export function decodeIPv4(d: Uint8Array, p: number, end: number, b: PacketBatch, i: number, skip: SkipCounters): boolean {
  if (end - p < 20) return failed(skip, SKIP['ipv4-truncated']);
  const ihl = (d[p]! & 0x0f) * 4;
  if (ihl < 20) return failed(skip, SKIP['ipv4-bad-ihl']);
  if (end - p < ihl) return failed(skip, SKIP['ipv4-truncated']);
  let total = (d[p + 2]! << 8) | d[p + 3]!;
  // 0 is what a sender captures before TCP segmentation offload fills it in (tcpdump and
  // Wireshark then go by the captured bytes); any other length shorter than the header is broken.
  if (total === 0) total = end - p > 0xffff ? 0xffff : end - p;
  if (total < ihl) return failed(skip, SKIP['ipv4-bad-total-length']);
  const src = ((d[p + 12]! << 24) | (d[p + 13]! << 16) | (d[p + 14]! << 8) | d[p + 15]!) >>> 0;
  const dst = ((d[p + 16]! << 24) | (d[p + 17]! << 16) | (d[p + 18]! << 8) | d[p + 19]!) >>> 0;
  b.family[i] = IP4;
  b.src4[i] = src;
  b.dst4[i] = dst;
  mapped4(b.src16w, i * 4, d, p + 12);
  mapped4(b.dst16w, i * 4, d, p + 16);
  b.ipId[i] = (d[p + 4]! << 8) | d[p + 5]!;
  b.ttl[i] = d[p + 8]!;
  b.ipLen[i] = total;
  const proto = d[p + 9]!;
  b.proto[i] = proto;
  const fragField = (d[p + 6]! << 8) | d[p + 7]!;
  const more = (fragField & 0x2000) !== 0;
  if ((fragField & 0x1fff) !== 0) {
    b.frag[i] = more ? FRAG_IS_FRAGMENT | FRAG_MORE : FRAG_IS_FRAGMENT;
    clearTransport(b, i);
    return true;
  }
  b.frag[i] = more ? FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE : 0;
  return decodeTransport(d, p + ihl, end, p + total, proto, b, i, skip);
}

/**
 * ::ffff:a.b.c.d into a 16-byte slot as four little-endian words: the same bytes as
 * `writeMapped4`, the address's four bytes copied in network order from the header at `at`.
 */
function mapped4(w: Uint32Array, o: number, d: Uint8Array, at: number): void {
  w[o] = 0;
  w[o + 1] = 0;
  w[o + 2] = 0xffff0000; // bytes 00 00 ff ff
  w[o + 3] = d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24);
}
