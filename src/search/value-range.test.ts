/**
 * Values a store cannot represent are the user's error, found before any SQL: a 400 naming the
 * field and the place in the query (issue 12 item 7: `last_seen>now-999999w` was a 500).
 */
import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { compileSearch } from './search.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { errorOf as errorOfCall } from '../util/testing/error-of.js';

const NOW = new Date('2026-11-20T00:00:00Z');

const errorOf = (q: string): SakimoriError => errorOfCall(() => compileSearch(q, UNRESTRICTED, NOW), `"${q}"`);

describe('search values out of range', () => {
  it.each([
    ['last_seen>now-999999w', 'last_seen', 10],
    ['last_seen<now+999999w', 'last_seen', 10],
    ['last_seen>=now-999999d', 'last_seen', 11],
    ['port:23 last_seen:[now-999999d TO now]', 'last_seen', 19],
    ['last_seen<0001-01-01', 'last_seen', 10],
    ['last_seen>1899-12-31T23:59:59Z', 'last_seen', 10],
    ['last_seen:2300-01-01', 'last_seen', 10],
    ['tls.not_after<9999-12-31T00:00', 'tls.not_after', 14],
    ['port:65536', 'port', 5],
    ['port:[1 TO 99999]', 'port', 11],
    ['http.status>99999999999999999999', 'http.status', 12],
    ['asn:AS4294967296', 'asn', 4],
    ['http.favicon:2147483648', 'http.favicon', 13],
    ['version>=1.2.99999999999999999', 'version', 9],
    ['ip:198.51.100.0/33', 'ip', 3],
    ['ip>not-an-ip', 'ip', 3],
  ])('%s: QUERY_PARSE naming %s at %i', (q, field, position) => {
    const e = errorOf(q);
    expect(e.code).toBe('QUERY_PARSE');
    expect(e.status).toBe(400);
    expect(e.where).toMatchObject({ field, position });
    expect(e.messageIn('ja').split('\n')[0]).toMatch(new RegExp(`^検索クエリを解釈できません：.*（位置 ${position}）$`));
    expect(e.messageIn('ja').split('\n')[0]).not.toMatch(/\b(takes|whole|number|parts|is not|position)\b/);
  });

  it('keeps values inside the range', () => {
    for (const q of ['last_seen>now-520w', 'last_seen<now+52w', 'last_seen>1900-01-01', 'last_seen<2299-12-31T23:59:59.999Z', 'port:65535', 'asn:4294967295', 'version<7.5', 'version<9007199254740991']) {
      expect(() => compileSearch(q, UNRESTRICTED, NOW), q).not.toThrow();
    }
  });
});
