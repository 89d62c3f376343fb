/**
 * The L7 modules a survey can use by name. The modules live in `./modules/` (written beside this
 * core) and are listed by `./modules/index.ts` as `export const MODULES: readonly L7Module[]`;
 * they are loaded only when a survey runs, and until that index exists no module is available
 * (a survey then records open ports only).
 */
import { SakimoriError } from '../errors.js';
import type { L7Module } from './module.js';

function isModule(v: unknown): v is L7Module {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m['name'] === 'string' && Array.isArray(m['defaultPorts']) && typeof m['probe'] === 'function';
}

/** Every available module. */
export async function availableModules(): Promise<L7Module[]> {
  // A computed specifier: the index may not exist yet in this tree, and type-checking must not need it.
  const spec = './modules/index.js';
  let mod: unknown;
  try {
    mod = await import(spec);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return [];
    throw e;
  }
  const list = (mod as { MODULES?: unknown }).MODULES;
  return Array.isArray(list) ? list.filter(isModule) : [];
}

/** The modules named (all when `names` is undefined); SURVEY-level BAD_REQUEST naming unknown ones. */
export async function resolveModules(names?: readonly string[]): Promise<L7Module[]> {
  const all = await availableModules();
  if (names === undefined) return all;
  const byName = new Map(all.map((m) => [m.name, m]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new SakimoriError('BAD_REQUEST', `unknown module(s): ${unknown.join(', ')}; available: ${all.map((m) => m.name).join(', ') || 'none yet'}`, { modules: unknown.join(',') });
  }
  return names.map((n) => byName.get(n) as L7Module);
}
