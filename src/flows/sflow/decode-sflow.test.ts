import { describe, expect, it } from 'vitest';
import { bytes, ether, ipv4, ipv6, tcp, udp } from '../../sources/testing/frames.js';
import type { DecodeDatagram, ExportSource } from '../datagram.js';
import { FlowBatch, type FlowRecordView } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeSflow } from './decode-sflow.js';
import { REAL_RECEIVED_AT_MS, realSflowDatagram } from './testing/real-sflow.js';
import {
  counterSample, datagram, extendedGateway, extendedSwitch, flowSample, genericCounters, rawHeader, sampledIPv4, sampledIPv6, tagged, word,
  type GenericCounters,
} from './testing/sflow-datagrams.js';

const FROM: ExportSource = { exporter: '192.0.2.100', port: 47873, receivedAtMs: REAL_RECEIVED_AT_MS };
// The shape every export decoder shares (checked by the compiler).
const asDecodeDatagram: DecodeDatagram = decodeSflow;

function run(d: Uint8Array, from: ExportSource = FROM): { s: ReturnType<typeof decodeSflow>; rows: FlowRecordView[]; skips: Record<string, number> } {
  const b = new FlowBatch(2);
  const skips = new FlowSkipCounters();
  const s = decodeSflow(d, from, b, skips);
  return { s, rows: b.views(), skips: skips.toRecord() };
}

const T = REAL_RECEIVED_AT_MS;
const COMMON = { kind: 'sflow5', exporter: '172.16.0.3', domain: 0, startMs: T, endMs: T, packets: 1, reverseOctets: 0, reversePackets: 0, sampling: 1024 } as const;
const SSH_V6 = { ...COMMON, src: '2a0c:8880:2:0:185:21:130:38', dst: '2a0c:8880:2:0:185:21:130:39', sport: 46026, dport: 22, proto: 6, tcpFlags: 0x10, octets: 1518, inIf: 27, outIf: 28, srcAs: 0, dstAs: 0 };

describe('decodeSflow: a real datagram (akvorado data-1140.pcap), every field as tshark shows it', () => {
  it('decodes the header and the five flow samples (IPv6 and IPv4 sampled headers, rate 1024)', () => {
    const { s, rows, skips } = run(realSflowDatagram());
    expect(skips).toEqual({});
    expect(s).toMatchObject({
      protocol: 'sflow5', agent: '172.16.0.3', domain: 0, sequence: 812646826, sequenceUnit: 'datagrams', sequenceCount: 1,
      records: 5, held: 0, samplingRates: [1024], uptimeMs: 930960704, counters: [],
    });
    expect(s?.samples).toEqual([
      { kind: 'flow', type: 0, index: 28, sequence: 588827825 },
      { kind: 'flow', type: 0, index: 25, sequence: 350388893 },
      { kind: 'flow', type: 0, index: 27, sequence: 488298591 },
      { kind: 'flow', type: 0, index: 28, sequence: 588827826 },
      { kind: 'flow', type: 0, index: 28, sequence: 588827827 },
    ]);
    expect(rows).toEqual([
      SSH_V6,
      // Extended gateway: AS router 39421, source 13335, no destination path: ends at the router's AS.
      { ...COMMON, src: '104.26.8.24', dst: '45.90.161.46', sport: 443, dport: 56876, proto: 6, tcpFlags: 0x18, octets: 439, inIf: 49001, outIf: 25, srcAs: 13335, dstAs: 39421 },
      SSH_V6,
      // Source AS 0 (from the router's own AS 39421), path 203698 6762 26615: the last is the destination's.
      { ...COMMON, src: '45.90.161.148', dst: '191.87.91.27', sport: 55658, dport: 5555, proto: 6, tcpFlags: 0x02, octets: 64, inIf: 28, outIf: 49001, srcAs: 39421, dstAs: 26615 },
      SSH_V6,
    ]);
  });
});

const AGENT6 = '2001:db8::a';

