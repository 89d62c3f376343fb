import {
  DLT_RAW_12, DLT_RAW_14, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD, ETHERTYPE_VLAN,
  LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
  LINKTYPE_NULL, LINKTYPE_RAW,
} from './link-types.js';
import { SKIP } from './skip-reasons.js';

/**
 * The link layer of one frame. Two results are packed into one number so that nothing is
 * allocated: `headerLength * 8 + version` (version 4, 6, or 0 = "read the IP version nibble"),
 * or, when the frame carries no IP packet, `-(skip reason + 1)`.
 */
export function linkHeader(d: Uint8Array, p: number, caplen: number, linkType: number): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (caplen < 14) return -(SKIP['link-truncated'] + 1);
      let type = (d[p + 12]! << 8) | d[p + 13]!;
      let len = 14;
      // 802.1Q and QinQ tags (any depth): TPID already read, then TCI (2) and the next type (2).
      while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
        if (caplen - len < 4) return -(SKIP['link-truncated'] + 1);
        type = (d[p + len + 2]! << 8) | d[p + len + 3]!;
        len += 4;
      }
      return etherType(type, len);
    }
    case LINKTYPE_RAW: case DLT_RAW_12: case DLT_RAW_14:
      return 0;
    case LINKTYPE_IPV4:
      return 4;
    case LINKTYPE_IPV6:
      return 6;
    case LINKTYPE_NULL: {
      if (caplen < 4) return -(SKIP['link-truncated'] + 1);
      // The address family is in the byte order of the host that captured: a family is a small
      // number, so a value with bits in the upper half was written the other way round.
      let af = (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
      if (af > 0xffff) af = ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
      return addressFamily(af);
    }
    case LINKTYPE_LOOP: {
      if (caplen < 4) return -(SKIP['link-truncated'] + 1);
      return addressFamily(((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0);
    }
    case LINKTYPE_LINUX_SLL: // packet type, ARPHRD, address length, address (8), protocol
      if (caplen < 16) return -(SKIP['link-truncated'] + 1);
      return etherType((d[p + 14]! << 8) | d[p + 15]!, 16);
    case LINKTYPE_LINUX_SLL2: // protocol, reserved, ifindex, ARPHRD, packet type, address length, address (8)
      if (caplen < 20) return -(SKIP['link-truncated'] + 1);
      return etherType((d[p]! << 8) | d[p + 1]!, 20);
    default:
      return -(SKIP['unsupported-linktype'] + 1);
  }
}

function etherType(type: number, headerLength: number): number {
  if (type === ETHERTYPE_IPV4) return headerLength * 8 + 4;
  if (type === ETHERTYPE_IPV6) return headerLength * 8 + 6;
  return -(SKIP['non-ip'] + 1);
}

/** BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS). */
function addressFamily(af: number): number {
  if (af === 2) return 4 * 8 + 4;
  if (af === 24 || af === 28 || af === 30) return 4 * 8 + 6;
  return -(SKIP['non-ip'] + 1);
}
