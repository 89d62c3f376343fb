import { describe, expect, it } from 'vitest';
import { bytes, ether, EXT_PROTO, ext, icmp, icmp6, ipv4, ipv6, mpls, nullLink, pppoe, sll, sll2, tcp, udp } from '../sources/testing/frames.js';
import { decodeFrame } from './decode-frame.js';
import { FRAG_FIRST, FRAG_IS_FRAGMENT, FRAG_MORE, PacketBatch, TCP_ACK, TCP_SYN } from './packet-batch.js';
import { SkipCounters } from './skip-reasons.js';

/** Decodes frames into a fresh batch; returns it with the skip counts. */
function decode(frames: Uint8Array[], linkType: number, batch = new PacketBatch(16)): { b: PacketBatch; skipped: Record<string, number> } {
  const skip = new SkipCounters();
  for (const [k, f] of frames.entries()) decodeFrame(f, 0, f.length, linkType, batch, 1000 + k, f.length + 4, 3, skip);
  return { b: batch, skipped: skip.toRecord() };
}

/** Every column of slot i, for exact comparisons. */
function slot(b: PacketBatch, i: number): Record<string, number | string> {
  const hex = (a: Uint8Array): string => Buffer.from(a.subarray(i * 16, i * 16 + 16)).toString('hex');
  return {
    ts: b.tsMicros[i]!, family: b.family[i]!, src4: b.src4[i]!, dst4: b.dst4[i]!, src16: hex(b.src16), dst16: hex(b.dst16),
    proto: b.proto[i]!, sport: b.sport[i]!, dport: b.dport[i]!, flags: b.tcpFlags[i]!, seq: b.tcpSeq[i]!, ack: b.tcpAck[i]!,
    window: b.tcpWindow[i]!, ipId: b.ipId[i]!, ttl: b.ttl[i]!, ipLen: b.ipLen[i]!, icmpType: b.icmpType[i]!, icmpCode: b.icmpCode[i]!,
    frag: b.frag[i]!, wireLen: b.wireLen[i]!, iface: b.iface[i]!, cls: b.cls[i]!, tags: b.tags[i]!,
  };
}

const SYN4 = ipv4({ src: '192.0.2.1', dst: '198.18.0.7', proto: 6, id: 0x1234, ttl: 51,
  payload: tcp({ sport: 40000, dport: 23, seq: 0xc6120007, ack: 0x01020304, flags: TCP_SYN, window: 5840 }) });
const SYN4_FIELDS = {
  family: 4, src4: 0xc0000201, dst4: 0xc6120007, src16: '00000000000000000000ffffc0000201', dst16: '00000000000000000000ffffc6120007',
  proto: 6, sport: 40000, dport: 23, flags: TCP_SYN, seq: 0xc6120007, ack: 0x01020304, window: 5840, ipId: 0x1234, ttl: 51, ipLen: 40,
  icmpType: 0, icmpCode: 0, frag: 0, iface: 3, cls: 0, tags: 0,
};
const V6_SRC = '2001:db8::1';
const V6_DST = '2001:db8:dead::9';
const V6_SRC_HEX = '20010db8000000000000000000000001';
const V6_DST_HEX = '20010db8dead00000000000000000009';

