/**
 * NetFlow v9 against vectors built from RFC 3954: template after its data in one datagram,
 * redefinitions, expiry, options-based sampling with several samplers, uptime wrap, and the
 * refusals (zero fields, zero-length fields, records longer than the datagram, sets too long).
 */
import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeNetflow9 } from './netflow9.js';
import { TemplateCache } from './template-cache.js';
import { ip4, set, u16, u32, u8, v9, v9OptionsTemplate, v9Template, type Field } from './testing/export-builders.js';

const T = 1_700_000_000;
// src, dst, sport, dport, proto, octets, packets, first, last
const LAYOUT_A: Field[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 7, length: 2 }, { id: 11, length: 2 }, { id: 4, length: 1 }, { id: 1, length: 4 }, { id: 2, length: 4 }, { id: 22, length: 4 }, { id: 21, length: 4 }];
const recordA = (src: string, octets: number, first = 9_000, last = 9_500): number[] =>
  [...ip4(src), ...ip4('203.0.113.1'), ...u16(40000), ...u16(443), ...u8(6), ...u32(octets), ...u32(3), ...u32(first), ...u32(last)];
// B: the same fields in another order, octets first (a redefinition of the same id).
const LAYOUT_B: Field[] = [{ id: 1, length: 4 }, { id: 8, length: 4 }, { id: 12, length: 4 }, { id: 4, length: 1 }];
const recordB = (src: string, octets: number): number[] => [...u32(octets), ...ip4(src), ...ip4('203.0.113.2'), ...u8(17)];

class Collector {
  now = T * 1000;
  readonly cache = new TemplateCache(() => this.now);
  readonly batch = new FlowBatch(4);
  readonly skips = new FlowSkipCounters();
  decode(d: Uint8Array, exporter = '192.0.2.1', port = 2055) {
    return decodeNetflow9(this.cache, d, { exporter, port, receivedAtMs: this.now }, this.batch, this.skips);
  }
  get records() { return this.batch.views(); }
}

