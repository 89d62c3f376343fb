/** Keys from older releases in a configuration file: moved or dropped, never silently. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { REMOVED_KEYS, RENAMED_KEYS } from './renamed-keys.js';
import { TempConfigDir } from './testing/temp-config.js';

describe('renamed and removed configuration keys', () => {
  let tmp: TempConfigDir;
  const warnings: string[] = [];
  const load = (content: unknown): ReturnType<typeof loadConfig> =>
    loadConfig({ file: tmp.write(content), env: {}, warn: (m) => warnings.push(m) });
  beforeEach(() => void (tmp = new TempConfigDir()));
  afterEach(() => {
    tmp.remove();
    warnings.length = 0;
  });

  it('moves `data` to `dataDir` and says to rename it', () => {
    // Until this was tested, `data` became dataDir: {} and failed with "expected string, received object".
    expect(load({ data: '/srv/sakimori' }).dataDir).toBe('/srv/sakimori');
    expect(warnings).toEqual([expect.stringMatching(/config\.json: data is now called dataDir; rename it$/)]);
  });

  it('moves `darknet.retention` to `darknet.retentionDays`, keeping the rest of darknet', () => {
    const c = load({ darknet: { retention: 30, batchSize: 5000 } });
    expect(c.darknet.retentionDays).toBe(30);
    expect(c.darknet.batchSize).toBe(5000);
    expect(warnings).toEqual([expect.stringContaining('darknet.retention is now called darknet.retentionDays')]);
  });

  it('refuses a file that sets both the old and the new name, naming both and the file', () => {
    expect(() => load({ darknet: { retention: 30, retentionDays: 60 } })).toThrow(
      /darknet\.retention is the old name of darknet\.retentionDays and both are set: remove darknet\.retention \(file=.*config\.json\)/,
    );
  });

  it('ignores `auth.mode` as documented, with a warning that says why and to remove it', () => {
    const c = load({ auth: { mode: 'off', maxFailedLogins: 3 } });
    expect(c.auth).not.toHaveProperty('mode');
    expect(c.auth.maxFailedLogins).toBe(3);
    expect(warnings).toEqual([expect.stringMatching(/auth\.mode is no longer used and is ignored \(nothing is served anonymously.*\); remove it$/)]);
  });

  it('warns about nothing for a file in current names', () => {
    load({ dataDir: '/srv/s', darknet: { retentionDays: 30 }, auth: { maxFailedLogins: 3 } });
    expect(warnings).toEqual([]);
  });

  it('renames only to keys the schema knows', () => {
    // A rename to a misspelt target would be dropped by zod: the warning would promise a move that never happens.
    for (const [from, to] of Object.entries(RENAMED_KEYS)) {
      expect(from, 'an old name must not be a current key').not.toBe(to);
      const parts = to.split('.');
      let cur: unknown = load({});
      for (const p of parts) cur = (cur as Record<string, unknown>)[p];
      expect(cur, `${to} has no default in the schema`).not.toBeUndefined();
    }
    expect(Object.keys(REMOVED_KEYS)).toContain('auth.mode');
  });
});
