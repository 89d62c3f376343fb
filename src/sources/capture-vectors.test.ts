import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { bytes, ether, ext, icmp, ipv4, ipv6, nullLink, sll, sll2, tcp, udp } from './testing/frames.js';
import { PcapngBuilder, pcapFile } from './testing/capture-files.js';
import { chunked, readAll } from './testing/read-all.js';

const SYN = 0x02;
const syn4 = (src = '192.0.2.1', dst = '198.18.0.7'): Uint8Array =>
  ipv4({ src, dst, proto: 6, id: 0x1234, ttl: 51, payload: tcp({ sport: 40000, dport: 23, seq: 0xc6120007, flags: SYN, window: 5840 }) });
const echo6 = ipv6({ src: '2001:db8::1', dst: '2001:db8:dead::9', next: 58, hop: 60, payload: icmp(128, 0) });

describe('link layers', () => {
  const cases: [string, number, Uint8Array][] = [
    ['Ethernet', 1, ether(0x0800, syn4())],
    ['802.1Q', 1, ether(0x0800, syn4(), [0x8100])],
    ['QinQ 88a8+8100', 1, ether(0x0800, syn4(), [0x88a8, 0x8100])],
    ['QinQ 9100', 1, ether(0x0800, syn4(), [0x9100, 0x8100])],
    ['raw 101', 101, syn4()],
    ['raw 12', 12, syn4()],
    ['raw 14', 14, syn4()],
    ['IPv4 228', 228, syn4()],
    ['SLL', 113, sll(0x0800, syn4())],
    ['SLL2', 276, sll2(0x0800, syn4())],
    ['NULL little-endian', 0, nullLink(2, true, syn4())],
    ['NULL big-endian', 0, nullLink(2, false, syn4())],
    ['LOOP', 108, nullLink(2, false, syn4())],
  ];
  for (const [name, link, frame] of cases) {
    it(`decodes IPv4/TCP over ${name}`, async () => {
      const { packets, summary } = await readAll([pcapFile([{ ts: 1700000000.5, frame }], { linkType: link })]);
      expect(summary.skipped).toEqual({});
      expect(packets).toEqual([expect.objectContaining({
        ts: 1700000000500000, family: 4, src: '192.0.2.1', dst: '198.18.0.7', proto: 6, sport: 40000, dport: 23,
        seq: 0xc6120007, flags: SYN, window: 5840, id: 0x1234, ttl: 51, ipLen: 40, frag: 0, wireLen: frame.length,
      })]);
    });
  }

  it('decodes IPv6 over Ethernet, SLL2, raw, 229 and BSD loopback (24, 28, 30)', async () => {
    const frames = [ether(0x86dd, echo6), sll2(0x86dd, echo6), echo6, nullLink(24, true, echo6), nullLink(28, true, echo6), nullLink(30, false, echo6)];
    const links = [1, 276, 101, 0, 0, 0];
    for (const [k, frame] of frames.entries()) {
      const { packets } = await readAll([pcapFile([{ ts: 1, frame }], { linkType: links[k] ?? 0 })]);
      expect(packets[0]).toMatchObject({ family: 6, src: '2001:db8:0:0:0:0:0:1', dst: '2001:db8:dead:0:0:0:0:9', proto: 58, icmpType: 128, ttl: 60, ipLen: 48 });
    }
  });

  it('counts non-IP frames and unsupported link types, and stores nothing for them', async () => {
    const arp = ether(0x0806, new Uint8Array(28));
    const { packets, summary } = await readAll([pcapFile([{ ts: 1, frame: arp }, { ts: 2, frame: ether(0x0800, syn4()) }], { linkType: 1 })]);
    expect(packets.length).toBe(1);
    expect(summary.skipped).toEqual({ 'non-ip': 1 });
    const odd = await readAll([pcapFile([{ ts: 1, frame: syn4() }], { linkType: 147 })]);
    expect(odd.summary.skipped).toEqual({ 'unsupported-linktype': 1 });
  });
});