describe('link layers', () => {
  const cases: [string, number, Uint8Array][] = [
    ['Ethernet', 1, ether(0x0800, SYN4)],
    ['802.1Q', 1, ether(0x0800, SYN4, [0x8100])],
    ['QinQ 88a8 + 8100', 1, ether(0x0800, SYN4, [0x88a8, 0x8100])],
    ['QinQ 9100 + 9100 + 8100 (stacked three deep)', 1, ether(0x0800, SYN4, [0x9100, 0x9100, 0x8100])],
    ['raw 101', 101, SYN4],
    ['DLT_RAW 12', 12, SYN4],
    ['DLT_RAW 14', 14, SYN4],
    ['IPv4 228', 228, SYN4],
    ['Linux SLL', 113, sll(0x0800, SYN4)],
    ['Linux SLL2', 276, sll2(0x0800, SYN4)],
    ['NULL written little-endian', 0, nullLink(2, true, SYN4)],
    ['NULL written big-endian', 0, nullLink(2, false, SYN4)],
    ['LOOP', 108, nullLink(2, false, SYN4)],
    ['OpenBSD DLT_LOOP written as 12', 12, nullLink(2, false, SYN4)],
    ['Linux SLL with an 802.1Q tag (libpcap inserts it at the protocol field)', 113, sll(0x8100, bytes([0, 100, 0x08, 0x00], SYN4))],
    ['Linux SLL2 with an 802.1Q tag', 276, sll2(0x8100, bytes([0, 100, 0x08, 0x00], SYN4))],
    ['PPPoE session (RFC 2516)', 1, ether(0x8864, pppoe(0x0021, SYN4))],
    ['PPPoE session over 802.1Q', 1, ether(0x8864, pppoe(0x0021, SYN4), [0x8100])],
    ['MPLS, one label (RFC 3032)', 1, ether(0x8847, mpls([16], SYN4))],
    ['MPLS, two labels over 802.1Q', 1, ether(0x8847, mpls([16, 17], SYN4), [0x8100])],
    ['MPLS multicast (0x8848)', 1, ether(0x8848, mpls([16], SYN4))],
    ['MPLS over Linux SLL', 113, sll(0x8847, mpls([16, 17, 18], SYN4))],
  ];
  for (const [name, link, frame] of cases) {
    it(`IPv4/TCP over ${name}: every field`, () => {
      const { b, skipped } = decode([frame], link);
      expect(skipped).toEqual({});
      expect(b.length).toBe(1);
      expect(slot(b, 0)).toEqual({ ...SYN4_FIELDS, ts: 1000, wireLen: frame.length + 4 });
    });
  }

  it('IPv6 over Ethernet (and 802.1Q), SLL, SLL2, raw, 229, NULL with AF 24/28/30 both orders, LOOP', () => {
    const echo = ipv6({ src: V6_SRC, dst: V6_DST, next: 58, hop: 60, payload: icmp6(128, 0, [0, 1, 0, 2]) });
    const cases: [number, Uint8Array][] = [
      [1, ether(0x86dd, echo)], [1, ether(0x86dd, echo, [0x8100])], [113, sll(0x86dd, echo)], [276, sll2(0x86dd, echo)],
      [101, echo], [229, echo], [0, nullLink(24, true, echo)], [0, nullLink(28, false, echo)], [0, nullLink(30, true, echo)],
      [108, nullLink(24, false, echo)], [12, nullLink(24, false, echo)], [12, echo], [1, ether(0x8864, pppoe(0x0057, echo))],
      [1, ether(0x8847, mpls([20, 21], echo))], [276, sll2(0x8100, bytes([0, 7, 0x86, 0xdd], echo))],
    ];
    for (const [link, frame] of cases) {
      const { b, skipped } = decode([frame], link);
      expect(skipped).toEqual({});
      expect(slot(b, 0)).toMatchObject({
        family: 6, src4: 0, dst4: 0, src16: V6_SRC_HEX, dst16: V6_DST_HEX, proto: 58, icmpType: 128, icmpCode: 0,
        sport: 0, dport: 0, ttl: 60, ipLen: 48, ipId: 0, frag: 0,
      });
    }
  });

  it('counts non-IP frames and unknown link types without committing them', () => {
    const arp = ether(0x0806, new Uint8Array(28));
    const lldp = ether(0x88cc, new Uint8Array(20));
    const vlanArp = ether(0x0806, new Uint8Array(28), [0x8100]);
    expect(decode([arp, lldp, vlanArp], 1)).toMatchObject({ b: { length: 0 }, skipped: { 'non-ip': 3 } });
    expect(decode([sll(0x0806, new Uint8Array(28))], 113).skipped).toEqual({ 'non-ip': 1 });
    expect(decode([sll2(0x0806, new Uint8Array(28))], 276).skipped).toEqual({ 'non-ip': 1 });
    expect(decode([nullLink(7, true, SYN4), nullLink(99, false, SYN4)], 0).skipped).toEqual({ 'non-ip': 2 });
    expect(decode([SYN4], 147).skipped).toEqual({ 'unsupported-linktype': 1 });
    // PPP control protocols (LCP), PPPoE discovery, an MPLS pseudowire control word (first nibble 0).
    const lcp = ether(0x8864, pppoe(0xc021, new Uint8Array(10)));
    const discovery = ether(0x8863, new Uint8Array(20));
    const pseudowire = ether(0x8847, mpls([16], bytes([0, 0, 0, 0], ether(0x0800, SYN4))));
    expect(decode([lcp, discovery, pseudowire], 1)).toMatchObject({ b: { length: 0 }, skipped: { 'non-ip': 3 } });
  });
  it('counts PPPoE and MPLS headers cut short, and a label stack without its bottom', () => {
    const frames = [
      ether(0x8864, pppoe(0x0021, SYN4)).subarray(0, 14 + 7),
      ether(0x8847, mpls([16, 17], SYN4)).subarray(0, 14 + 6),
      ether(0x8847, bytes([0, 1, 0, 64], [0, 1, 0, 64])), // no bottom-of-stack bit before the end
    ];
    expect(decode(frames, 1)).toMatchObject({ b: { length: 0 }, skipped: { 'link-truncated': 3 } });
    expect(decode([ether(0x8847, mpls([16], new Uint8Array(0)))], 1).skipped).toEqual({ 'ip-truncated': 1 });
  });

  it('counts frames cut inside the link header, a VLAN tag, or right after it', () => {
    const frames = [ether(0x0800, SYN4).subarray(0, 13), ether(0x0800, SYN4, [0x8100]).subarray(0, 16), ether(0x0800, new Uint8Array(0)), ether(0x86dd, new Uint8Array(0))];
    expect(decode(frames, 1).skipped).toEqual({ 'link-truncated': 2, 'ipv4-truncated': 1, 'ipv6-truncated': 1 });
    expect(decode([new Uint8Array(0)], 101).skipped).toEqual({ 'ip-truncated': 1 });
    expect(decode([new Uint8Array(3)], 0).skipped).toEqual({ 'link-truncated': 1 });
    expect(decode([sll2(0x0800, SYN4).subarray(0, 19)], 276).skipped).toEqual({ 'link-truncated': 1 });
  });

  it('refuses an IP version that contradicts the link layer', () => {
    const v6 = ipv6({ src: V6_SRC, dst: V6_DST, next: 59, payload: new Uint8Array(0) });
    expect(decode([ether(0x0800, v6), ether(0x86dd, SYN4)], 1).skipped).toEqual({ 'ip-bad-version': 2 });
    expect(decode([bytes([0x55], SYN4.subarray(1))], 101).skipped).toEqual({ 'ip-bad-version': 1 });
    expect(decode([v6], 228).skipped).toEqual({ 'ip-bad-version': 1 });
  });
});

