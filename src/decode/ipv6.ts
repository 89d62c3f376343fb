import { FRAG_FIRST, FRAG_IS_FRAGMENT, FRAG_MORE, IP6, type PacketBatch } from './packet-batch.js';
import { SKIP, type SkipCounters } from './skip-reasons.js';
import { clearTransport, decodeTransport, failed } from './transport.js';

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51; // AH: length in 4-byte units minus 2 (RFC 4302)
const DEST_OPTS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
/** More headers than any sane packet has: a chain this long is an attack or garbage. */
const MAX_EXT_HEADERS = 32;

/**
 * An IPv6 header (RFC 8200) at `p`, its extension headers, and its transport into slot `i`.
 * ESP (50) and No Next Header (59) end the chain: what follows cannot be read, so the packet is
 * kept with that protocol and no ports. A fragment header gives `ipId` and the FRAG_* bits.
 */
export function decodeIPv6(d: Uint8Array, p: number, end: number, b: PacketBatch, i: number, skip: SkipCounters): boolean {
  if (end - p < 40) return failed(skip, SKIP['ipv6-truncated']);
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
  b.ipLen[i] = payload + 40 > 0xffff ? 0xffff : payload + 40;
  b.ttl[i] = d[p + 7]!;
  b.ipId[i] = 0;
  b.frag[i] = 0;
  let nh = d[p + 6]!;
  let q = p + 40;
  // A payload length of 0 announces a jumbogram (RFC 2675): the capture says where it ends.
  const ipEnd = payload === 0 ? end : q + payload;
  const hEnd = ipEnd < end ? ipEnd : end;
  for (let n = 0; ; n++) {
    if (n === MAX_EXT_HEADERS) return failed(skip, SKIP['ipv6-too-many-ext-headers']);
    if (nh === HOP_BY_HOP || nh === ROUTING || nh === DEST_OPTS || nh === MOBILITY || nh === HIP || nh === SHIM6) {
      if (hEnd - q < 8) return failed(skip, SKIP['ipv6-ext-truncated']);
      const len = (d[q + 1]! + 1) * 8;
      if (hEnd - q < len) return failed(skip, SKIP['ipv6-ext-truncated']);
      nh = d[q]!;
      q += len;
    } else if (nh === AUTH) {
      if (hEnd - q < 8) return failed(skip, SKIP['ipv6-ext-truncated']);
      const len = (d[q + 1]! + 2) * 4;
      if (hEnd - q < len) return failed(skip, SKIP['ipv6-ext-truncated']);
      nh = d[q]!;
      q += len;
    } else if (nh === FRAGMENT) {
      if (hEnd - q < 8) return failed(skip, SKIP['ipv6-ext-truncated']);
      const offField = (d[q + 2]! << 8) | d[q + 3]!;
      const more = (offField & 1) !== 0;
      b.ipId[i] = ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0;
      nh = d[q]!;
      q += 8;
      if (offField >>> 3 !== 0) {
        // A later fragment: the bytes after this header continue the first fragment's payload.
        b.frag[i] = more ? FRAG_IS_FRAGMENT | FRAG_MORE : FRAG_IS_FRAGMENT;
        b.proto[i] = nh;
        clearTransport(b, i);
        return true;
      }
      // An atomic fragment (offset 0, no M flag, RFC 6946) is a whole datagram: not fragmented.
      if (more) b.frag[i] = FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE;
    } else {
      break;
    }
  }
  b.proto[i] = nh;
  return decodeTransport(d, q, end, ipEnd, nh, b, i, skip);
}