describe('IP and transport', () => {
  const one = async (frame: Uint8Array) => (await readAll([pcapFile([{ ts: 1, frame }], { linkType: 101 })]));

  it('skips IPv4 options by IHL', async () => {
    const p = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, options: [0x94, 4, 0, 0, 1, 1, 1, 0], payload: udp(5353, 161) });
    expect((await one(p)).packets[0]).toMatchObject({ proto: 17, sport: 5353, dport: 161, ipLen: 36 });
  });

  it('marks IPv4 fragments; only the first carries ports', async () => {
    const first = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, id: 77, moreFragments: true, payload: udp(1, 2, Array(16).fill(0)) });
    const later = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 17, id: 77, fragOffset: 3, payload: new Uint8Array(8) });
    const a = (await one(first)).packets[0];
    const b = (await one(later)).packets[0];
    expect(a).toMatchObject({ frag: 0x01 | 0x02 | 0x04, sport: 1, dport: 2, id: 77 });
    expect(b).toMatchObject({ frag: 0x01, sport: 0, dport: 0, proto: 17, id: 77 });
  });

  it('walks an IPv6 extension header chain to the transport', async () => {
    const payload = bytes(ext('hop', 43), ext('routing', 60, { units: 2 }), ext('dest', 51), ext('ah', 6), tcp({ sport: 1234, dport: 443, flags: SYN, seq: 9 }));
    const p = ipv6({ src: '2001:db8::5', dst: '2001:db8:dead::1', next: 0, payload });
    expect((await one(p)).packets[0]).toMatchObject({ family: 6, proto: 6, sport: 1234, dport: 443, flags: SYN, seq: 9 });
  });

  it('reads the IPv6 fragment header: identification, first and later fragments', async () => {
    const first = ipv6({ src: '2001:db8::5', dst: '2001:db8:dead::1', next: 44, payload: bytes(ext('frag', 17, { more: true, id: 0xdeadbeef }), udp(53, 40000)) });
    const later = ipv6({ src: '2001:db8::5', dst: '2001:db8:dead::1', next: 44, payload: bytes(ext('frag', 17, { fragOffset: 100, id: 0xdeadbeef }), new Uint8Array(8)) });
    expect((await one(first)).packets[0]).toMatchObject({ proto: 17, sport: 53, dport: 40000, id: 0xdeadbeef, frag: 7 });
    expect((await one(later)).packets[0]).toMatchObject({ proto: 17, sport: 0, dport: 0, id: 0xdeadbeef, frag: 1 });
  });

  it('reads ICMP and ICMPv6 type and code; other protocols are kept without ports', async () => {
    const unreach = ipv4({ src: '203.0.113.9', dst: '198.18.0.1', proto: 1, payload: icmp(3, 3, [0, 0, 0, 0, ...syn4('198.18.0.1', '203.0.113.9').subarray(0, 28)]) });
    expect((await one(unreach)).packets[0]).toMatchObject({ proto: 1, icmpType: 3, icmpCode: 3, sport: 0, dport: 0 });
    const gre = ipv4({ src: '203.0.113.9', dst: '198.18.0.1', proto: 47, payload: new Uint8Array(4) });
    expect((await one(gre)).packets[0]).toMatchObject({ proto: 47, sport: 0 });
  });

  it('counts malformed packets by reason', async () => {
    const badIhl = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: tcp({ sport: 1, dport: 2, flags: SYN }) });
    badIhl[0] = 0x43;
    const shortTcp = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: new Uint8Array(10) });
    const badOffset = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: tcp({ sport: 1, dport: 2, flags: SYN }) });
    badOffset[20 + 12] = 0x30;
    const badVersion = syn4();
    badVersion[0] = 0x55;
    const shortV6 = echo6.subarray(0, 30);
    const badTotal = ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, totalLength: 10, payload: tcp({ sport: 1, dport: 2, flags: SYN }) });
    const frames = [badIhl, shortTcp, badOffset, badVersion, shortV6, badTotal, syn4()].map((frame, k) => ({ ts: k, frame }));
    const { packets, summary } = await readAll([pcapFile(frames, { linkType: 101 })]);
    expect(packets.length).toBe(1);
    expect(summary.skipped).toEqual({ 'ipv4-bad-ihl': 1, 'tcp-truncated': 1, 'tcp-bad-offset': 1, 'ip-bad-version': 1, 'ipv6-truncated': 1, 'ipv4-bad-total-length': 1 });
  });
});

