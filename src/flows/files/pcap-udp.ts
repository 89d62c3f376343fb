/**
 * The UDP datagram inside a captured frame, for readers of flow-export captures: link layer by
 * decode/link.ts (Ethernet, VLAN, Linux cooked, raw, loopback …), then IPv4 or IPv6 (extension
 * headers skipped) down to UDP. IP fragments are handed to reassembly (pcap-reassembly.ts).
 * Nothing is allocated per frame: the result is written into a reused object.
 */
import { linkHeader } from '../../decode/link.js';
import { u16be } from '../../sources/record-parser.js';

const PROTO_UDP = 17;
const V6_HOP_BY_HOP = 0;
const V6_ROUTING = 43;
const V6_FRAGMENT = 44;
const V6_DEST_OPTS = 60;
const MAX_EXT_HEADERS = 16;

/** What a frame holds, as far as a reader of export datagrams cares. */
export const FRAME = { other: 0, udp: 1, fragment: 2 } as const;

export class UdpFrame {
  kind: number = FRAME.other;
  family = 0;
  /** Source and destination, 16 bytes each (IPv4-mapped for IPv4). */
  readonly src16 = new Uint8Array(16);
  readonly dst16 = new Uint8Array(16);
  sport = 0;
  /** UDP payload (kind udp) or the fragment's bytes after the IP header(s) (kind fragment). */
  data: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  /** Fragments only: the identification, the offset in bytes, whether more follow, the upper protocol. */
  fragId = 0;
  fragOffset = 0;
  fragMore = false;
  fragProto = 0;
}

/** Reads frame `d[off, off + caplen)` of link type `linkType` into `out`; `out.kind` says what it was. */
export function udpOfFrame(d: Uint8Array, off: number, caplen: number, linkType: number, out: UdpFrame): void {
  out.kind = FRAME.other;
  const link = linkHeader(d, off, caplen, linkType);
  if (link < 0) return;
  const p = off + (link >>> 3);
  const capEnd = off + caplen;
  if (p >= capEnd) return;
  const version = d[p]! >>> 4;
  if (version === 4) ipv4(d, p, capEnd, out);
  else if (version === 6) ipv6(d, p, capEnd, out);
}

function ipv4(d: Uint8Array, p: number, capEnd: number, out: UdpFrame): void {
  if (capEnd - p < 20) return;
  const ihl = (d[p]! & 0x0f) * 4;
  const total = u16be(d, p + 2);
  if (ihl < 20 || capEnd - p < ihl) return;
  // A total length of 0 (captured before segmentation offload filled it in): the capture says.
  const ipEnd = total === 0 ? capEnd : Math.min(p + total, capEnd);
  if (total !== 0 && total < ihl) return;
  out.family = 4;
  out.src16.fill(0, 0, 10);
  out.src16[10] = 0xff;
  out.src16[11] = 0xff;
  out.src16.set(d.subarray(p + 12, p + 16), 12);
  out.dst16.fill(0, 0, 10);
  out.dst16[10] = 0xff;
  out.dst16[11] = 0xff;
  out.dst16.set(d.subarray(p + 16, p + 20), 12);
  const proto = d[p + 9]!;
  const frag = u16be(d, p + 6);
  if ((frag & 0x3fff) !== 0) {
    // More fragments or a non-zero offset: a part of a datagram.
    fragment(d, p + ihl, ipEnd, u16be(d, p + 4), (frag & 0x1fff) * 8, (frag & 0x2000) !== 0, proto, out);
    return;
  }
  if (proto === PROTO_UDP) udp(d, p + ihl, ipEnd, out);
}

function ipv6(d: Uint8Array, p: number, capEnd: number, out: UdpFrame): void {
  if (capEnd - p < 40) return;
  const payload = u16be(d, p + 4);
  const ipEnd = payload === 0 ? capEnd : Math.min(p + 40 + payload, capEnd);
  out.family = 6;
  out.src16.set(d.subarray(p + 8, p + 24));
  out.dst16.set(d.subarray(p + 24, p + 40));
  let nh = d[p + 6]!;
  let q = p + 40;
  for (let n = 0; n < MAX_EXT_HEADERS; n++) {
    if (nh === PROTO_UDP) return udp(d, q, ipEnd, out);
    if (nh === V6_HOP_BY_HOP || nh === V6_ROUTING || nh === V6_DEST_OPTS) {
      if (ipEnd - q < 8) return;
      const len = (d[q + 1]! + 1) * 8;
      nh = d[q]!;
      q += len;
      if (q > ipEnd) return;
    } else if (nh === V6_FRAGMENT) {
      if (ipEnd - q < 8) return;
      const offField = u16be(d, q + 2);
      const id = ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0;
      const more = (offField & 1) !== 0;
      const offset = (offField >>> 3) * 8;
      nh = d[q]!;
      q += 8;
      // An atomic fragment (offset 0, no M flag, RFC 6946) is a whole datagram.
      if (offset === 0 && !more) continue;
      return fragment(d, q, ipEnd, id, offset, more, nh, out);
    } else return;
  }
}

function udp(d: Uint8Array, q: number, ipEnd: number, out: UdpFrame): void {
  if (ipEnd - q < 8) return;
  const len = u16be(d, q + 4);
  // UDP length 0 is a jumbogram's (RFC 2675); otherwise it must hold the header.
  if (len !== 0 && len < 8) return;
  out.kind = FRAME.udp;
  out.sport = u16be(d, q);
  out.data = d;
  out.start = q + 8;
  // A snapshot length may have cut the datagram: what was captured is passed on.
  out.end = len === 0 ? ipEnd : Math.min(q + len, ipEnd);
}

function fragment(d: Uint8Array, q: number, ipEnd: number, id: number, offset: number, more: boolean, proto: number, out: UdpFrame): void {
  if (q > ipEnd) return;
  out.kind = FRAME.fragment;
  out.data = d;
  out.start = q;
  out.end = ipEnd;
  out.fragId = id;
  out.fragOffset = offset;
  out.fragMore = more;
  out.fragProto = proto;
}
