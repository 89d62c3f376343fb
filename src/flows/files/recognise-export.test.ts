import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { recogniseExport } from './recognise-export.js';
import { readDatagrams } from './testing/read-datagrams.js';

const u16 = (v: number): number[] => [v >>> 8, v & 255];
const u32 = (v: number): number[] => [...u16(v >>> 16), ...u16(v & 0xffff)];

describe('recogniseExport: the protocol of every real capture, by content', () => {
  for (const [file, protocol] of [
    ['akvorado-nfv5.pcap', 'netflow5'],
    ['akvorado-nfv9-template.pcap', 'netflow9'],
    ['akvorado-nfv9-data.pcap', 'netflow9'],
    ['akvorado-sflow-data-1140.pcap', 'sflow5'],
    ['pmacct-100-ipfix-cisco.pcap', 'ipfix'],
  ] as const) {
    it(`${file}: ${protocol}`, async () => {
      const { calls } = await readDatagrams([readFileSync(sharedData(`flows/${file}`))]);
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) expect(recogniseExport(c.bytes)).toBe(protocol);
    });
  }
});

describe('recogniseExport: structure, not only the first bytes', () => {
  it('tells NetFlow v5 (16-bit version 5, count, 24 + 48 × count bytes) from sFlow v5 (32-bit version 5, agent address type 1 or 2)', () => {
    const nf5 = new Uint8Array(24 + 48 * 2);
    nf5.set([...u16(5), ...u16(2)]);
    expect(recogniseExport(nf5)).toBe('netflow5');
    expect(recogniseExport(nf5.subarray(0, 24 + 48))).toBe('netflow5'); // cut: its decoder counts the cut
    const wrongCount = Uint8Array.from(nf5);
    wrongCount.set(u16(31), 2);
    expect(recogniseExport(wrongCount)).toBeNull();
    expect(recogniseExport(new Uint8Array([...nf5, ...new Uint8Array(48)]))).toBeNull(); // a third record the count does not announce
    const sflow = new Uint8Array([...u32(5), ...u32(1), 192, 0, 2, 1, ...u32(0), ...u32(1), ...u32(100), ...u32(0)]);
    expect(recogniseExport(sflow)).toBe('sflow5');
    const sflow6 = new Uint8Array([...u32(5), ...u32(2), ...new Uint8Array(16), ...u32(0), ...u32(1), ...u32(100), ...u32(0)]);
    expect(recogniseExport(sflow6)).toBe('sflow5');
    const badType = Uint8Array.from(sflow);
    badType.set(u32(3), 4);
    expect(recogniseExport(badType)).toBeNull();
    const tooManySamples = Uint8Array.from(sflow);
    tooManySamples.set(u32(1000), 24);
    expect(recogniseExport(tooManySamples)).toBeNull();
  });

  it('wants IPFIX\'s message length to be the payload\'s and a valid first set; v9 a valid first flowset', () => {
    const ipfix = new Uint8Array([...u16(10), ...u16(20), ...u32(0), ...u32(0), ...u32(0), ...u16(2), ...u16(4)]);
    expect(recogniseExport(ipfix)).toBe('ipfix');
    expect(recogniseExport(new Uint8Array([...ipfix, 0, 0, 0, 0]))).toBeNull();
    const badSet = Uint8Array.from(ipfix);
    badSet.set(u16(100), 16); // set ids 4–255 are reserved
    expect(recogniseExport(badSet)).toBeNull();
    const v9 = new Uint8Array([...u16(9), ...u16(1), ...new Uint8Array(16), ...u16(0), ...u16(8), 0, 0, 0, 0]);
    expect(recogniseExport(v9)).toBe('netflow9');
    const v9long = Uint8Array.from(v9);
    v9long.set(u16(4000), 22);
    expect(recogniseExport(v9long)).toBeNull();
  });

  it('takes DNS, NTP and short payloads for nothing', () => {
    const dnsQuery = new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0, 0, 1, 0, 1]);
    const ntp = new Uint8Array(48);
    ntp[0] = 0x23;
    for (const d of [dnsQuery, ntp, new Uint8Array([0, 5]), new Uint8Array(0)]) expect(recogniseExport(d)).toBeNull();
  });
});
