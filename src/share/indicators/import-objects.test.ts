import { describe, expect, it } from 'vitest';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';
import { readImport } from './import-objects.js';

const HUB = 'identity--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e77';

describe('reading an import', () => {
  it('tells a bundle, one object and a MISP event apart', () => {
    expect(readImport('{"type":"bundle","id":"bundle--x","objects":[{"type":"indicator"}]}', HUB)).toMatchObject({ format: 'stix', objects: [{ type: 'indicator' }] });
    expect(readImport('{"type":"indicator","id":"indicator--x"}', HUB).objects).toHaveLength(1);
    const misp = readImport(JSON.stringify({ Event: { uuid: '5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e00', info: 'scan', date: '2026-11-10', Attribute: [{ type: 'ip-src', value: '198.51.100.7', to_ids: true, uuid: '5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01' }] } }), HUB);
    expect(misp.format).toBe('misp');
    expect(misp.objects.some((o) => (o as { pattern?: string }).pattern === "[ipv4-addr:value = '198.51.100.7']")).toBe(true);
  });

  it('says what is wrong with what it cannot read', () => {
    expect(() => readImport('{"type":"bundle"}', HUB)).toThrow(/no "objects" array/);
    expect(() => readImport('[]', HUB)).toThrow(/STIX bundle, a STIX object or a MISP event/);
    expect(() => readImport('{"type":"bundle",', HUB)).toThrow(/not JSON/);
  });

  it('never crashes or hangs on corrupted and truncated input: a clear error or objects (seeded fuzz)', () => {
    const rand = seededRandom(16_007);
    const seeds = [
      JSON.stringify({ type: 'bundle', id: 'bundle--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e00', objects: [{ type: 'indicator', id: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01', pattern: "[ipv4-addr:value = '198.51.100.1']" }] }),
      JSON.stringify({ Event: { info: 'x', Attribute: [{ type: 'ip-dst', value: '203.0.113.5', to_ids: true }, { type: 'domain', value: 'example.com' }], Tag: [{ name: 'tlp:green' }] } }),
    ];
    for (let i = 0; i < 2000; i++) {
      const chars = [...(seeds[i % 2] as string)].slice(0, Math.floor(rand() * 400));
      for (let f = Math.floor(rand() * 5); f > 0 && chars.length > 0; f--) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(Math.floor(rand() * 0x7f));
      try {
        const r = readImport(chars.join(''), HUB);
        expect(Array.isArray(r.objects)).toBe(true);
      } catch (e) {
        expect(isSakimoriError(e), String(e)).toBe(true);
      }
    }
  });
});