describe('IPv4', () => {
  it('skips options by IHL (RFC 791) and reads UDP behind them', () => {
    const p = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, ttl: 9, options: [0x94, 4, 0, 0, 0x01, 0x01, 0x01, 0x00], payload: udp(5353, 161, [1, 2, 3]) });
    expect(slot(decode([p], 101).b, 0)).toMatchObject({ proto: 17, sport: 5353, dport: 161, ipLen: 39, ttl: 9, flags: 0, seq: 0 });
  });

  it('reads a TSO/GSO packet whose total length is 0 by its captured bytes, as tcpdump and Wireshark do', () => {
    // Captured on the sending host before segmentation: the NIC fills in the length later.
    const big = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, totalLength: 0, payload: tcp({ sport: 443, dport: 50000, flags: TCP_ACK, seq: 7 }) });
    const { b, skipped } = decode([ether(0x0800, big)], 1);
    expect(skipped).toEqual({});
    expect(slot(b, 0)).toMatchObject({ proto: 6, sport: 443, dport: 50000, seq: 7, flags: TCP_ACK, ipLen: big.length });
  });
  it('marks fragments: the first carries ports, later ones do not', () => {
    const first = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, id: 77, moreFragments: true, payload: udp(1, 2, Array(16).fill(0)) });
    const middle = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, id: 77, fragOffset: 3, moreFragments: true, payload: new Uint8Array(16) });
    const last = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, id: 77, fragOffset: 5, payload: new Uint8Array(3) });
    const { b } = decode([first, middle, last], 101);
    expect(slot(b, 0)).toMatchObject({ frag: FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE, sport: 1, dport: 2, ipId: 77, proto: 17 });
    expect(slot(b, 1)).toMatchObject({ frag: FRAG_IS_FRAGMENT | FRAG_MORE, sport: 0, dport: 0, ipId: 77, proto: 17 });
    expect(slot(b, 2)).toMatchObject({ frag: FRAG_IS_FRAGMENT, sport: 0, dport: 0, ipId: 77, proto: 17 });
  });

  it('a later fragment whose bytes look like TCP still gets no transport fields', () => {
    const later = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, fragOffset: 1, payload: tcp({ sport: 7, dport: 8, flags: TCP_SYN, seq: 5 }) });
    expect(slot(decode([later], 101).b, 0)).toMatchObject({ proto: 6, sport: 0, dport: 0, flags: 0, seq: 0, frag: FRAG_IS_FRAGMENT });
  });

  it('reads ICMP type and code (RFC 792), and keeps other protocols without ports', () => {
    const unreach = ipv4({ src: '203.0.113.9', dst: '198.18.0.1', proto: 1, payload: icmp(3, 3, [0, 0, 0, 0, ...SYN4.subarray(0, 28)]) });
    const gre = ipv4({ src: '203.0.113.9', dst: '198.18.0.1', proto: 47, payload: new Uint8Array(4) });
    const { b } = decode([unreach, gre], 101);
    expect(slot(b, 0)).toMatchObject({ proto: 1, icmpType: 3, icmpCode: 3, sport: 0, dport: 0 });
    expect(slot(b, 1)).toMatchObject({ proto: 47, icmpType: 0, sport: 0, dport: 0 });
  });

  it('decodes the transport of a packet cut by the snapshot length when its header is there', () => {
    const p = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: tcp({ sport: 1, dport: 80, flags: TCP_SYN | TCP_ACK, options: [2, 4, 5, 0xb4, 1, 1, 4, 2] }) });
    const cut = p.subarray(0, 40); // the TCP options are not captured
    expect(slot(decode([cut], 101).b, 0)).toMatchObject({ sport: 1, dport: 80, flags: 0x12, ipLen: 48 });
  });

  it('counts broken headers by reason', () => {
    const withBytes = (f: Uint8Array, at: number, v: number): Uint8Array => { const c = Uint8Array.from(f); c[at] = v; return c; };
    const frames = [
      withBytes(SYN4, 0, 0x43), // IHL 12 bytes
      withBytes(SYN4, 0, 0x4f), // IHL 60 bytes, longer than the packet
      SYN4.subarray(0, 19),
      ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, totalLength: 10, payload: new Uint8Array(20) }),
      ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: new Uint8Array(10) }),
      withBytes(SYN4, 32, 0x30), // TCP data offset 12 bytes
      withBytes(SYN4, 32, 0xf0), // TCP data offset 60 bytes, beyond the datagram
      ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, payload: new Uint8Array(7) }),
      ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 1, payload: new Uint8Array(3) }),
      SYN4,
    ];
    const { b, skipped } = decode(frames, 101);
    expect(b.length).toBe(1);
    expect(skipped).toEqual({
      'ipv4-bad-ihl': 1, 'ipv4-truncated': 2, 'ipv4-bad-total-length': 1, 'tcp-truncated': 1, 'tcp-bad-offset': 2,
      'udp-truncated': 1, 'icmp-truncated': 1,
    });
  });
});

