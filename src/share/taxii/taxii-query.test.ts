import { describe, expect, it } from 'vitest';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';
import { parseTaxiiQuery, toMicroseconds } from './taxii-query.js';
import { makeCursor, readCursor } from './cursor.js';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';

describe('parseTaxiiQuery', () => {
  it('reads comma lists and repeated parameters, and cuts timestamps to microseconds without rounding up', () => {
    const q = parseTaxiiQuery('objects', { 'match[type]': ['indicator,malware', 'indicator'], 'match[version]': 'first,2026-01-01T00:00:00.1234567Z', limit: '50', added_after: '2026-01-01T00:00:00.9999999Z' });
    expect(q.types).toEqual(['indicator', 'malware']);
    expect(q.versions).toEqual(['first', '2026-01-01T00:00:00.123456Z']);
    expect(q.limit).toBe(50);
    expect(q.addedAfter).toBe('2026-01-01T00:00:00.999999Z');
    expect(toMicroseconds('x', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
  });
  it('names the parameter of each fault', () => {
    expect(() => parseTaxiiQuery('objects', { limit: '0' })).toThrow(/limit/);
    expect(() => parseTaxiiQuery('objects', { added_after: ['a', 'b'] })).toThrow(/added_after: give it once/);
    expect(() => parseTaxiiQuery('versions', { 'match[id]': 'indicator--x' })).toThrow(/match\[id\]: this endpoint filters by match\[spec_version\]/);
    expect(() => parseTaxiiQuery('delete', { limit: '5' })).toThrow(/limit: this endpoint does not page/);
  });
  it('never throws anything but a BAD_REQUEST on random parameters (seeded fuzz)', () => {
    const rand = seededRandom(42);
    const keys = ['limit', 'next', 'added_after', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'match[x]', 'matchy', 'other'];
    const pieces = ['2026-01-01T00:00:00Z', 'first', 'last', 'all', 'indicator', 'indicator--6e1c4b7a-0000-4000-8000-000000000001', ',', '', '2.1', '-1', '10', '\u0000', '🙂', '[', 'Z'];
    let ok = 0;
    for (let i = 0; i < 5000; i++) {
      const q: Record<string, unknown> = {};
      for (let k = Math.floor(rand() * 4); k > 0; k--) {
        const key = keys[Math.floor(rand() * keys.length)] ?? 'limit';
        const value = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pieces[Math.floor(rand() * pieces.length)] ?? '').join('');
        q[key] = rand() < 0.2 ? [value, value] : value;
      }
      for (const endpoint of ['objects', 'manifest', 'object', 'versions', 'delete'] as const) {
        try {
          parseTaxiiQuery(endpoint, q);
          ok++;
        } catch (e) {
          expect(isSakimoriError(e) && e.code === 'BAD_REQUEST').toBe(true);
        }
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});

describe('cursor', () => {
  const query = parseTaxiiQuery('objects', { 'match[type]': 'indicator' });
  const scope = { collectionId: C1, endpoint: 'objects', query };
  it('continues after the date it holds, in its own scope only', () => {
    const c = makeCursor(scope, '2026-01-01T00:00:00.000001Z');
    expect(readCursor(scope, c)).toBe('2026-01-01T00:00:00.000001Z');
    expect(() => readCursor({ ...scope, collectionId: C2 }, c)).toThrow(/another collection/);
    expect(() => readCursor({ ...scope, query: parseTaxiiQuery('objects', {}) }, c)).toThrow(/other filters/);
    expect(() => readCursor({ ...scope, endpoint: 'manifest' }, c)).toThrow(/other filters/);
    // The page size may change between pages.
    expect(readCursor({ ...scope, query: { ...query, limit: 5 } }, c)).toBe('2026-01-01T00:00:00.000001Z');
  });
  it('refuses corrupted and truncated cursors with a BAD_REQUEST (seeded fuzz)', () => {
    const c = makeCursor(scope, '2026-01-01T00:00:00.000001Z');
    const rand = seededRandom(9);
    for (let i = 0; i < 3000; i++) {
      const chars = [...c.slice(0, Math.floor(rand() * (c.length + 1)))];
      for (let k = Math.floor(rand() * 3); k > 0; k--) chars[Math.floor(rand() * chars.length)] = 'Aa0_-=+/'[Math.floor(rand() * 8)] ?? 'A';
      const t = chars.join('');
      try {
        expect(readCursor(scope, t)).toMatch(/Z$/);
      } catch (e) {
        expect(isSakimoriError(e) && e.code === 'BAD_REQUEST').toBe(true);
      }
    }
  });
});
