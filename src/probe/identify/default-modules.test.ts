import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultModules, discoverModules } from './default-modules.js';

describe('defaultModules', () => {
  it('includes every module file present in src/probe/modules, ssh among them', async () => {
    const mods = await defaultModules();
    const names = mods.map((m) => m.name);
    expect(names).toContain('ssh');
    expect(new Set(names).size).toBe(names.length);
    const d = await discoverModules();
    expect(d.failures).toEqual([]);
  });

  it('finds modules exported singly or as lists, reports broken files, skips tests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-mods-'));
    try {
      const mod = (n: string, ports: string) => `{ name: '${n}', defaultPorts: [${ports}], probe: async () => ({ identified: false, finding: {} }) }`;
      writeFileSync(join(dir, 'a.mjs'), `export const alpha = ${mod('redis', '6379')};\nexport const notAModule = 3;\n`);
      writeFileSync(join(dir, 'b.mjs'), `export const MODULES = [${mod('http', '80')}, ${mod('redis', '6380')}];\n`);
      writeFileSync(join(dir, 'broken.mjs'), 'export const = ;\n');
      writeFileSync(join(dir, 'index.mjs'), 'throw new Error("the registry index is not scanned");\n');
      writeFileSync(join(dir, 'c.test.mjs'), 'throw new Error("must not be imported");\n');
      const d = await discoverModules(pathToFileURL(`${dir}/`));
      expect(d.modules.map((m) => m.name)).toEqual(['http', 'redis']);
      expect(d.modules.find((m) => m.name === 'redis')?.defaultPorts).toEqual([6379]);
      expect(d.failures.map((f) => f.file)).toEqual(['broken.mjs']);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
