import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { markingRefs, STIX_TIMESTAMP } from './stix-facts.js';

describe('stix facts', () => {
  it('finds object-level and granular marking references', () => {
    const o = { object_marking_refs: ['marking-definition--a', 7], granular_markings: [{ marking_ref: 'marking-definition--b', selectors: ['x'] }, { lang: 'ja' }, 'junk'] };
    expect(markingRefs(o)).toEqual(['marking-definition--a', 'marking-definition--b']);
    expect(markingRefs({ object_marking_refs: 'marking-definition--a', granular_markings: {} })).toEqual([]);
  });
  it('takes RFC 3339 UTC timestamps only', () => {
    for (const t of ['2021-06-10T00:00:00Z', '2021-06-10T23:59:60.123456789Z']) expect(STIX_TIMESTAMP.test(t), t).toBe(true);
    for (const t of ['2021-06-10', '2021-06-10T00:00:00+09:00', '2021-13-10T00:00:00Z', '2021-06-10 00:00:00Z']) expect(STIX_TIMESTAMP.test(t), t).toBe(false);
  });
  it('never throws on corrupted objects (seeded fuzz)', () => {
    const rand = seededRandom(7);
    const text = JSON.stringify({ object_marking_refs: ['marking-definition--a'], granular_markings: [{ marking_ref: 'marking-definition--b' }] });
    for (let i = 0; i < 2000; i++) {
      const chars = [...text.slice(0, Math.floor(rand() * (text.length + 1)))];
      for (let k = Math.floor(rand() * 4); k > 0; k--) chars[Math.floor(rand() * chars.length)] = '{}[]",:ab1 '[Math.floor(rand() * 11)] ?? ' ';
      let v: unknown;
      try { v = JSON.parse(chars.join('')); } catch { continue; }
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) expect(Array.isArray(markingRefs(v as Record<string, unknown>))).toBe(true);
    }
  });
});
