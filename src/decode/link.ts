import {
  DLT_RAW_12, DLT_RAW_14, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST, ETHERTYPE_PPPOE_SESSION,
  ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD, ETHERTYPE_VLAN, LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP, LINKTYPE_NULL, LINKTYPE_RAW, PPP_IPV4, PPP_IPV6,
} from './link-types.js';
import { SKIP } from './skip-reasons.js';

/**
 * The link layer of one frame. Two results are packed into one number so that nothing is
 * allocated: `headerLength * 8 + version` (version 4, 6, or 0 = "read the IP version nibble"),
 * or, when the frame carries no IP packet, `-(skip reason + 1)`.
 */
export function linkHeader(d: Uint8Array, p: number, caplen: number, linkType: number): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (caplen < 14) return -(SKIP['link-truncated'] + 1);
      return etherPayload(d, p, caplen, (d[p + 12]! << 8) | d[p + 13]!, 14);
    case LINKTYPE_RAW: case DLT_RAW_14:
      return 0;
    case DLT_RAW_12:
      // OpenBSD's libpcap writes its DLT_LOOP (12) as is: a 4-byte network-order address family,
      // whose first byte is 0, where raw IP starts with version 4 or 6.
      if (caplen >= 4 && d[p]! >>> 4 !== 4 && d[p]! >>> 4 !== 6) {
        return addressFamily(((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0);
      }
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
    // libpcap inserts a VLAN tag that the kernel stripped at the protocol field of SLL (the
    // protocol becomes 0x8100, then TCI and the real type follow the header): same chain as Ethernet.
    case LINKTYPE_LINUX_SLL: // packet type, ARPHRD, address length, address (8), protocol
      if (caplen < 16) return -(SKIP['link-truncated'] + 1);
      return etherPayload(d, p, caplen, (d[p + 14]! << 8) | d[p + 15]!, 16);
    case LINKTYPE_LINUX_SLL2: // protocol, reserved, ifindex, ARPHRD, packet type, address length, address (8)
      if (caplen < 20) return -(SKIP['link-truncated'] + 1);
      return etherPayload(d, p, caplen, (d[p]! << 8) | d[p + 1]!, 20);
    default:
      return -(SKIP['unsupported-linktype'] + 1);
  }
}

/**
 * What follows an EtherType `type` whose payload starts at `p + len`: 802.1Q/QinQ tags (any
 * depth), a PPPoE session (RFC 2516) carrying IPv4 or IPv6, an MPLS label stack (RFC 3032) down
 * to its bottom entry, then IPv4 or IPv6.
 */
function etherPayload(d: Uint8Array, p: number, caplen: number, type: number, len: number): number {
  // TPID already read, then TCI (2) and the next type (2).
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (caplen - len < 4) return -(SKIP['link-truncated'] + 1);
    type = (d[p + len + 2]! << 8) | d[p + len + 3]!;
    len += 4;
  }
  if (type === ETHERTYPE_PPPOE_SESSION) {
    // Version/type, code, session id, length (6), then the PPP protocol (2).
    if (caplen - len < 8) return -(SKIP['link-truncated'] + 1);
    const ppp = (d[p + len + 6]! << 8) | d[p + len + 7]!;
    len += 8;
    if (ppp === PPP_IPV4) return len * 8 + 4;
    if (ppp === PPP_IPV6) return len * 8 + 6;
    return -(SKIP['non-ip'] + 1); // LCP, IPCP, CHAP …
  }
  if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) {
    // 4-byte entries until the bottom-of-stack bit; the payload type is not written anywhere,
    // so IP is recognised by its version nibble (a pseudowire control word starts with 0).
    for (;;) {
      if (caplen - len < 4) return -(SKIP['link-truncated'] + 1);
      const bottom = (d[p + len + 2]! & 1) !== 0;
      len += 4;
      if (bottom) break;
    }
    if (caplen === len) return len * 8; // nothing after the stack: counted as a cut IP header
    const v = d[p + len]! >>> 4;
    return v === 4 || v === 6 ? len * 8 + v : -(SKIP['non-ip'] + 1);
  }
  return etherType(type, len);
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
