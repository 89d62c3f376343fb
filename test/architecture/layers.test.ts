/**
 * The layers of src/ (docs/development.md): a file may import its own layer and the ones below,
 * never one above; production code never imports a test helper (`testing/` folders, `*.test.ts`).
 * Every folder of src/ must be placed in a layer, so a new one cannot slip past.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';

/** Lowest first. Top-level files of src/ are named with their extension. */
export const LAYERS: readonly (readonly string[])[] = [
  ['net', 'util', 'schema', 'errors.ts', 'version.ts'],
  ['store', 'config'],
  ['sources', 'decode', 'enrich', 'synth'],
  ['classify', 'ingest'],
  ['probe', 'imports', 'services', 'vulns'],
  // app: the context every command opens (stores, enrichment, fingerprints, report settings).
  ['analyze', 'search', 'app'],
  // flows: its constituency prefixes come from orgs, its candidates go out through share.
  // honeypot: its indicators go out through share, its impact through orgs.
  ['auth', 'orgs', 'notify', 'cases', 'monitors', 'effects', 'reports', 'share', 'flows', 'honeypot'],
  // correlate: one profile per address and campaigns, joining every capability below it.
  ['correlate'],
  ['api'],
  ['cli'],
];

const SRC = join(packageRoot(), 'src');
const layerOf = new Map<string, number>(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const top = (file: string): string => relative(SRC, file).split(sep)[0] ?? '';
const isTestCode = (file: string): boolean => file.endsWith('.test.ts') || file.split(sep).includes('testing');
/** Relative imports of a file (static, dynamic and re-exports), resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    out.push(resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
  }
  return out;
}

describe('architecture', () => {
  const all = files(SRC);

  it('places every folder of src/ in a layer', () => {
    const unplaced = [...new Set(all.map(top))].filter((t) => !layerOf.has(t));
    expect(unplaced, 'add these to LAYERS (and to docs/development.md)').toEqual([]);
  });

  it('imports only its own layer and those below', () => {
    const up: string[] = [];
    for (const f of all.filter((x) => !isTestCode(x))) {
      const mine = layerOf.get(top(f)) ?? -1;
      for (const target of importsOf(f)) {
        if (!target.startsWith(SRC + sep)) continue;
        const theirs = layerOf.get(top(target)) ?? -1;
        if (theirs > mine) up.push(`${relative(SRC, f)} → ${relative(SRC, target)}`);
      }
    }
    expect(up, 'a lower layer imports a higher one').toEqual([]);
  });

  it('keeps test helpers out of production code', () => {
    const bad: string[] = [];
    for (const f of all.filter((x) => !isTestCode(x))) {
      for (const target of importsOf(f)) if (isTestCode(target)) bad.push(`${relative(SRC, f)} → ${relative(SRC, target)}`);
    }
    expect(bad).toEqual([]);
  });
});
