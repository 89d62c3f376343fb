/**
 * The resolved defaults (no file, empty environment, no flags) against a golden file, so that a
 * default cannot change without a diff in review. The golden file lives in src/config/testing/
 * beside the code it pins, not in test/fixtures/ (which holds data directories of past releases).
 *
 * A default changed on purpose? Regenerate it and commit the diff:
 *   UPDATE_GOLDEN=1 npx vitest run src/config/defaults.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { TempConfigDir } from './testing/temp-config.js';

const GOLDEN = fileURLToPath(new URL('./testing/defaults.golden.json', import.meta.url));

describe('configuration defaults', () => {
  let tmp: TempConfigDir | undefined;
  afterEach(() => tmp?.remove());

  it('match the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    tmp = new TempConfigDir();
    const warnings: string[] = [];
    // An empty working directory, so that no sakimori.json is picked up.
    const defaults = tmp.inside(() => loadConfig({ env: {}, warn: (m) => warnings.push(m) }));
    const actual = JSON.stringify(defaults, null, 2) + '\n';
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, actual);
    expect(JSON.parse(actual), 'a default changed: if on purpose, UPDATE_GOLDEN=1 npx vitest run src/config/defaults.test.ts').toEqual(
      JSON.parse(readFileSync(GOLDEN, 'utf8')),
    );
    expect(warnings).toEqual([]);
  });
});