describe('decodeSflow: vectors from the sFlow v5 specification', () => {
  it('reads an IPv6 agent, the sub-agent id, an expanded flow sample with a sampled IPv4 record and the gateway AS path', () => {
    const d = datagram({
      agent: AGENT6, subAgent: 7, sequence: 99, uptimeMs: 123456,
      samples: [flowSample({
        sequence: 5, sourceType: 0, sourceIndex: 0x1234567, rate: 512, input: 70000, outputFormat: 2, output: 3, // several outputs: unknown
        records: [
          sampledIPv4({ length: 1400, proto: 17, src: '198.51.100.1', dst: '203.0.113.9', sport: 53, dport: 40000, tos: 0 }),
          extendedGateway({ nextHop: '2001:db8::1', as: 64500, srcAs: 64496, path: [[64501, 64502], [64503]], communities: [1, 2] }),
        ],
      }, true)],
    });
    const { s, rows, skips } = run(d);
    expect(skips).toEqual({});
    expect(s).toMatchObject({ agent: '2001:db8::a', domain: 7, sequence: 99, uptimeMs: 123456, records: 1, samplingRates: [512] });
    expect(s?.samples).toEqual([{ kind: 'flow', type: 0, index: 0x1234567, sequence: 5 }]);
    expect(rows).toEqual([{
      kind: 'sflow5', exporter: '2001:db8::a', domain: 7, startMs: T, endMs: T, src: '198.51.100.1', dst: '203.0.113.9', sport: 53, dport: 40000,
      proto: 17, tcpFlags: 0, octets: 1400, packets: 1, reverseOctets: 0, reversePackets: 0, sampling: 512, inIf: 70000, outIf: 0, srcAs: 64496, dstAs: 64503,
    }]);
  });

  it('reads a sampled IPv6 record, and compact interfaces: format 0 is an ifIndex, 1 (discarded) and 2 (several) are not', () => {
    const rec = sampledIPv6({ length: 80, proto: 6, src: '2001:db8::1', dst: '2001:db8:ffff::2', sport: 40001, dport: 443, tcpFlags: 0x12 });
    const d = datagram({
      agent: '192.0.2.1',
      samples: [
        flowSample({ rate: 100, input: 3, output: 4, records: [rec] }),
        flowSample({ rate: 100, input: 3, output: (1 << 30) | 258, records: [rec] }), // discarded, reason 258
        flowSample({ rate: 100, input: (2 << 30) | 2, output: 0x3fffffff, records: [rec] }), // internal interface
      ],
    });
    const { rows, skips } = run(d);
    expect(skips).toEqual({});
    expect(rows.map((r) => [r.src, r.dst, r.sport, r.dport, r.proto, r.tcpFlags, r.octets, r.inIf, r.outIf])).toEqual([
      ['2001:db8::1', '2001:db8:ffff::2', 40001, 443, 6, 0x12, 80, 3, 4],
      ['2001:db8::1', '2001:db8:ffff::2', 40001, 443, 6, 0x12, 80, 3, 0],
      ['2001:db8::1', '2001:db8:ffff::2', 40001, 443, 6, 0x12, 80, 0, 0x3fffffff],
    ]);
  });

  it('decodes raw headers of protocol 11 (IPv4), 12 (IPv6) and 1 (Ethernet with an 802.1Q tag) with our packet decoders', () => {
    const v4 = ipv4({ src: '10.1.2.3', dst: '10.4.5.6', proto: 6, payload: tcp({ sport: 1234, dport: 80, flags: 0x02 }) });
    const v6 = ipv6({ src: '2001:db8::5', dst: '2001:db8::6', next: 17, payload: udp(5353, 5353, [1, 2, 3]) });
    const eth = ether(0x0800, ipv4({ src: '192.0.2.7', dst: '192.0.2.8', proto: 6, payload: tcp({ sport: 22, dport: 50000, flags: 0x11 }) }), [0x8100]);
    const d = datagram({
      agent: '192.0.2.1',
      samples: [
        flowSample({ rate: 10, records: [rawHeader(11, 60, v4, 0)] }),
        flowSample({ rate: 10, records: [rawHeader(12, 51, v6, 0)] }),
        flowSample({ rate: 10, records: [extendedSwitch(100), rawHeader(1, 1522, eth.subarray(0, 61))] }), // 61 bytes: padded to 64
      ],
    });
    const { rows, skips } = run(d);
    expect(skips).toEqual({});
    expect(rows.map((r) => [r.src, r.dst, r.sport, r.dport, r.proto, r.tcpFlags, r.octets])).toEqual([
      ['10.1.2.3', '10.4.5.6', 1234, 80, 6, 0x02, 60],
      ['2001:db8::5', '2001:db8::6', 5353, 5353, 17, 0, 51],
      ['192.0.2.7', '192.0.2.8', 22, 50000, 6, 0x11, 1522],
    ]);
  });

  it('prefers a sampled IPv4 record to the raw header for the addresses, whatever their order; octets stay the frame length', () => {
    const hdr = rawHeader(11, 1500, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: udp(1, 2) }), 0);
    const rec = sampledIPv4({ length: 1480, proto: 6, src: '198.51.100.7', dst: '198.51.100.8', sport: 7, dport: 8, tcpFlags: 1 });
    const d = datagram({ agent: '192.0.2.1', samples: [flowSample({ rate: 2, records: [hdr, rec] }), flowSample({ rate: 2, records: [rec, hdr] })] });
    const { rows } = run(d);
    expect(rows.map((r) => [r.src, r.sport, r.proto, r.tcpFlags, r.octets])).toEqual([['198.51.100.7', 7, 6, 1, 1500], ['198.51.100.7', 7, 6, 1, 1500]]);
  });

  it('skips records and samples of other enterprises and unknown formats by their length', () => {
    const rec = sampledIPv4({ length: 100, proto: 6, src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2 });
    const d = datagram({
      agent: '192.0.2.1',
      samples: [
        tagged(1, new Uint8Array([1, 2, 3, 4, 5]), 4413), // a vendor's sample format 1: not a flow sample
        tagged(9, new Uint8Array(12)), // a standard sample format we do not know
        flowSample({ rate: 4, records: [tagged(1, new Uint8Array(7), 8800), tagged(2100, new Uint8Array(20)), rec] }),
      ],
    });
    const { s, rows, skips } = run(d);
    expect(skips).toEqual({});
    expect(s?.samples).toHaveLength(1);
    expect(rows.map((r) => [r.src, r.dst, r.octets, r.sampling])).toEqual([['192.0.2.1', '192.0.2.2', 100, 4]]);
  });

  it('returns generic interface counters of compact and expanded counter samples, stores nothing in the batch', () => {
    const c: GenericCounters = {
      ifIndex: 3, ifType: 6, ifSpeed: 10_000_000_000, ifDirection: 1, ifStatus: 3, inOctets: 2 ** 40 + 5, inUcastPkts: 1000, inMulticastPkts: 7,
      inBroadcastPkts: 8, inDiscards: 1, inErrors: 2, inUnknownProtos: 3, outOctets: 123456789012, outUcastPkts: 2000, outMulticastPkts: 9,
      outBroadcastPkts: 10, outDiscards: 4, outErrors: 5, promiscuousMode: 0,
    };
    const ethernetCounters = tagged(2, new Uint8Array(52)); // counter record 2: skipped by length
    const d = datagram({
      agent: '192.0.2.1', subAgent: 2,
      samples: [
        counterSample({ sequence: 41, sourceIndex: 3, records: [ethernetCounters, genericCounters(c)] }),
        counterSample({ sequence: 42, sourceType: 0, sourceIndex: 0x2000000, records: [genericCounters({ ...c, ifIndex: 0x2000000 })] }, true),
      ],
    });
    const { s, rows, skips } = run(d);
    expect(skips).toEqual({});
    expect(rows).toEqual([]);
    expect(s?.records).toBe(0);
    expect(s?.samples).toEqual([
      { kind: 'counters', type: 0, index: 3, sequence: 41 },
      { kind: 'counters', type: 0, index: 0x2000000, sequence: 42 },
    ]);
    expect(s?.counters).toEqual([
      { agent: '192.0.2.1', subAgent: 2, source: { type: 0, index: 3 }, sequence: 41, receivedAtMs: T, ...c },
      { agent: '192.0.2.1', subAgent: 2, source: { type: 0, index: 0x2000000 }, sequence: 42, receivedAtMs: T, ...c, ifIndex: 0x2000000 },
    ]);
  });

  it('keeps a sample of rate 0 with sampling 1 and counts sampling-rate-zero', () => {
    const rec = sampledIPv4({ length: 60, proto: 6, src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2 });
    const { s, rows, skips } = run(datagram({ agent: '192.0.2.1', samples: [flowSample({ rate: 0, records: [rec] })] }));
    expect(skips).toEqual({ 'sampling-rate-zero': 1 });
    expect(rows.map((r) => r.sampling)).toEqual([1]);
    expect(s?.samplingRates).toEqual([1]);
  });

  it('counts a header our decoders cannot read (unknown protocol, ARP) and a sample without any packet record, storing neither', () => {
    const arp = ether(0x0806, new Uint8Array(28));
    const ok = sampledIPv4({ length: 60, proto: 6, src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2 });
    const d = datagram({
      agent: '192.0.2.1',
      samples: [
        flowSample({ rate: 8, records: [rawHeader(2, 64, new Uint8Array(40))] }), // ISO 8802-4 token bus
        flowSample({ rate: 8, records: [rawHeader(1, 64, arp)] }),
        flowSample({ rate: 8, records: [extendedSwitch(5)] }),
        flowSample({ rate: 8, records: [ok] }),
      ],
    });
    const { s, rows, skips } = run(d);
    expect(skips).toEqual({ 'sflow-header-undecodable': 2, 'sflow-sample-without-packet': 1 });
    expect(rows).toHaveLength(1);
    expect(s?.samples).toHaveLength(4); // their sequence numbers still count for loss
  });

  it('rejects what is not an sFlow v5 datagram header: another version, an unknown agent address type, a cut header', () => {
    const good = datagram({ agent: '192.0.2.1', samples: [] });
    const v4 = Uint8Array.from(good);
    v4[3] = 4;
    const badType = bytes(word(5), word(3), new Uint8Array(40));
    for (const [d, reason] of [[v4, 'unknown-version'], [badType, 'sflow-bad-address-type'], [good.subarray(0, 27), 'datagram-truncated'], [good.subarray(0, 5), 'datagram-truncated']] as const) {
      const { s, rows, skips } = run(d);
      expect(s).toBeNull();
      expect(rows).toEqual([]);
      expect(skips).toEqual({ [reason]: 1 });
    }
    expect(run(good).s).toMatchObject({ records: 0, samples: [] });
  });

  it('never reads past a length: samples or records beyond their container are counted, what came before is kept', () => {
    const rec = sampledIPv4({ length: 60, proto: 6, src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2 });
    const s1 = flowSample({ sequence: 1, rate: 8, records: [rec] });
    const s2 = flowSample({ sequence: 2, rate: 8, records: [rec] });
    // The second sample cut short: its length says more than the datagram holds.
    const cutSample = datagram({ agent: '192.0.2.1', samples: [s1, s2] });
    const a = run(cutSample.subarray(0, cutSample.length - 10));
    expect(a.skips).toEqual({ 'sflow-sample-truncated': 1 });
    expect(a.rows).toHaveLength(1);
    // More samples announced than there are.
    const b = run(datagram({ agent: '192.0.2.1', samples: [s1], numSamples: 3 }));
    expect(b.skips).toEqual({ 'sflow-sample-truncated': 1 });
    expect(b.rows).toHaveLength(1);
    // A record whose length runs past its sample (the sample's length is right): the sample's
    // earlier record stands, the bytes after the sample are never taken for the record.
    const long = Uint8Array.from(rec);
    long.set(word(200), 4);
    const c = run(datagram({ agent: '192.0.2.1', samples: [flowSample({ rate: 8, records: [rec, long] }), s2] }));
    expect(c.skips).toEqual({ 'sflow-record-truncated': 1 });
    expect(c.rows).toHaveLength(2);
    // A sampled IPv4 record too short for its fields, and a raw header longer than its record.
    const shortIPv4 = tagged(3, new Uint8Array(16));
    const hdr = rawHeader(11, 60, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, payload: udp(1, 2) }), 0);
    const badHdr = Uint8Array.from(hdr);
    badHdr.set(word(1000), 8 + 12); // header length 1000 in a 48-byte record
    const e = run(datagram({ agent: '192.0.2.1', samples: [flowSample({ rate: 8, records: [shortIPv4] }), flowSample({ rate: 8, records: [badHdr] })] }));
    expect(e.skips).toEqual({ 'sflow-record-truncated': 2 });
    expect(e.rows).toEqual([]);
    // A flow sample too short for its fixed fields.
    const f = run(datagram({ agent: '192.0.2.1', samples: [tagged(1, new Uint8Array(20))] }));
    expect(f.skips).toEqual({ 'sflow-sample-truncated': 1 });
  });

  it('is a DecodeDatagram', () => {
    expect(asDecodeDatagram(realSflowDatagram(), FROM, new FlowBatch(8), new FlowSkipCounters())?.records).toBe(5);
  });
});
