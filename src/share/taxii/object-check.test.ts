import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { checkObject, markingRefs } from './object-check.js';

const GOOD = {
  type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2016-04-06T20:03:48.000Z', modified: '2016-04-06T20:03:48.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: '2016-01-01T00:00:00Z',
  object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'], granular_markings: [{ marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', selectors: ['pattern'] }],
};

describe('checkObject', () => {
  it('accepts a well-formed object and names the field of each fault', () => {
    expect(checkObject(GOOD)).toEqual([]);
    expect(checkObject({ ...GOOD, id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }).map((i) => i.path)).toEqual(['id']);
    expect(checkObject({ ...GOOD, spec_version: '2.0' }).map((i) => i.path)).toEqual(['spec_version']);
    expect(checkObject({ ...GOOD, created: '2016-04-06 20:03:48' }).map((i) => i.path)).toEqual(['created']);
    expect(checkObject({ ...GOOD, object_marking_refs: ['identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] }).map((i) => i.path)).toEqual(['object_marking_refs']);
    expect(checkObject([GOOD])[0]?.message).toMatch(/JSON object/);
    expect(markingRefs(GOOD)).toEqual([GOOD.object_marking_refs[0], GOOD.granular_markings[0]?.marking_ref]);
  });

  it('never throws on corrupted or truncated objects (seeded fuzz)', () => {
    const rand = seededRandom(16);
    const text = JSON.stringify(GOOD);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const chars = [...text.slice(0, Math.floor(rand() * (text.length + 1)))];
      for (let k = Math.floor(rand() * 4); k > 0; k--) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(32 + Math.floor(rand() * 95));
      let value: unknown;
      try {
        value = JSON.parse(chars.join(''));
      } catch {
        value = chars.join('');
      }
      if (typeof value === 'object') parsed++;
      const issues = checkObject(value);
      expect(Array.isArray(issues)).toBe(true);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) markingRefs(value as Record<string, unknown>);
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