describe('pcap and pcapng files', () => {
  const frames = Array.from({ length: 50 }, (_, k) => ({ ts: 1700000000 + k / 8, frame: ether(0x0800, syn4(`192.0.2.${k + 1}`)) }));

  it('reads both byte orders and nanosecond timestamps', async () => {
    const base = await readAll([pcapFile(frames, { linkType: 1 })]);
    for (const o of [{ bigEndian: true }, { nano: true }, { nano: true, bigEndian: true }]) {
      const r = await readAll([pcapFile(frames, { linkType: 1, ...o })]);
      expect(r.packets).toEqual(base.packets);
    }
  });

  it('gives identical results for gzip input and for any chunking', async () => {
    const file = pcapFile(frames, { linkType: 1 });
    const base = await readAll([file], 7);
    expect(base.batches).toBe(8);
    for (const sizes of [[1], [7], [3, 100, 1], [4096]]) {
      const r = await readAll(chunked(file, sizes), 7);
      expect(r.packets).toEqual(base.packets);
      expect(r.batches).toBe(8);
    }
    const gz = await readAll(chunked(gzipSync(file), [13]), 7);
    expect(gz.packets).toEqual(base.packets);
    expect(gz.summary.gzip).toBe(true);
  });

  it('reads pcapng sections, interfaces with their own link types and resolutions, EPB, SPB and obsolete PB', async () => {
    for (const le of [true, false]) {
      const ng = new PcapngBuilder(le)
        .shb()
        .idb(1, { snaplen: 65535, name: 'eth0' })
        .idb(101, { tsresol: 9, tsoffset: 10 })
        .block(0xbad, [1, 2, 3]) // unknown block, skipped by length
        .epb(0, 1_700_000_000_123_456n, ether(0x0800, syn4('192.0.2.1')), { comment: 'first' })
        .epb(1, 5_000_000_123n, syn4('192.0.2.2'))
        .block(4, [0, 0, 0, 0]) // name resolution block
        .spb(ether(0x0800, syn4('192.0.2.3')))
        .opb(0, 1_700_000_001_000_000n, ether(0x0800, syn4('192.0.2.4')))
        .build();
      const second = new PcapngBuilder(!le).shb().idb(113, { tsresol: 0x80 | 10 }).epb(0, 1024n * 3n, sll(0x0800, syn4('192.0.2.5'))).build();
      const { packets, summary } = await readAll([bytes(ng, second)]);
      expect(summary).toMatchObject({ format: 'pcapng', records: 5, packets: 5, linkTypes: [1, 101, 113] });
      expect(packets.map((p) => p.src)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5']);
      expect(packets.map((p) => p.iface)).toEqual([0, 1, 0, 0, 0]);
      // ns resolution with a 10 s offset; the SPB takes the previous time; 3072 units of 2^-10 s.
      expect(packets.map((p) => p.ts)).toEqual([1_700_000_000_123_456, 15_000_000, 15_000_000, 1_700_000_001_000_000, 3_000_000]);
    }
  });

  it('refuses a wrong magic number with the file name, and an empty input', async () => {
    const err = await readAll([new TextEncoder().encode('GET / HTTP/1.1\r\n')], 10, 'notes.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SakimoriError);
    expect((err as SakimoriError).code).toBe('CAPTURE_BAD_MAGIC');
    expect((err as SakimoriError).message).toContain('notes.txt');
    const empty = await readAll([], 10, 'empty.pcap').catch((e: unknown) => e);
    expect((empty as SakimoriError).code).toBe('CAPTURE_BAD_MAGIC');
  });

  it('keeps every complete record of a truncated file and says where it was cut', async () => {
    const file = pcapFile(frames, { linkType: 1 });
    const recLen = 16 + (frames[0]?.frame.length ?? 0);
    for (const cut of [24 + 10 * recLen + 5, 24 + 10 * recLen + 20, 24 + 10 * recLen]) {
      const r = await readAll([file.subarray(0, cut)], 4);
      expect(r.packets.length).toBe(10);
      if (cut === 24 + 10 * recLen) expect(r.summary.truncated).toBeUndefined();
      else expect(r.summary.truncated).toMatchObject({ offset: 24 + 10 * recLen, record: 10 });
    }
    const ng = new PcapngBuilder().shb().idb(1).epb(0, 1n, ether(0x0800, syn4())).epb(0, 2n, ether(0x0800, syn4())).build();
    const cutNg = await readAll([ng.subarray(0, ng.length - 7)]);
    expect(cutNg.packets.length).toBe(1);
    expect(cutNg.summary.truncated?.record).toBe(1);
    const gz = gzipSync(file);
    const cutGz = await readAll([gz.subarray(0, Math.floor(gz.length / 2))]);
    expect(cutGz.summary.truncated?.message).toMatch(/error|ends inside/);
  });

  it('stops at a corrupt record length and keeps what came before', async () => {
    const file = pcapFile(frames, { linkType: 1 });
    const recLen = 16 + (frames[0]?.frame.length ?? 0);
    const bad = Uint8Array.from(file);
    new DataView(bad.buffer).setUint32(24 + 5 * recLen + 8, 0x7fffffff, true);
    const r = await readAll([bad]);
    expect(r.packets.length).toBe(5);
    expect(r.summary.corrupt).toMatchObject({ offset: 24 + 5 * recLen, record: 5 });
  });
});
