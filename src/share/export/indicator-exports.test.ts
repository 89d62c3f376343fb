import { describe, expect, it } from 'vitest';
import type { StixObject } from '../stix/types.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { blocklist, exportText, indicatorCsv, stixBundle } from './indicator-exports.js';

const ind = (n: number, o: Partial<Record<string, unknown>> = {}): StixObject => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-00000000000${n}`,
  created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z',
  pattern: `[ipv4-addr:value = '198.51.100.${n}']`, pattern_type: 'stix', valid_from: '2026-11-01T00:00:00.000Z',
  valid_until: '2026-12-01T00:00:00.000Z', confidence: 80, indicator_types: ['malicious-activity'], labels: ['scanner', 'mirai'],
  object_marking_refs: [TLP2_IDS.green], ...o,
} as StixObject);

const now = new Date('2026-11-15T00:00:00Z');

describe('indicator exports', () => {
  it('CSV: one row per indicator with value, type, confidence, validity, TLP and labels; the latest version only', () => {
    const csv = indicatorCsv([ind(1), ind(1, { modified: '2026-11-02T00:00:00.000Z', confidence: 90 }), ind(2, { object_marking_refs: [TLP2_IDS['amber+strict']] }), { type: 'malware', id: 'malware--x' }]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('value,type,confidence,valid_from,valid_until,tlp,labels,revoked,indicator_types,id,modified,pattern');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^198\.51\.100\.1,ipv4-addr,90,2026-11-01T00:00:00\.000Z,2026-12-01T00:00:00\.000Z,TLP:GREEN,"scanner;mirai",false,/);
    expect(lines[2]).toContain('TLP:AMBER+STRICT');
  });

  it('blocklist: current, unrevoked, malicious indicators only, one address per line', () => {
    const list = blocklist([
      ind(1), ind(2, { revoked: true }), ind(3, { valid_until: '2026-11-10T00:00:00.000Z' }), ind(4, { indicator_types: ['benign'] }),
      ind(5, { pattern: "[ipv4-addr:value ISSUBSET '203.0.113.0/24']" }), ind(6, { valid_from: '2026-11-20T00:00:00.000Z' }), ind(1),
      ind(7, { pattern: "[domain-name:value = 'example.com']" }),
    ], now);
    expect(list).toBe('198.51.100.1\n203.0.113.0/24\n');
  });

  it('STIX: one bundle', () => {
    const b = stixBundle([ind(1)]);
    expect(b.type).toBe('bundle');
    expect(b.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(b.objects).toHaveLength(1);
  });

  it('MISP: one event whose attributes are the indicators, tagged with the strictest TLP it carries', () => {
    const x = exportText('misp', [ind(1), ind(2, { object_marking_refs: [TLP2_IDS.amber] })], 'Scanners', now);
    expect(x.contentType).toMatch(/^application\/json/);
    const e = (JSON.parse(x.text) as { Event: { info: string; Tag: { name: string }[]; Attribute: { type: string; value: string; to_ids: boolean }[] } }).Event;
    expect(e.info).toBe('Scanners');
    expect(e.Attribute.map((a) => [a.type, a.value, a.to_ids])).toEqual([['ip-dst', '198.51.100.1', true], ['ip-dst', '198.51.100.2', true]]);
    expect(e.Tag.map((t) => t.name)).toContain('tlp:amber');
  });
});