describe('NetFlow v9', () => {
  it('decodes data that comes before its template in the same datagram', () => {
    const c = new Collector();
    const s = c.decode(v9({ sysUptime: 10_000, unixSecs: T, sequence: 5, sourceId: 7 }, set(256, [...recordA('198.51.100.1', 1000), ...recordA('198.51.100.2', 2000)]), set(0, v9Template(256, LAYOUT_A))));
    expect(s).toEqual({ protocol: 'netflow9', domain: 7, agent: '192.0.2.1', sequence: 5, sequenceUnit: 'datagrams', sequenceCount: 1, records: 2, held: 0, samplingRates: [1] });
    expect(c.records.map((r) => [r.src, r.octets, r.packets, r.startMs, r.endMs, r.domain])).toEqual([
      ['198.51.100.1', 1000, 3, T * 1000 - 1000, T * 1000 - 500, 7], ['198.51.100.2', 2000, 3, T * 1000 - 1000, T * 1000 - 500, 7],
    ]);
    expect(c.skips.toRecord()).toEqual({});
  });

  it('keys templates by exporter address and source id, not by UDP port', () => {
    const c = new Collector();
    c.decode(v9({ sysUptime: 10_000, unixSecs: T, sourceId: 1 }, set(0, v9Template(256, LAYOUT_A))), '192.0.2.1', 40001);
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T, sourceId: 1 }, set(256, recordA('198.51.100.1', 1))), '192.0.2.1', 40002)?.records).toBe(1);
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T, sourceId: 2 }, set(256, recordA('198.51.100.1', 1))), '192.0.2.1', 40001)?.held).toBe(1);
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T, sourceId: 1 }, set(256, recordA('198.51.100.1', 1))), '192.0.2.9', 40001)?.held).toBe(1);
  });

  it('converts first/last switched across a wrap of the 32-bit uptime', () => {
    const c = new Collector();
    c.decode(v9({ sysUptime: 1_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_A)), set(256, recordA('198.51.100.1', 1, 2 ** 32 - 1_000, 500))));
    expect(c.records[0]).toMatchObject({ startMs: T * 1000 - 2_000, endMs: T * 1000 - 500 });
  });

  it('applies a redefined template only to data after it: data held under the old definition is counted, not misread', () => {
    const c = new Collector();
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_A)), set(256, recordA('198.51.100.1', 1000))));
    // Later data decoded immediately with A; then the exporter redefines 256 as B.
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(256, recordA('198.51.100.2', 2000)), set(0, v9Template(256, LAYOUT_B)), set(256, recordB('198.51.100.3', 3000))));
    expect(c.records.map((r) => [r.src, r.octets, r.proto])).toEqual([['198.51.100.1', 1000, 6], ['198.51.100.2', 2000, 6], ['198.51.100.3', 3000, 17]]);
    // A expires (30 min without refresh); data in the old layout A arrives and is held; B comes back.
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_A))));
    c.now += 30 * 60_000 + 1;
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(256, recordA('198.51.100.4', 4000))))?.held).toBe(1);
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_B))))?.records).toBe(0);
    expect(c.skips.toRecord()).toEqual({ 'data-without-template': 1 });
    expect(c.records).toHaveLength(3);
    // The same definition sent again after an expiry releases the data held meanwhile.
    c.now += 30 * 60_000 + 1;
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(256, recordB('198.51.100.5', 5000))));
    expect(c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_B))))?.records).toBe(1);
    expect(c.records[3]).toMatchObject({ src: '198.51.100.5', octets: 5000 });
  });

  it('keeps a template refreshed within the timeout and drops it after', () => {
    const c = new Collector();
    const tpl = v9({ sysUptime: 1, unixSecs: T }, set(0, v9Template(256, LAYOUT_A)));
    const data = v9({ sysUptime: 10_000, unixSecs: T }, set(256, recordA('198.51.100.1', 1)));
    c.decode(tpl);
    c.now += 20 * 60_000;
    c.decode(tpl);
    c.now += 20 * 60_000;
    expect(c.decode(data)?.records).toBe(1);
    c.now += 30 * 60_000 + 1;
    expect(c.cache.expire()).toBe(1);
    expect(c.decode(data)?.held).toBe(1);
  });

  it('gives each record the interval of the sampler it names, from options data (two samplers)', () => {
    const c = new Collector();
    const dataLayout: Field[] = [...LAYOUT_A, { id: 48, length: 2 }];
    const optionsTpl = v9OptionsTemplate(300, [{ id: 1, length: 4 }], [{ id: 48, length: 2 }, { id: 49, length: 1 }, { id: 50, length: 4 }]);
    const option = (sampler: number, interval: number): number[] => [...u32(0), ...u16(sampler), ...u8(2), ...u32(interval)];
    const s = c.decode(v9({ sysUptime: 10_000, unixSecs: T },
      set(1, optionsTpl, 4), set(300, [...option(1, 100), ...option(2, 1000)], 4), set(0, v9Template(256, dataLayout)),
      set(256, [...recordA('198.51.100.1', 1), ...u16(1), ...recordA('198.51.100.2', 2), ...u16(2), ...recordA('198.51.100.3', 3), ...u16(3)], 4)));
    expect(c.records.map((r) => [r.octets, r.sampling])).toEqual([[1, 100], [2, 1000], [3, 1]]);
    expect(s?.samplingRates).toEqual([100, 1000, 1]);
    // An interval of 0 is counted and leaves that sampler's records unscaled.
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(300, option(2, 0)), set(256, [...recordA('198.51.100.4', 4), ...u16(2)])));
    expect(c.skips.toRecord()).toEqual({ 'sampling-rate-zero': 1 });
    expect(c.records[3]?.sampling).toBe(1);
    expect(c.cache.snapshot().samplers.map((e) => [e.sampler, e.interval]).sort()).toEqual([[1, 100], [2, 1]]);
  });

  it('applies a domain-wide SAMPLING_INTERVAL (options record naming no sampler) to every record', () => {
    const c = new Collector();
    c.decode(v9({ sysUptime: 10_000, unixSecs: T }, set(1, v9OptionsTemplate(300, [{ id: 1, length: 4 }], [{ id: 34, length: 4 }, { id: 35, length: 1 }])),
      set(300, [...u32(0), ...u32(64), ...u8(1)]), set(0, v9Template(256, LAYOUT_A)), set(256, recordA('198.51.100.1', 1))));
    expect(c.records[0]?.sampling).toBe(64);
  });

  it('refuses templates that cannot describe a record and sets longer than the datagram, keeping what came before', () => {
    const c = new Collector();
    c.decode(v9({ sysUptime: 1, unixSecs: T }, set(0, [...u16(257), ...u16(0)])));
    c.decode(v9({ sysUptime: 1, unixSecs: T }, set(0, v9Template(258, [{ id: 8, length: 4 }, { id: 1, length: 0 }]))));
    c.decode(v9({ sysUptime: 1, unixSecs: T }, set(0, v9Template(259, [{ id: 8, length: 4 }, { id: 1, length: 60000 }]))));
    c.decode(v9({ sysUptime: 1, unixSecs: T }, set(0, v9Template(100, LAYOUT_A))));
    expect(c.skips.toRecord()).toEqual({ 'template-zero-fields': 1, 'template-invalid': 2, 'template-too-large': 1 });
    expect(c.cache.listing()).toEqual([]);
    const c2 = new Collector();
    const d = v9({ sysUptime: 10_000, unixSecs: T }, set(0, v9Template(256, LAYOUT_A)), set(256, [...recordA('198.51.100.1', 1), ...recordA('198.51.100.2', 2)]));
    // The data set claims 10 more bytes than the datagram has: its whole records are still decoded.
    const last = d.length - 2 * 29 - 4; // the data set header (records of 29 bytes)
    d[last + 3] = (d[last + 3] as number) + 10;
    c2.decode(d);
    expect(c2.records.map((r) => r.octets)).toEqual([1, 2]);
    expect(c2.skips.toRecord()).toEqual({ 'set-length-invalid': 1 });
    expect(c2.decode(new Uint8Array(19))).toBeNull();
  });
});