describe('IPv6', () => {
  it('walks hop-by-hop, routing, destination options, mobility, HIP, shim6 and AH to TCP (RFC 8200)', () => {
    const payload = bytes(
      ext('hop', EXT_PROTO.routing), ext('routing', EXT_PROTO.dest, { units: 2 }), ext('dest', EXT_PROTO.mobility),
      ext('mobility', EXT_PROTO.hip, { units: 1 }), ext('hip', EXT_PROTO.shim6), ext('shim6', EXT_PROTO.ah), ext('ah', 6, { units: 4 }),
      tcp({ sport: 1234, dport: 443, flags: TCP_SYN, seq: 9, ack: 0, window: 65535 }),
    );
    const p = ipv6({ src: V6_SRC, dst: V6_DST, next: EXT_PROTO.hop, hop: 200, payload });
    const { b, skipped } = decode([p], 101);
    expect(skipped).toEqual({});
    expect(slot(b, 0)).toEqual({
      ts: 1000, family: 6, src4: 0, dst4: 0, src16: V6_SRC_HEX, dst16: V6_DST_HEX, proto: 6, sport: 1234, dport: 443, flags: TCP_SYN,
      seq: 9, ack: 0, window: 65535, ipId: 0, ttl: 200, ipLen: 40 + payload.length, icmpType: 0, icmpCode: 0, frag: 0,
      wireLen: p.length + 4, iface: 3, cls: 0, tags: 0,
    });
  });

  it('reads the fragment header: identification, first and later fragments, atomic fragments', () => {
    const first = ipv6({ src: V6_SRC, dst: V6_DST, next: 44, payload: bytes(ext('frag', 17, { more: true, id: 0xdeadbeef }), udp(53, 40000)) });
    const later = ipv6({ src: V6_SRC, dst: V6_DST, next: 0, payload: bytes(ext('hop', 44), ext('frag', 17, { fragOffset: 100, id: 0xdeadbeef }), new Uint8Array(8)) });
    const atomic = ipv6({ src: V6_SRC, dst: V6_DST, next: 44, payload: bytes(ext('frag', 58, { id: 5 }), icmp6(1, 4)) });
    const { b } = decode([first, later, atomic], 101);
    expect(slot(b, 0)).toMatchObject({ proto: 17, sport: 53, dport: 40000, ipId: 0xdeadbeef, frag: FRAG_IS_FRAGMENT | FRAG_FIRST | FRAG_MORE });
    expect(slot(b, 1)).toMatchObject({ proto: 17, sport: 0, dport: 0, ipId: 0xdeadbeef, frag: FRAG_IS_FRAGMENT });
    expect(slot(b, 2)).toMatchObject({ proto: 58, icmpType: 1, icmpCode: 4, ipId: 5, frag: 0 });
  });

  it('stops at ESP (50) and No Next Header (59), keeping the packet without ports', () => {
    const esp = ipv6({ src: V6_SRC, dst: V6_DST, next: 0, payload: bytes(ext('hop', 50), [0, 0, 1, 0, 0, 0, 0, 1], new Uint8Array(16)) });
    const none = ipv6({ src: V6_SRC, dst: V6_DST, next: 60, payload: ext('dest', 59) });
    const { b } = decode([esp, none], 229);
    expect(slot(b, 0)).toMatchObject({ family: 6, proto: 50, sport: 0 });
    expect(slot(b, 1)).toMatchObject({ family: 6, proto: 59, sport: 0 });
  });

  it('counts a cut header, a cut or overlong extension header, and an endless chain', () => {
    const cutExt = ipv6({ src: V6_SRC, dst: V6_DST, next: 0, payload: ext('hop', 6, { units: 3 }) });
    const chain = bytes(...Array.from({ length: 40 }, () => ext('dest', 60)));
    const endless = ipv6({ src: V6_SRC, dst: V6_DST, next: 60, payload: chain });
    const shortUdp = ipv6({ src: V6_SRC, dst: V6_DST, next: 17, payload: new Uint8Array(4) });
    const shortHeader = bytes([0x60], new Uint8Array(20));
    const frames = [cutExt.subarray(0, 50), shortHeader, endless, shortUdp, ipv6({ src: V6_SRC, dst: V6_DST, next: 6, payload: new Uint8Array(0) }).subarray(0, 39)];
    const { b, skipped } = decode(frames, 101);
    expect(b.length).toBe(0);
    expect(skipped).toEqual({ 'ipv6-ext-truncated': 1, 'ipv6-truncated': 2, 'ipv6-too-many-ext-headers': 1, 'udp-truncated': 1 });
  });
});

