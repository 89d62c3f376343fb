/**
 * The module list identification uses by default: every module of the one registry,
 * `../modules/index.ts` (`MODULES`, explicit imports; a module is added there when it lands), most
 * used first, so an unknown-port search tries them in a sensible order when nothing else decides.
 */
import type { L7Module } from '../module.js';
import { MODULES } from '../modules/index.js';

const ORDER = ['http', 'https', 'tls', 'ssh', 'telnet', 'ftp', 'rtsp', 'mqtt', 'redis'];

/** Every registered module, most used first (unlisted names last, by name). */
export async function defaultModules(): Promise<L7Module[]> {
  const rank = (n: string): number => { const i = ORDER.indexOf(n); return i < 0 ? ORDER.length : i; };
  return [...MODULES].sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}
