/**
 * The open-file limit (`ulimit -n`): read from /proc/self/limits, raised to the hard limit when
 * the soft one is lower (prlimit on our own pid; works without privileges up to the hard limit).
 * The scanner keeps its sockets below it with room for the stores, logs and the server.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface FdLimit {
  readonly soft: number;
  readonly hard: number;
  /** True when this call raised the soft limit. */
  readonly raised: boolean;
}

/** Descriptors left for everything that is not a probe socket. */
export const FD_RESERVE = 512;

function parseLimits(text: string): { soft: number; hard: number } | undefined {
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const m = line ? /Max open files\s+(\S+)\s+(\S+)/.exec(line) : null;
  if (!m) return undefined;
  const n = (s: string | undefined): number => (s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}

export async function readFdLimit(): Promise<{ soft: number; hard: number } | undefined> {
  try {
    return parseLimits(await readFile('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}

/** Reads the limit and raises the soft limit towards the hard one (best effort). */
export async function ensureFdLimit(want: number): Promise<FdLimit> {
  const cur = await readFdLimit();
  if (!cur) return { soft: 1024, hard: 1024, raised: false };
  if (cur.soft >= want + FD_RESERVE || cur.soft >= cur.hard) return { ...cur, raised: false };
  const target = Math.min(cur.hard, want + FD_RESERVE);
  try {
    await promisify(execFile)('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${cur.hard}`]);
  } catch {
    return { ...cur, raised: false };
  }
  const after = await readFdLimit();
  return after ? { ...after, raised: after.soft > cur.soft } : { ...cur, raised: false };
}

/** Sockets the scanner may hold: what was asked, but never closer than FD_RESERVE to the limit. */
export function socketBudget(wanted: number, limit: FdLimit): number {
  return Math.max(1, Math.min(wanted, limit.soft - FD_RESERVE));
}
