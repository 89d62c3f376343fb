import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../modules/index.js';
import { defaultModules } from './default-modules.js';

describe('defaultModules', () => {
  it('includes every registered module once, ssh among them, most used first', async () => {
    const names = (await defaultModules()).map((m) => m.name);
    expect(names).toContain('ssh');
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(names)).toEqual(new Set(MODULES.map((m) => m.name)));
    expect(names.slice(0, 4)).toEqual(['http', 'https', 'tls', 'ssh']);
  });

  it('the registry (probe/modules/index.ts) lists a module from every module file present', async () => {
    const dir = new URL('../modules/', import.meta.url);
    const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !/\.(test|d)\.ts$/.test(f) && f !== 'index.ts');
    const listed = new Set(MODULES);
    for (const f of files) {
      const mod = (await import(new URL(f, dir).href)) as Record<string, unknown>;
      const exported = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'probe' in v && 'defaultPorts' in v);
      expect(exported.length, f).toBeGreaterThan(0);
      for (const m of exported) expect(listed.has(m as (typeof MODULES)[number]), f).toBe(true);
    }
  });
});
