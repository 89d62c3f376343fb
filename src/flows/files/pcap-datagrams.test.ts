import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { PcapngBuilder, pcapFile } from '../../sources/testing/capture-files.js';
import { bytes, ether, ext, ipv4, ipv6, sll, udp } from '../../sources/testing/frames.js';
import { chunked } from '../../sources/testing/read-all.js';
import { realSflowDatagram } from '../sflow/testing/real-sflow.js';
import { readDatagrams } from './testing/read-datagrams.js';

const flows = (f: string): Uint8Array => readFileSync(sharedData(`flows/${f}`));

describe('readPcapDatagrams: the real captures', () => {
  // Source address, port, capture time (ms) and UDP payload length of every datagram, as tshark shows them.
  for (const [file, expected] of [
    ['akvorado-nfv5.pcap', [['10.19.144.41', 40000, 1680655485099, 1416]]],
    ['akvorado-nfv9-template.pcap', [['192.0.2.100', 47873, 1662723663679, 120]]],
    ['akvorado-nfv9-data.pcap', [['192.0.2.100', 47873, 1662723601518, 284]]],
    ['pmacct-100-ipfix-cisco.pcap', [
      ['138.187.0.13', 50109, 1672534805000, 156], ['138.187.0.13', 50111, 1672534805001, 156], ['138.187.0.13', 50109, 1672534805002, 432],
      ['138.187.0.13', 50111, 1672534805003, 328], ['138.187.0.13', 50109, 1672534805004, 432], ['138.187.0.13', 50111, 1672534805005, 328],
    ]],
  ] as const) {
    it(`${file}: every datagram goes to decodeDatagram with its source and time`, async () => {
      const r = await readDatagrams([flows(file)]);
      expect(r.calls.map((c) => [c.exporter, c.port, c.receivedAtMs, c.bytes.length])).toEqual(expected);
      expect(r.summary).toEqual({ name: 'test.pcap', format: 'pcap', units: expected.length, records: 0, bytes: flows(file).length });
      expect(r.skips).toEqual({});
      expect(r.onDatagram).toBe(expected.length);
    });
  }

  it('akvorado-sflow-data-1140.pcap: the real sFlow decoder\'s five records, timed by the capture', async () => {
    const r = await readDatagrams([flows('akvorado-sflow-data-1140.pcap')]);
    expect(r.calls.map((c) => [c.exporter, c.port, c.receivedAtMs, c.bytes.length])).toEqual([['192.0.2.100', 47873, 1662715598886, 1208]]);
    expect(r.summary).toMatchObject({ units: 1, records: 5 });
    expect(r.rows.map((x) => [x.exporter, x.startMs, x.src, x.sport, x.sampling])).toEqual([
      ['172.16.0.3', 1662715598886, '2a0c:8880:2:0:185:21:130:38', 46026, 1024],
      ['172.16.0.3', 1662715598886, '104.26.8.24', 443, 1024],
      ['172.16.0.3', 1662715598886, '2a0c:8880:2:0:185:21:130:38', 46026, 1024],
      ['172.16.0.3', 1662715598886, '45.90.161.148', 55658, 1024],
      ['172.16.0.3', 1662715598886, '2a0c:8880:2:0:185:21:130:38', 46026, 1024],
    ]);
  });

  it('reads gzip-compressed captures in any chunking', async () => {
    const plain = await readDatagrams([flows('pmacct-100-ipfix-cisco.pcap')]);
    for (const sizes of [[1], [7, 300], [100000]]) {
      const r = await readDatagrams(chunked(gzipSync(flows('pmacct-100-ipfix-cisco.pcap')), sizes));
      expect(r.calls).toEqual(plain.calls);
      expect(r.summary).toEqual(plain.summary);
    }
  });

  it('keeps the datagrams before a cut and reports where the file ends', async () => {
    const file = flows('pmacct-100-ipfix-cisco.pcap');
    // A 24-byte file header, then records of 16 + 198 bytes (two), 16 + 474, 16 + 370 …: cut inside the fourth.
    const r = await readDatagrams([file.subarray(0, 24 + 2 * (16 + 198) + (16 + 474) + 100)]);
    expect(r.calls).toHaveLength(3);
    expect(r.summary.truncated).toMatchObject({ offset: 24 + 2 * (16 + 198) + (16 + 474), record: 3 });
    const sflow = await readDatagrams([flows('akvorado-sflow-data-1140.pcap').subarray(0, 600)]);
    expect(sflow.summary).toMatchObject({ units: 0, records: 0, truncated: { offset: 24, record: 0 } });
  });

  it('reports a file that is no capture at all as corrupt, without throwing', async () => {
    const r = await readDatagrams([Buffer.from('StartTime,Dur,Proto\n')], { name: 'argus.csv' });
    expect(r.summary).toMatchObject({ name: 'argus.csv', units: 0, records: 0 });
    expect(r.summary.corrupt?.message).toMatch(/starts with 53 74 61 72/);
  });

  it('hands a full batch over and goes on, the records in order', async () => {
    const one = await readDatagrams([flows('akvorado-sflow-data-1140.pcap')]);
    const file = flows('akvorado-sflow-data-1140.pcap');
    const many = bytes(file, ...Array.from({ length: 9 }, () => file.subarray(24)));
    const r = await readDatagrams([many], { batchSize: 8 });
    expect(r.summary).toMatchObject({ units: 10, records: 50 });
    expect(r.batches).toBeGreaterThan(5);
    expect(r.rows).toEqual(Array.from({ length: 10 }, () => one.rows).flat());
  });
});

