import { describe, expect, it } from 'vitest';
import { compareTimestamps, parseStixTimestamp, timestampMillis } from './timestamps.js';
import { compareVersions, isNewerVersion, latestVersions, revoke, versionChangeProblem } from './versions.js';

const id = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const v = (modified: string, extra: Record<string, unknown> = {}) => ({ id, created: '2016-04-06T20:03:00.000Z', modified, ...extra });

describe('timestamps', () => {
  it('compares at full precision, not as text', () => {
    expect(compareTimestamps('2016-01-01T00:00:00.1Z', '2016-01-01T00:00:00.10Z')).toBe(0);
    expect(compareTimestamps('2016-01-01T00:00:00.1Z', '2016-01-01T00:00:00.09Z')).toBe(1);
    expect(compareTimestamps('2016-01-01T00:00:00Z', '2016-01-01T00:00:00.000000001Z')).toBe(-1);
    expect(compareTimestamps('2016-12-31T23:59:60Z', '2017-01-01T00:00:00Z')).toBe(-1);
    // Text sorts '…00.1Z' after '…00.09Z' correctly by chance, but '…00Z' vs '…00.000Z' as text differ; here equal.
    expect(compareTimestamps('2016-01-01T00:00:00Z', '2016-01-01T00:00:00.000Z')).toBe(0);
  });
  it('parses only RFC 3339 UTC timestamps with real dates', () => {
    expect(parseStixTimestamp('2016-02-29T00:00:00Z')).toEqual({ seconds: '2016-02-29T00:00:00', fraction: '' });
    expect(parseStixTimestamp('2015-02-29T00:00:00Z')).toMatch(/no such date/);
    expect(parseStixTimestamp('2016-01-01T24:00:00Z')).toMatch(/no such time/);
    expect(parseStixTimestamp('2016-01-01T00:00:00.Z')).toMatch(/not an RFC 3339/);
    expect(timestampMillis('2016-01-01T00:00:00.1239Z')).toBe(Date.UTC(2016, 0, 1) + 123);
  });
});

describe('versions', () => {
  it('orders by modified at full precision', () => {
    expect(isNewerVersion(v('2016-04-06T20:03:00.0001Z'), v('2016-04-06T20:03:00.000Z'))).toBe(true);
    expect(isNewerVersion(v('2016-04-06T20:03:00.000Z'), v('2016-04-06T20:03:00Z'))).toBe(false);
    expect(isNewerVersion({ ...v('2017-01-01T00:00:00.000Z'), id: 'indicator--00000000-0000-4000-8000-000000000000' }, v('2016-01-01T00:00:00.000Z'))).toBe(false);
    expect(compareVersions({ id }, v('2016-01-01T00:00:00.000Z'))).toBe(-1);
    const latest = latestVersions([v('2016-05-01T00:00:00.5Z'), v('2016-05-01T00:00:00.45Z'), v('2016-05-01T00:00:00.050Z')]);
    expect(latest.get(id)?.modified).toBe('2016-05-01T00:00:00.5Z');
  });

  it('refuses a version after a revocation, an older one, or a changed created', () => {
    const cur = v('2016-05-01T00:00:00.000Z');
    expect(versionChangeProblem(cur, v('2016-05-02T00:00:00.000Z'))).toBeNull();
    expect(versionChangeProblem(cur, v('2016-05-01T00:00:00Z'))).toMatch(/not later than/);
    expect(versionChangeProblem(cur, v('2016-05-02T00:00:00.000Z', { created: '2016-04-07T00:00:00.000Z' }))).toMatch(/created must not change/);
    expect(versionChangeProblem(v('2016-05-01T00:00:00.000Z', { revoked: true }), v('2016-05-02T00:00:00.000Z'))).toMatch(/was revoked/);
  });

  it('revokes with a later modified, even when the clock is behind', () => {
    const r = revoke(v('2016-05-01T00:00:00.000Z'), new Date('2020-01-01T00:00:00Z'));
    expect(r).toMatchObject({ revoked: true, modified: '2020-01-01T00:00:00.000Z' });
    const future = v('2999-01-01T00:00:00.999Z');
    const r2 = revoke(future, new Date('2020-01-01T00:00:00Z'));
    expect(r2.modified).toBe('2999-01-01T00:00:01.000Z');
    expect(isNewerVersion(r2, future)).toBe(true);
    expect(revoke(v('2999-01-01T00:00:00.123Z'), new Date('2020-01-01T00:00:00Z')).modified).toBe('2999-01-01T00:00:00.124Z');
  });
});
