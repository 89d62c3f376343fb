import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../test/fixtures/shared-data.js';
import { chunked, readAll } from './testing/read-all.js';

/**
 * Real captures (esnet-security/curated-pcaps). Expected figures were read off the files with
 * tshark 4.x: packets per protocol, flags, sums of ports, sequence numbers, TTLs and IP IDs.
 */
const EXPECTED: Record<string, { packets: number; tcp: number; icmpUnreach: number; sumSport: number; sumDport: number; sumSeq: number; syn: number; synAck: number; rst: number; sumTtl: number; sumId: number; first: number; last: number }> = {
  'nmap-nmap_80_all.pcap': { packets: 431, tcp: 425, icmpUnreach: 6, sumSport: 11874267, sumDport: 10366263, sumSeq: 1057320968888, syn: 35, synAck: 35, rst: 16, sumTtl: 26344, sumId: 11307390, first: 1596347378734373, last: 1596347386099090 },
  'nmap-nmap_80_w_service_detection.pcap': { packets: 154, tcp: 148, icmpUnreach: 6, sumSport: 4204729, sumDport: 3577910, sumSeq: 222520629115, syn: 11, synAck: 11, rst: 22, sumTtl: 9404, sumId: 5754511, first: 1596348075804077, last: 1596348082253606 },
  'tcp-control-one_way_all_flags.pcap': { packets: 63, tcp: 63, icmpUnreach: 0, sumSport: 2816680, sumDport: 5040, sumSeq: 0, syn: 16, synAck: 15, rst: 31, sumTtl: 4032, sumId: 63, first: 1597873420827787, last: 1597873466412557 },
  'tcp-control-single_rst.pcap': { packets: 1, tcp: 1, icmpUnreach: 0, sumSport: 48777, sumDport: 80, sumSeq: 0, syn: 0, synAck: 0, rst: 1, sumTtl: 64, sumId: 1, first: 1597255063527343, last: 1597255063527343 },
  'tcp-control-single_syn.pcap': { packets: 1, tcp: 1, icmpUnreach: 0, sumSport: 30692, sumDport: 80, sumSeq: 0, syn: 1, synAck: 0, rst: 0, sumTtl: 64, sumId: 1, first: 1597255063557008, last: 1597255063557008 },
  'tcp-control-single_syn_ack.pcap': { packets: 1, tcp: 1, icmpUnreach: 0, sumSport: 42254, sumDport: 80, sumSeq: 0, syn: 0, synAck: 1, rst: 0, sumTtl: 64, sumId: 1, first: 1597255063844823, last: 1597255063844823 },
};

describe('real captures', () => {
  for (const [file, e] of Object.entries(EXPECTED)) {
    it(`decodes ${file} exactly as tshark does`, async () => {
      const data = readFileSync(sharedData(`pcap/${file}`));
      const { packets, summary } = await readAll([data], 100);
      expect(summary).toMatchObject({ format: 'pcap', gzip: false, records: e.packets, packets: e.packets, linkTypes: [1] });
      expect(summary.truncated).toBeUndefined();
      expect(summary.corrupt).toBeUndefined();
      const tcp = packets.filter((p) => p.proto === 6);
      expect(tcp.length).toBe(e.tcp);
      expect(packets.filter((p) => p.proto === 1 && p.icmpType === 3).length).toBe(e.icmpUnreach);
      expect(tcp.reduce((a, p) => a + p.sport, 0)).toBe(e.sumSport);
      expect(tcp.reduce((a, p) => a + p.dport, 0)).toBe(e.sumDport);
      expect(tcp.reduce((a, p) => a + p.seq, 0)).toBe(e.sumSeq);
      expect(tcp.filter((p) => (p.flags & 0x12) === 0x02).length).toBe(e.syn);
      expect(tcp.filter((p) => (p.flags & 0x12) === 0x12).length).toBe(e.synAck);
      expect(tcp.filter((p) => (p.flags & 0x04) !== 0).length).toBe(e.rst);
      expect(packets.reduce((a, p) => a + p.ttl, 0)).toBe(e.sumTtl);
      expect(packets.reduce((a, p) => a + p.id, 0)).toBe(e.sumId);
      expect(packets[0]?.ts).toBe(e.first);
      expect(packets[packets.length - 1]?.ts).toBe(e.last);
      expect(summary).toMatchObject({ firstTsMicros: e.first, lastTsMicros: e.last, skipped: {} });
    });
  }

  it('reads the first nmap SYN field by field', async () => {
    const { packets } = await readAll([readFileSync(sharedData('pcap/nmap-nmap_80_all.pcap'))]);
    expect(packets[0]).toMatchObject({ family: 4, src: '10.87.1.10', dst: '130.211.223.103', proto: 6, sport: 52232, dport: 80, flags: 0x02, id: 0x056c, seq: 1576120915 });
    expect(packets[2]).toMatchObject({ src: '130.211.223.103', dst: '10.87.1.10', sport: 443, dport: 49870, flags: 0x12, seq: 3493545941, ttl: 58, id: 0 });
  });

  it('reads the single SYN, SYN-ACK and RST captures field by field', async () => {
    const one = async (f: string) => (await readAll([readFileSync(sharedData(`pcap/tcp-control-${f}.pcap`))])).packets[0];
    const common = { family: 4, src: '10.0.0.10', dst: '10.0.0.80', proto: 6, dport: 80, seq: 0, ttl: 64, id: 1, frag: 0 };
    expect(await one('single_syn')).toMatchObject({ ...common, sport: 30692, flags: 0x02 });
    expect(await one('single_syn_ack')).toMatchObject({ ...common, sport: 42254, flags: 0x12 });
    expect(await one('single_rst')).toMatchObject({ ...common, sport: 48777, flags: 0x04 });
  });

  it('reads a real capture the same whole, gzip-compressed and in 1-byte chunks', async () => {
    const data = readFileSync(sharedData('pcap/nmap-nmap_80_w_service_detection.pcap'));
    const base = await readAll([data], 64);
    const gz = await readAll(chunked(gzipSync(data), [1000]), 64);
    const tiny = await readAll(chunked(data, [1]), 64);
    expect(gz.packets).toEqual(base.packets);
    expect(tiny.packets).toEqual(base.packets);
    expect(tiny.batches).toBe(base.batches);
  });
});