describe('the batch', () => {
  it('a reused slot shows nothing of the packet that was there before', () => {
    const batch = new PacketBatch(2);
    decode([SYN4, SYN4], 101, batch);
    batch.cls.fill(7);
    batch.tags.fill(0xffffffff);
    batch.reset();
    const v6 = ipv6({ src: V6_SRC, dst: V6_DST, next: 59, payload: new Uint8Array(0) });
    const later = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, fragOffset: 2, payload: new Uint8Array(8) });
    decode([v6, later], 101, batch);
    expect(slot(batch, 0)).toEqual({
      ts: 1000, family: 6, src4: 0, dst4: 0, src16: V6_SRC_HEX, dst16: V6_DST_HEX, proto: 59, sport: 0, dport: 0, flags: 0, seq: 0,
      ack: 0, window: 0, ipId: 0, ttl: 64, ipLen: 40, icmpType: 0, icmpCode: 0, frag: 0, wireLen: v6.length + 4, iface: 3, cls: 0, tags: 0,
    });
    expect(slot(batch, 1)).toMatchObject({ family: 4, proto: 17, sport: 0, dport: 0, flags: 0, seq: 0, ack: 0, window: 0, cls: 0, tags: 0, frag: 1 });
  });

  it('never writes past a full batch', () => {
    const batch = new PacketBatch(1);
    const { b } = decode([SYN4, SYN4], 101, batch);
    expect(b.length).toBe(1);
  });
});
