/** The template cache: a warm restart from a JSON snapshot, the console's listing, bounded held data. */
import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { netflowDecoders } from './decoders.js';
import { TemplateCache, type TemplateCacheSnapshot } from './template-cache.js';
import { ip4, ipfix, ipfixOptionsTemplate, ipfixTemplate, set, u32, u64, v9, v9Template, type Field } from './testing/export-builders.js';

const T = 1_700_000_000;
const FIELDS: Field[] = [{ id: 8, length: 4 }, { id: 12, length: 4 }, { id: 4, length: 1 }, { id: 1, length: 4 }, { id: 48, length: 1 }, { id: 12235, enterprise: 9, length: 65535 }];
const rec = (octets: number, sampler: number): number[] => [...ip4('198.51.100.1'), ...ip4('203.0.113.1'), 6, ...u32(octets), sampler, 2, 0xab, 0xcd];
const FROM = { exporter: '192.0.2.1', port: 4739, receivedAtMs: 0 };

describe('TemplateCache', () => {
  it('restores templates and sampler intervals from a JSON snapshot: data after a restart decodes at once', () => {
    let now = T * 1000;
    const cache = new TemplateCache(() => now);
    const batch = new FlowBatch(4);
    const skips = new FlowSkipCounters();
    netflowDecoders(cache).ipfix(ipfix({ exportTime: T, domain: 3 }, set(2, ipfixTemplate(256, FIELDS)),
      set(3, ipfixOptionsTemplate(300, [{ id: 48, length: 1 }], [{ id: 34, length: 4 }])), set(300, [5, ...u32(250)])), FROM, batch, skips);
    const snapshot = JSON.parse(JSON.stringify(cache.snapshot())) as TemplateCacheSnapshot;
    expect(snapshot.templates.find((t) => t.id === 256)).toEqual({ exporter: '192.0.2.1', version: 10, domain: 3, id: 256, fields: FIELDS.map((f) => ({ id: f.id, enterprise: f.enterprise ?? 0, length: f.length })), scopeCount: 0, options: false, receivedMs: T * 1000 });
    expect(snapshot.samplers).toEqual([{ exporter: '192.0.2.1', version: 10, domain: 3, sampler: 5, interval: 250, receivedMs: T * 1000 }]);

    now += 60_000;
    const warm = TemplateCache.restore(snapshot, () => now);
    const s = netflowDecoders(warm).ipfix(ipfix({ exportTime: T + 60, domain: 3 }, set(256, rec(1234, 5))), { ...FROM, port: 50000 }, batch, skips);
    expect(s).toMatchObject({ records: 1, held: 0, samplingRates: [250] });
    expect(batch.view(0)).toMatchObject({ octets: 1234, sampling: 250, proto: 6, domain: 3 });
    expect(skips.toRecord()).toEqual({});
    // Restored templates still expire by their own last refresh.
    now = T * 1000 + 30 * 60_000 + 1;
    expect(warm.expire()).toBe(2);
    expect(warm.listing()).toEqual([]);
  });

  it('keeps the boot time from options data (IE 160) across a restart', () => {
    const boot = T * 1000 - 86_400_000;
    const cache = new TemplateCache(() => 0);
    const decode = netflowDecoders(cache).ipfix;
    decode(ipfix({ exportTime: T }, set(3, ipfixOptionsTemplate(300, [{ id: 149, length: 4 }], [{ id: 160, length: 8 }])), set(300, [...u32(1), ...u64(boot)])), FROM, new FlowBatch(1), new FlowSkipCounters());
    const warm = TemplateCache.restore(JSON.parse(JSON.stringify(cache.snapshot())) as TemplateCacheSnapshot, () => 0);
    expect(warm.snapshot().systemInit).toEqual([{ exporter: '192.0.2.1', version: 10, domain: 0, ms: boot }]);
    const batch = new FlowBatch(1);
    netflowDecoders(warm).ipfix(ipfix({ exportTime: T }, set(2, ipfixTemplate(256, [{ id: 8, length: 4 }, { id: 22, length: 4 }])), set(256, [...ip4('198.51.100.1'), ...u32(5_000)])), FROM, batch, new FlowSkipCounters());
    expect(batch.view(0).startMs).toBe(boot + 5_000);
  });

  it('lists templates for the console', () => {
    const cache = new TemplateCache(() => 42);
    netflowDecoders(cache).netflow9(v9({ sysUptime: 1, unixSecs: T, sourceId: 9 }, set(0, v9Template(260, [{ id: 8, length: 4 }, { id: 1, length: 4 }]))), FROM, new FlowBatch(1), new FlowSkipCounters());
    expect(cache.listing()).toEqual([{ exporter: '192.0.2.1', version: 9, domain: 9, templateId: 260, fieldCount: 2, lastSeenMs: 42, kind: 'data' }]);
  });

  it('skips snapshot entries that are not plain data or could not describe a record, instead of failing the restart', () => {
    const bad = { templates: [{ exporter: '192.0.2.1', version: 9, domain: 0, id: 'x', fields: [], scopeCount: 0, options: false, receivedMs: 0 },
      { exporter: '192.0.2.1', version: 9, domain: 0, id: 256, fields: [{ id: 8, enterprise: 0, length: 0 }], scopeCount: 0, options: false, receivedMs: 0 },
      { exporter: 7, version: 9, domain: 0, id: 257, fields: [{ id: 8, enterprise: 0, length: 4 }], scopeCount: 0, options: false, receivedMs: 0 }], samplers: [{ exporter: '192.0.2.1', version: 9, domain: 0, sampler: 1, interval: 0, receivedMs: 0 }], systemInit: [] };
    expect(TemplateCache.restore(bad as unknown as TemplateCacheSnapshot, () => 0).snapshot()).toEqual({ templates: [], samplers: [], systemInit: [] });
  });

  it('holds a bounded number of sets and bytes per exporter; the oldest give way and are counted', () => {
    const cache = new TemplateCache(() => 0, { maxHeldSets: 2, maxHeldBytes: 64 });
    const decode = netflowDecoders(cache).netflow9;
    const batch = new FlowBatch(4);
    const skips = new FlowSkipCounters();
    const data = (octets: number): Uint8Array => v9({ sysUptime: 1, unixSecs: T }, set(256, [...ip4('198.51.100.1'), ...u32(octets)]));
    for (const o of [1, 2, 3]) decode(data(o), FROM, batch, skips);
    expect(cache.heldSets).toBe(2);
    expect(skips.toRecord()).toEqual({ 'data-without-template': 1 });
    // Another exporter has its own allowance.
    decode(data(9), { ...FROM, exporter: '192.0.2.2' }, batch, skips);
    expect(cache.heldSets).toBe(3);
    decode(v9({ sysUptime: 1, unixSecs: T }, set(256, Array<number>(80).fill(1))), FROM, batch, skips);
    expect(skips.toRecord()).toEqual({ 'data-without-template': 2 });
    decode(v9({ sysUptime: 1, unixSecs: T }, set(0, v9Template(256, [{ id: 8, length: 4 }, { id: 1, length: 4 }]))), FROM, batch, skips);
    expect(batch.views().map((r) => r.octets)).toEqual([2, 3]);
    // With `all`, what is still held is counted at once (the end of an input).
    cache.flushHeld(batch, skips, { all: true });
    expect(cache.heldSets).toBe(0);
    expect(skips.toRecord()).toEqual({ 'data-without-template': 3 });
  });

  it('reports options data held for its template and applies it when the template comes', () => {
    const cache = new TemplateCache(() => 0);
    const skips = new FlowSkipCounters();
    const batch = new FlowBatch(4);
    const decode = netflowDecoders(cache).ipfix;
    expect(decode(ipfix({ exportTime: T }, set(300, [5, ...u32(100)])), FROM, batch, skips)?.held).toBe(1);
    decode(ipfix({ exportTime: T }, set(3, ipfixOptionsTemplate(300, [{ id: 48, length: 1 }], [{ id: 34, length: 4 }])),
      set(2, ipfixTemplate(256, [{ id: 8, length: 4 }, { id: 48, length: 1 }])), set(256, [...ip4('198.51.100.1'), 5])), FROM, batch, skips);
    expect(batch.view(0).sampling).toBe(100);
  });
});
