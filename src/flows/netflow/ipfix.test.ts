/**
 * IPFIX against vectors built from RFC 7011/7012/5103: withdrawal, reduced-size encoding,
 * variable-length and enterprise fields, biflows, every way of stating times, PSAMP sampling
 * with several selectors, padding and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeIpfix } from './ipfix.js';
import { TemplateCache } from './template-cache.js';
import { ip4, ipfix, ipfixOptionsTemplate, ipfixTemplate, set, u16, u32, u64, u8, varLength, type Field } from './testing/export-builders.js';
import { ip6 } from '../../sources/testing/frames.js';

const T = 1_700_000_000;
const NTP = 2208988800;
const BASE: Field[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 }];
const base = (src: string): number[] => [...ip4(src), ...ip4('203.0.113.1'), ...u16(40000), ...u16(53), ...u8(17)];

class Collector {
  now = T * 1000;
  readonly cache = new TemplateCache(() => this.now);
  readonly batch = new FlowBatch(4);
  readonly skips = new FlowSkipCounters();
  decode(d: Uint8Array) {
    return decodeIpfix(this.cache, d, { exporter: '2001:db8::1', port: 4739, receivedAtMs: this.now }, this.batch, this.skips);
  }
  get records() { return this.batch.views(); }
}

describe('IPFIX', () => {
  it('withdraws one template, then all data templates of the domain (template id = set id)', () => {
    const c = new Collector();
    const opt = ipfixOptionsTemplate(400, [{ id: 302, length: 4 }], [{ id: 34, length: 4 }]);
    c.decode(ipfix({ exportTime: T }, set(2, [...ipfixTemplate(256, BASE), ...ipfixTemplate(257, BASE)]), set(3, opt)));
    expect(c.cache.listing()).toHaveLength(3);
    expect(c.decode(ipfix({ exportTime: T }, set(256, base('198.51.100.1'))))?.records).toBe(1);
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, []))));
    expect(c.decode(ipfix({ exportTime: T }, set(256, base('198.51.100.2')), set(257, base('198.51.100.3'))))).toMatchObject({ records: 1, held: 1 });
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(2, []))));
    expect(c.cache.listing().map((t) => [t.templateId, t.kind])).toEqual([[400, 'options']]);
    c.decode(ipfix({ exportTime: T }, set(3, ipfixTemplate(3, []))));
    expect(c.cache.listing()).toEqual([]);
    // Data held since the withdrawal is not decoded with a different definition of 256.
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, [{ id: 1, length: 8 }]))));
    expect(c.skips.toRecord()).toEqual({ 'data-without-template': 1 });
  });

  it('stores ICMP type and code (IE 32, IE 139) as type × 256 + code in the destination port, as v5 and the flow files do', () => {
    const c = new Collector();
    const fields: Field[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 }, { id: 32, length: 2 }];
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(300, fields))));
    const icmp = [...ip4('198.51.100.7'), ...ip4('203.0.113.1'), ...u16(0), ...u16(0), ...u8(1), ...u16(0x0303)];
    const udp = [...ip4('198.51.100.8'), ...ip4('203.0.113.1'), ...u16(40000), ...u16(53), ...u8(17), ...u16(0)];
    c.decode(ipfix({ exportTime: T }, set(300, [...icmp, ...udp])));
    expect(c.records.map((r) => [r.proto, r.sport, r.dport])).toEqual([[1, 0, 0x0303], [17, 40000, 53]]);
  });

  it('reads counters sent in fewer bytes than their type (reduced-size encoding) and 64-bit ones', () => {
    const c = new Collector();
    const fields: Field[] = [...BASE, { id: 1, length: 3 }, { id: 2, length: 1 }, { id: 10, length: 2 }, { id: 14, length: 1 }, { id: 16, length: 2 }];
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, fields)), set(256, [...base('198.51.100.1'), 0x01, 0x02, 0x03, 200, ...u16(7), 9, ...u16(64500)])));
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(257, [...BASE, { id: 85, length: 8 }, { id: 86, length: 8 }])), set(257, [...base('198.51.100.2'), ...u64(2 ** 40 + 5), ...u64(2 ** 33)])));
    expect(c.records.map((r) => [r.octets, r.packets, r.inIf, r.outIf, r.srcAs])).toEqual([[0x010203, 200, 7, 9, 64500], [2 ** 40 + 5, 2 ** 33, 0, 0, 0]]);
  });

  it('takes out counts (23/24) only when no other counter is present', () => {
    const c = new Collector();
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, [...BASE, { id: 23, length: 4 }, { id: 24, length: 4 }])), set(256, [...base('198.51.100.1'), ...u32(900), ...u32(9)])));
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(257, [...BASE, { id: 23, length: 4 }, { id: 1, length: 4 }])), set(257, [...base('198.51.100.1'), ...u32(900), ...u32(1000)])));
    expect(c.records.map((r) => [r.octets, r.packets])).toEqual([[900, 9], [1000, 0]]);
  });

  it('walks variable-length fields (one-byte and three-byte lengths) and skips unknown enterprise fields by length', () => {
    const c = new Collector();
    const fields: Field[] = [{ id: 96, length: 65535 }, { id: 12235, enterprise: 9, length: 4 }, ...BASE, { id: 100, enterprise: 9, length: 65535 }, { id: 1, length: 4 }];
    const rec = (name: number[], src: string, octets: number): number[] => [...varLength(name), ...u32(0xdeadbeef), ...base(src), ...varLength([1, 2, 3]), ...u32(octets)];
    const long = Array<number>(300).fill(0x61);
    const s = c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, fields)), set(256, [...rec([0x68, 0x69], '198.51.100.1', 11), ...rec(long, '198.51.100.2', 22)], 4)));
    expect(s?.records).toBe(2);
    expect(c.records.map((r) => [r.src, r.dport, r.octets])).toEqual([['198.51.100.1', 53, 11], ['198.51.100.2', 53, 22]]);
    expect(c.cache.unknownEnterpriseFields('2001:db8::1')).toBe(2);
    expect(c.skips.toRecord()).toEqual({});
    expect(c.records[0]?.exporter).toBe('2001:db8::1');
  });

  it('reads RFC 5103 biflows: reverse octets and packets under enterprise 29305', () => {
    const c = new Collector();
    const fields: Field[] = [{ id: 27, length: 16 }, { id: 28, length: 16 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 },
      { id: 1, length: 8 }, { id: 2, length: 8 }, { id: 1, enterprise: 29305, length: 8 }, { id: 2, enterprise: 29305, length: 4 }];
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, fields)), set(256, [...ip6('2001:db8:1::5'), ...ip6('2001:db8:2::6'), ...u16(50000), ...u16(443), 6, ...u64(1000), ...u64(10), ...u64(64000), ...u32(50)])));
    expect(c.records[0]).toMatchObject({ src: '2001:db8:1::5', dst: '2001:db8:2::6', octets: 1000, packets: 10, reverseOctets: 64000, reversePackets: 50 });
    expect(c.batch.family[0]).toBe(6);
  });

  it('states times in seconds, milliseconds, NTP micro- and nanoseconds, uptimes from systemInitTime, and deltas from export time', () => {
    const c = new Collector();
    const ms = T * 1000 - 60_000;
    const ntp = (unixMs: number): number[] => [...u32(Math.floor(unixMs / 1000) + NTP), ...u32(((unixMs % 1000) / 1000) * 2 ** 32)];
    const cases: { fields: Field[]; values: number[] }[] = [
      { fields: [{ id: 150, length: 4 }, { id: 151, length: 4 }], values: [...u32(T - 60), ...u32(T - 1)] },
      { fields: [{ id: 152, length: 8 }, { id: 153, length: 8 }], values: [...u64(ms), ...u64(ms + 250)] },
      { fields: [{ id: 154, length: 8 }, { id: 155, length: 8 }], values: [...ntp(ms), ...ntp(ms + 500)] },
      { fields: [{ id: 156, length: 8 }, { id: 157, length: 8 }], values: [...ntp(ms), ...ntp(ms + 750)] },
      { fields: [{ id: 160, length: 8 }, { id: 22, length: 4 }, { id: 21, length: 4 }], values: [...u64(ms - 5_000), ...u32(5_000), ...u32(6_000)] },
      { fields: [{ id: 158, length: 4 }, { id: 159, length: 4 }], values: [...u32(60_000_000), ...u32(2_000_000)] },
    ];
    cases.forEach((k, n) => c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256 + n, [...BASE, ...k.fields])), set(256 + n, [...base('198.51.100.1'), ...k.values]))));
    expect(c.records.map((r) => [r.startMs - ms, r.endMs - ms])).toEqual([[0, 59_000], [0, 250], [0, 500], [0, 750], [0, 1_000], [0, 58_000]]);
  });

  it('takes systemInitTimeMilliseconds from options data for records that carry only uptimes', () => {
    const c = new Collector();
    c.decode(ipfix({ exportTime: T }, set(3, ipfixOptionsTemplate(300, [{ id: 149, length: 4 }], [{ id: 160, length: 8 }])), set(300, [...u32(1), ...u64(T * 1000 - 100_000)]),
      set(2, ipfixTemplate(256, [...BASE, { id: 22, length: 4 }, { id: 21, length: 4 }])), set(256, [...base('198.51.100.1'), ...u32(40_000), ...u32(90_000)])));
    expect(c.records[0]).toMatchObject({ startMs: T * 1000 - 60_000, endMs: T * 1000 - 10_000 });
  });

  it('gives records the interval of their selector (302, PSAMP 305/306) or sampler (48, 34), several per domain', () => {
    const c = new Collector();
    const psamp = ipfixOptionsTemplate(300, [{ id: 302, length: 8 }], [{ id: 305, length: 4 }, { id: 306, length: 4 }]);
    const sampler = ipfixOptionsTemplate(301, [{ id: 48, length: 1 }], [{ id: 34, length: 4 }]);
    c.decode(ipfix({ exportTime: T }, set(3, [...psamp, ...sampler]),
      set(300, [...u64(1), ...u32(1), ...u32(99), ...u64(2), ...u32(1), ...u32(0)]), set(301, [7, ...u32(4096), 8, ...u32(0)])));
    expect(c.skips.toRecord()).toEqual({ 'sampling-rate-zero': 1 });
    const s = c.decode(ipfix({ exportTime: T }, set(2, [...ipfixTemplate(256, [...BASE, { id: 302, length: 8 }]), ...ipfixTemplate(257, [...BASE, { id: 48, length: 1 }])]),
      set(256, [...base('198.51.100.1'), ...u64(1), ...base('198.51.100.2'), ...u64(2), ...base('198.51.100.3'), ...u64(3)]),
      set(257, [...base('198.51.100.4'), 7, ...base('198.51.100.5'), 8])));
    expect(c.records.map((r) => r.sampling)).toEqual([100, 1, 1, 4096, 1]);
    expect(s?.samplingRates).toEqual([100, 1, 4096]);
  });

  it('counts a data record that states a sampling interval of 0 and leaves it unscaled', () => {
    const c = new Collector();
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, [...BASE, { id: 34, length: 4 }])), set(256, [...base('198.51.100.1'), ...u32(0), ...base('198.51.100.2'), ...u32(10)])));
    expect(c.records.map((r) => r.sampling)).toEqual([1, 10]);
    expect(c.skips.toRecord()).toEqual({ 'sampling-rate-zero': 1 });
  });

  it('ignores padding at the end of sets, and counts sequence in data records', () => {
    const c = new Collector();
    const s = c.decode(ipfix({ exportTime: T, sequence: 1000, domain: 5 }, set(2, ipfixTemplate(256, BASE), 8), set(256, [...base('198.51.100.1'), ...base('198.51.100.2')], 8)));
    expect(s).toEqual({ protocol: 'ipfix', domain: 5, agent: '2001:db8::1', sequence: 1000, sequenceUnit: 'records', sequenceCount: 2, records: 2, held: 0, samplingRates: [1] });
    expect(c.skips.toRecord()).toEqual({});
  });

  it('reads a message only as far as its header says, and skips reserved set ids', () => {
    const c = new Collector();
    const d = ipfix({ exportTime: T }, set(2, ipfixTemplate(256, BASE)), set(100, [1, 2, 3, 4]), set(256, base('198.51.100.1')));
    const withTrailer = new Uint8Array(d.length + 7).fill(0xee);
    withTrailer.set(d);
    expect(c.decode(withTrailer)?.records).toBe(1);
    expect(c.skips.toRecord()).toEqual({});
  });

  it('refuses absurd templates and lengths, keeping what was decoded before them', () => {
    const c = new Collector();
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, [{ id: 8, length: 0 }]))));
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(257, [{ id: 8, length: 4 }, { id: 313, length: 9000 }]))));
    c.decode(ipfix({ exportTime: T }, set(3, [...u16(300), ...u16(1), ...u16(0), ...u16(1), ...u16(4)])));
    c.decode(ipfix({ exportTime: T }, set(2, ipfixTemplate(255, BASE))));
    expect(c.skips.toRecord()).toEqual({ 'template-invalid': 2, 'template-too-large': 1, 'options-template-invalid': 1 });
    expect(c.cache.listing()).toEqual([]);

    const ok = ipfix({ exportTime: T }, set(2, ipfixTemplate(256, BASE)), set(256, base('198.51.100.1')), [...u16(256), ...u16(2)]);
    const c2 = new Collector();
    c2.decode(ok);
    expect(c2.records).toHaveLength(1);
    expect(c2.skips.toRecord()).toEqual({ 'set-length-invalid': 1 });
    // The header says the message is longer than what arrived: the sets that did arrive are kept.
    const cut = ipfix({ exportTime: T }, set(2, ipfixTemplate(256, BASE)), set(256, [...base('198.51.100.1'), ...base('198.51.100.2')])).subarray(0, 16 + 4 + 4 + BASE.length * 4 + 4 + 13 + 5);
    const c3 = new Collector();
    c3.decode(cut);
    expect(c3.records.map((r) => r.src)).toEqual(['198.51.100.1']);
    expect(c3.skips.toRecord()).toEqual({ 'datagram-truncated': 1, 'set-length-invalid': 1, 'record-truncated': 1 });
  });
});