describe('readPcapDatagrams: non-export captures', () => {
  const pcaps = readdirSync(sharedData('pcap')).filter((f) => f.endsWith('.pcap'));
  it.each(pcaps)('%s: no datagram reaches decodeDatagram; UDP payloads are counted as not-flow-export', async (f) => {
    const r = await readDatagrams([readFileSync(sharedData(`pcap/${f}`))]);
    expect(r.calls).toEqual([]);
    expect(r.summary.records).toBe(0);
    expect(Object.keys(r.skips).filter((k) => k !== 'not-flow-export')).toEqual([]);
    expect(r.skips['not-flow-export'] ?? 0).toBe(r.summary.units);
  });

  it('counts a DNS datagram as not-flow-export', async () => {
    const dns = ether(0x0800, ipv4({ src: '192.0.2.1', dst: '192.0.2.53', proto: 17, payload: udp(5353, 53, [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]) }));
    const r = await readDatagrams([pcapFile([{ ts: 1, frame: dns }], { linkType: 1 })]);
    expect(r.skips).toEqual({ 'not-flow-export': 1 });
    expect(r.summary.units).toBe(1);
  });
});

describe('readPcapDatagrams: link types, IPv6 exporters, fragments', () => {
  const payload = realSflowDatagram();
  const v4 = (o: { id?: number; fragOffset?: number; moreFragments?: boolean; payload: Uint8Array; totalLength?: number }): Uint8Array =>
    ipv4({ src: '198.51.100.7', dst: '198.51.100.8', proto: 17, ...o });
  const udpOf = (d: Uint8Array): Uint8Array => udp(61000, 6343, Array.from(d));

  it('finds the datagram behind Ethernet with QinQ tags, Linux cooked (SLL), raw IP and IPv6, in pcapng too', async () => {
    const frames = [
      ether(0x0800, v4({ payload: udpOf(payload) }), [0x88a8, 0x8100]),
      sll(0x86dd, ipv6({ src: '2001:db8::7', dst: '2001:db8::8', next: 0, payload: bytes(ext('hop', 17), udpOf(payload)) })),
      v4({ payload: udpOf(payload) }),
    ];
    const ng = new PcapngBuilder().shb().idb(1).idb(113).idb(101)
      .epb(0, 1_700_000_000_000_000n, frames[0] as Uint8Array).epb(1, 1_700_000_000_500_000n, frames[1] as Uint8Array).epb(2, 1_700_000_001_000_000n, frames[2] as Uint8Array).build();
    const r = await readDatagrams([ng]);
    expect(r.calls.map((c) => [c.exporter, c.port, c.receivedAtMs])).toEqual([
      ['198.51.100.7', 61000, 1_700_000_000_000], ['2001:db8::7', 61000, 1_700_000_000_500], ['198.51.100.7', 61000, 1_700_000_001_000],
    ]);
    expect(r.summary.records).toBe(15);
    const raw = await readDatagrams([pcapFile([{ ts: 1, frame: frames[2] as Uint8Array }], { linkType: 101 })]);
    expect(raw.summary.records).toBe(5);
  });

  it('reassembles IPv4 fragments in any order and IPv6 fragments; a datagram never completed is counted', async () => {
    const u = udpOf(payload);
    const cut = 600; // a multiple of 8
    const f1 = ether(0x0800, v4({ id: 7, moreFragments: true, payload: u.subarray(0, cut), totalLength: 20 + cut }));
    const f2 = ether(0x0800, v4({ id: 7, fragOffset: cut / 8, payload: u.subarray(cut) }));
    const six = (offset: number, more: boolean, part: Uint8Array): Uint8Array =>
      ether(0x86dd, ipv6({ src: '2001:db8::7', dst: '2001:db8::8', next: 44, payload: bytes(ext('frag', 17, { fragOffset: offset / 8, more, id: 99 }), part) }));
    const lone = ether(0x0800, v4({ id: 8, moreFragments: true, payload: u.subarray(0, cut), totalLength: 20 + cut }));
    const file = pcapFile([
      { ts: 10, frame: f2 }, { ts: 11, frame: lone }, { ts: 12, frame: f1 },
      { ts: 13, frame: six(0, true, u.subarray(0, 1000)) }, { ts: 14, frame: six(1000, false, u.subarray(1000)) },
    ], { linkType: 1 });
    const r = await readDatagrams([file]);
    expect(r.calls.map((c) => [c.exporter, c.port, c.receivedAtMs, c.bytes.length])).toEqual([
      ['198.51.100.7', 61000, 12_000, payload.length], ['2001:db8::7', 61000, 14_000, payload.length],
    ]);
    expect(r.calls[0]?.bytes).toEqual(Uint8Array.from(payload));
    expect(r.summary.records).toBe(10);
    expect(r.skips).toEqual({ 'datagram-truncated': 1 });
  });
});
