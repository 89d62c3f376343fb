import type { PacketBatch } from './packet-batch.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';
import { linkHeader } from './link.js';
import { SKIP, type SkipCounters } from './skip-reasons.js';

/**
 * Decodes one captured frame straight from the capture bytes into the next slot of the batch:
 * link layer → IPv4/IPv6 (options, extension headers, fragments) → TCP/UDP/ICMP/ICMPv6.
 * Nothing is allocated and nothing is thrown; a frame that cannot be decoded is counted by
 * reason and not committed. Returns true when a packet was committed.
 *
 * Every field of the slot is written on the way to a commit (instead of `begin()` zeroing them
 * all first, which costs two `fill` calls per packet).
 */
export function decodeFrame(
  d: Uint8Array, off: number, caplen: number, linkType: number,
  b: PacketBatch, tsMicros: number, wireLen: number, iface: number, skip: SkipCounters,
): boolean {
  if (b.length >= b.capacity) return false; // the reader flushes full batches; never overrun one
  const link = linkHeader(d, off, caplen, linkType);
  if (link < 0) {
    skip.add(-link - 1);
    return false;
  }
  const p = off + (link >>> 3);
  const end = off + caplen;
  let version = link & 7;
  if (p >= end) {
    skip.add(version === 4 ? SKIP['ipv4-truncated'] : version === 6 ? SKIP['ipv6-truncated'] : SKIP['ip-truncated']);
    return false;
  }
  const nibble = d[p]! >>> 4;
  if (version === 0) version = nibble;
  if (nibble !== version || (version !== 4 && version !== 6)) {
    skip.add(SKIP['ip-bad-version']);
    return false;
  }
  const i = b.length;
  const ok = version === 4 ? decodeIPv4(d, p, end, b, i, skip) : decodeIPv6(d, p, end, b, i, skip);
  if (!ok) return false;
  b.tsMicros[i] = tsMicros;
  b.wireLen[i] = wireLen;
  b.iface[i] = iface;
  b.cls[i] = 0;
  b.tags[i] = 0;
  b.tagInapplicable[i] = 0;
  b.commit();
  return true;
}
