/**
 * The decoders against real exporters' datagrams (../shared/data/flows, see its README). The
 * expected values were read off tshark 4.0's decode (`tshark -r FILE -d udp.port==PORT,cflow -V`)
 * by hand; times are the header's wall clock less the record's distance from the header's uptime.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { decodeDatagrams } from './testing/decode-captures.js';
import { udpDatagrams } from './testing/pcap-udp.js';
import { TemplateCache } from './template-cache.js';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';

const capture = (name: string) => udpDatagrams(sharedData(`flows/${name}`));

describe('NetFlow v5 from a Huawei router (akvorado-nfv5.pcap)', () => {
  const { records, summaries, skips } = decodeDatagrams('netflow5', capture('akvorado-nfv5.pcap'));

  it('decodes the 29 records with the header facts', () => {
    expect(records).toHaveLength(29);
    expect(skips).toEqual({});
    expect(summaries[0]).toEqual({
      protocol: 'netflow5', domain: 3, agent: '10.19.144.41', sequence: 1961402419, sequenceUnit: 'records', sequenceCount: 29,
      records: 29, held: 0, samplingRates: [1],
    });
  });

  it('gives each record its fields and absolute times', () => {
    // Header: unix_secs 1680626679, nsecs 0, SysUptime 2874339 s; pdu 2 StartTime 2874315 s, EndTime 2874324 s.
    expect(records[1]).toEqual({
      kind: 'netflow5', exporter: '10.19.144.41', domain: 3, startMs: 1680626655000, endMs: 1680626664000,
      src: '173.194.4.8', dst: '202.160.21.5', sport: 443, dport: 37422, proto: 6, tcpFlags: 0x10, octets: 10262, packets: 7,
      reverseOctets: 0, reversePackets: 0, sampling: 1, inIf: 115, outIf: 86, srcAs: 15169, dstAs: 0,
    });
    expect(records[0]).toMatchObject({ src: '161.202.212.212', dst: '202.152.70.24', sport: 30104, dport: 11963, tcpFlags: 0x18, octets: 133, packets: 1, srcAs: 36351, dstAs: 10101, startMs: 1680626664000 });
    // pdu 8 started 60 s before the header's uptime (StartTime 2874279 s).
    expect(records[7]?.startMs).toBe(1680626679000 - 60000);
  });
});

describe('NetFlow v9 (akvorado-nfv9-template.pcap, akvorado-nfv9-data.pcap)', () => {
  const template = capture('akvorado-nfv9-template.pcap');
  const data = capture('akvorado-nfv9-data.pcap');

  it('decodes the 4 data records with template 260', () => {
    const { records, summaries, skips } = decodeDatagrams('netflow9', [...template, ...data]);
    expect(skips).toEqual({});
    expect(summaries[0]).toMatchObject({ protocol: 'netflow9', domain: 0, sequence: 44796985, sequenceUnit: 'datagrams', sequenceCount: 1, records: 0 });
    expect(summaries[1]).toMatchObject({ sequence: 44797001, records: 4, held: 0, samplingRates: [1] });
    expect(records).toHaveLength(4);
    // Data header: unix_secs 1647285928, SysUptime 944951.609 s; flow 2 StartTime = EndTime = 944948.659 s.
    expect(records[1]).toEqual({
      kind: 'netflow9', exporter: '192.0.2.100', domain: 0, startMs: 1647285925050, endMs: 1647285925050,
      src: '198.38.121.219', dst: '88.122.57.97', sport: 443, dport: 2444, proto: 6, tcpFlags: 0x10, octets: 1500, packets: 1,
      reverseOctets: 0, reversePackets: 0, sampling: 1, inIf: 335, outIf: 452, srcAs: 0, dstAs: 0,
    });
    expect(records[3]).toMatchObject({ src: '74.125.100.234', dst: '88.120.219.117', octets: 1448, inIf: 461, outIf: 451, dport: 52300, startMs: 1647285925052 });
  });

  it('holds the data when it comes before its template and decodes it when the template arrives', () => {
    const { records, summaries, skips } = decodeDatagrams('netflow9', [...data, ...template]);
    expect(summaries[0]).toMatchObject({ records: 0, held: 1 });
    expect(summaries[1]).toMatchObject({ records: 4, held: 0 });
    expect(records.map((r) => r.octets)).toEqual([1500, 1500, 1400, 1448]);
    // Held data keeps its own datagram's time base (SysUptime 944951.609 s).
    expect(records[1]?.startMs).toBe(1647285925050);
    expect(skips).toEqual({});
  });

  it('counts data whose template never comes as data-without-template once the hold expires', () => {
    let now = 1_700_000_000_000;
    const cache = new TemplateCache(() => now);
    const { summaries } = decodeDatagrams('netflow9', data, cache);
    expect(summaries[0]).toMatchObject({ held: 1, records: 0 });
    const skips = new FlowSkipCounters();
    const batch = new FlowBatch(8);
    now += 5_000;
    expect(cache.flushHeld(batch, skips)).toBe(0);
    expect(skips.toRecord()).toEqual({});
    now += 5_000;
    cache.flushHeld(batch, skips);
    expect(skips.toRecord()).toEqual({ 'data-without-template': 1 });
    expect(cache.heldSets).toBe(0);
  });
});

interface Golden { ip_src: string; ip_dst: string; port_src: number; port_dst: number; ip_proto: string; bytes: number; packets: number; timestamp_start: string; timestamp_end: string; iface_in: number; iface_out: number }

describe('IPFIX from a Cisco ASR9k (pmacct-100-ipfix-cisco.pcap)', () => {
  const datagrams = capture('pmacct-100-ipfix-cisco.pcap');
  const { records, summaries, skips, cache } = decodeDatagrams('ipfix', datagrams);

  it('takes templates sent from two source ports, one per observation domain', () => {
    expect(new Set(datagrams.map((g) => g.sport))).toEqual(new Set([50109, 50111]));
    expect(skips).toEqual({});
    expect(records).toHaveLength(12);
    expect(cache.listing().map((t) => [t.domain, t.templateId, t.fieldCount, t.kind]).sort()).toEqual([[851968, 260, 33, 'data'], [917504, 263, 33, 'data']]);
    expect(summaries.map((s) => [s?.domain, s?.sequence, s?.sequenceCount])).toEqual([
      [851968, 4210974, 0], [917504, 1058772, 0], [851968, 4210974, 4], [917504, 1058772, 2], [851968, 4210978, 4], [917504, 1058774, 2],
    ]);
  });

  it('decodes IPv4 and IPv6 records as tshark does', () => {
    // Frame 3, flow 1: StartTime Feb 28, 2023 09:46:01.088 UTC, EndTime 09:46:12.352 (flowStart/EndMilliseconds).
    expect(records[0]).toEqual({
      kind: 'ipfix', exporter: '138.187.0.13', domain: 851968, startMs: Date.UTC(2023, 1, 28, 9, 46, 1, 88), endMs: Date.UTC(2023, 1, 28, 9, 46, 12, 352),
      src: '10.231.65.56', dst: '10.192.12.213', sport: 17000, dport: 17000, proto: 17, tcpFlags: 0, octets: 220, packets: 2,
      reverseOctets: 0, reversePackets: 0, sampling: 1, inIf: 995, outIf: 841, srcAs: 4294967295, dstAs: 4294967295,
    });
    // Frame 4, flow 1: IPv6, 5512 octets, StartTime 09:45:58.784.
    expect(records[4]).toMatchObject({ domain: 917504, src: '2001:1700:f101:2000::1', octets: 5512, startMs: Date.UTC(2023, 1, 28, 9, 45, 58, 784) });
  });

  it('agrees with pmacct’s golden output, flow by flow (matched by 5-tuple; pmacct gives times in whole seconds)', () => {
    const golden = readFileSync(sharedData('flows/pmacct-100-ipfix-cisco.golden.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Golden);
    expect(golden).toHaveLength(12);
    const protoNumber: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, ipv6_icmp: 58 };
    let matched = 0;
    for (const g of golden) {
      const mine = records.filter((r) => r.src === g.ip_src && r.dst === g.ip_dst && r.sport === g.port_src && r.dport === g.port_dst && r.proto === protoNumber[g.ip_proto]);
      expect(mine.length, `${g.ip_src} → ${g.ip_dst}`).toBe(1);
      expect(mine.reduce((a, r) => a + r.octets, 0)).toBe(g.bytes);
      expect(mine.reduce((a, r) => a + r.packets, 0)).toBe(g.packets);
      expect(Math.floor(Math.min(...mine.map((r) => r.startMs)) / 1000)).toBe(Number(g.timestamp_start));
      expect(Math.floor(Math.max(...mine.map((r) => r.endMs)) / 1000)).toBe(Number(g.timestamp_end));
      expect(mine.every((r) => r.inIf === g.iface_in && r.outIf === g.iface_out)).toBe(true);
      matched += mine.length;
    }
    expect(matched).toBe(records.length);
  });
});
