/** The L7 modules a survey can use by name: those listed in `./modules/index.ts`. */
import { SakimoriError } from '../errors.js';
import type { L7Module } from './module.js';
import { MODULES } from './modules/index.js';

/** Every available module. */
export async function availableModules(): Promise<L7Module[]> {
  return [...MODULES];
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
