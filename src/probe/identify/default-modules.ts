/**
 * Every L7 module present in src/probe/modules (compiled: dist/probe/modules), found by looking at
 * the files: each exported value that has the L7Module shape counts, one per name. Engineers add a
 * module by adding its file; nothing here has to be edited. A file that fails to load is reported
 * in `failures`, not silently dropped, and does not stop the others.
 */
import { readdir } from 'node:fs/promises';
import type { L7Module } from '../module.js';

function isModule(v: unknown): v is L7Module {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m['name'] === 'string' && Array.isArray(m['defaultPorts']) && typeof m['probe'] === 'function';
}

export interface ModuleDiscovery {
  readonly modules: L7Module[];
  readonly failures: { file: string; error: string }[];
}

const MODULE_FILE = /^[a-z0-9][\w.-]*\.(ts|js|mjs)$/i;
const NOT_MODULE = /\.(test|spec|d)\.(ts|js|mjs)$/i;
/** index.(ts|js) is the registry's list (module-registry.ts); it may itself be built from this discovery. */
const INDEX = /^index\.(ts|js|mjs)$/i;

/** Most used first, so an unknown-port search tries them in a sensible order when nothing else decides. */
const ORDER = ['http', 'https', 'tls', 'ssh', 'telnet', 'ftp', 'rtsp', 'mqtt', 'redis'];

export async function discoverModules(dir: URL = new URL('../modules/', import.meta.url)): Promise<ModuleDiscovery> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => MODULE_FILE.test(f) && !NOT_MODULE.test(f) && !INDEX.test(f)).sort();
  } catch (e) {
    return { modules: [], failures: [{ file: dir.pathname, error: e instanceof Error ? e.message : String(e) }] };
  }
  // Prefer compiled .js when both exist (dist); under vitest/tsx only .ts exist.
  const stems = new Map<string, string>();
  for (const f of files) {
    const stem = f.replace(/\.(ts|js|mjs)$/i, '');
    const prev = stems.get(stem);
    if (prev === undefined || /\.m?js$/.test(f)) stems.set(stem, f);
  }
  const byName = new Map<string, L7Module>();
  const failures: { file: string; error: string }[] = [];
  for (const f of stems.values()) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(new URL(f, dir).href)) as Record<string, unknown>;
    } catch (e) {
      failures.push({ file: f, error: e instanceof Error ? e.message : String(e) });
      continue;
    }
    for (const v of Object.values(mod)) {
      const list = Array.isArray(v) ? (v as unknown[]) : [v];
      for (const m of list) if (isModule(m) && !byName.has(m.name)) byName.set(m.name, m);
    }
  }
  const rank = (n: string): number => { const i = ORDER.indexOf(n); return i < 0 ? ORDER.length : i; };
  const modules = [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return { modules, failures };
}

/** The module list identification uses by default: every module present. */
export async function defaultModules(): Promise<L7Module[]> {
  return (await discoverModules()).modules;
}
