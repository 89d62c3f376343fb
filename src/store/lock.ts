/**
 * The data-directory lock. chDB binds one data directory per process and PGlite takes no lock of
 * its own, so the process that opens the embedded stores (normally `sakimori serve`) holds
 * `<dataDir>/sakimori.lock`; another process opening the same directory gets STORE_LOCKED with
 * the holder's pid. A lock left by a process that died (SIGKILL, power loss) is taken over.
 *
 * The lock file is created atomically with its content (written to a temporary file, then
 * hard-linked into place, which fails if the lock exists). Takeover of a stale lock happens under
 * a short-lived `sakimori.lock.takeover` directory so that two starters cannot both take it.
 * A lock written on another host (a data directory on shared storage) is never taken over: its
 * pid cannot be checked from here; remove the file by hand if that host is gone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { SakimoriError } from '../errors.js';

export const LOCK_FILE = 'sakimori.lock';

export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** The holder's command line, for the error message. */
  readonly command: string;
  /** Random id of this acquisition. */
  readonly token: string;
}

export interface DataDirLock {
  readonly dir: string;
  readonly file: string;
  readonly info: LockInfo;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/** Lock files this process holds, removed synchronously if the process exits without release. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [file, token] of held) {
      try {
        if (parseLock(readFileSync(file, 'utf8'))?.token === token) unlinkSync(file);
      } catch {
        // nothing to clean
      }
    }
  });
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid !== 'number' || typeof v.token !== 'string') return undefined;
    return {
      pid: v.pid,
      hostname: typeof v.hostname === 'string' ? v.hostname : '',
      since: typeof v.since === 'string' ? v.since : '',
      command: typeof v.command === 'string' ? v.command : '',
      token: v.token,
    };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (EPERM: exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder of the data directory's lock, if any (stale or not). */
export async function readLock(dataDir: string): Promise<LockInfo | undefined> {
  try {
    return parseLock(await readFile(join(resolve(dataDir), LOCK_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a lock is held by a live process (or by another host, which we cannot check). */
function isLive(info: LockInfo, file: string): boolean {
  if (info.hostname && info.hostname !== hostname()) return true;
  if (info.pid === process.pid) return held.get(file) === info.token; // a pid reused after a restart
  return processAlive(info.pid);
}

function lockedError(dir: string, info: LockInfo): SakimoriError {
  const who = info.pid === process.pid ? 'this process' : `process ${info.pid}`;
  const host = info.hostname && info.hostname !== hostname() ? ` on host ${info.hostname}` : '';
  const cmd = info.command ? ` (${info.command})` : '';
  return new SakimoriError(
    'STORE_LOCKED',
    `${who}${host}${cmd} holds ${join(dir, LOCK_FILE)} since ${info.since}; stop it, or talk to the running server through its API`,
    { dataDir: dir, pid: info.pid },
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the lock of `dataDir` (which must exist) or throws STORE_LOCKED naming the holder's pid.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 300),
    token: randomBytes(12).toString('hex'),
  };
  const tmp = join(dir, `.${LOCK_FILE}.${process.pid}.${info.token}`);
  await writeFile(tmp, `${JSON.stringify(info)}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await link(tmp, file);
        held.set(file, info.token);
        installExitHook();
        return { dir, file, info, release: () => releaseLock(file, info.token) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw e;
      }
      const holder = parseLock(text);
      if (holder && isLive(holder, file)) throw lockedError(dir, holder);
      await takeOver(file, text);
    }
    throw new SakimoriError('STORE_LOCKED', `could not take ${file}: it keeps changing`, { dataDir: dir });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Removes a stale lock file, unless someone replaced it since we read `staleText`. */
async function takeOver(file: string, staleText: string): Promise<void> {
  const mutex = `${file}.takeover`;
  for (let i = 0; ; i++) {
    try {
      await mkdir(mutex);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A takeover directory left by a process that died during takeover expires after 10 s.
      const st = await stat(mutex).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 10_000) await rmdir(mutex).catch(() => undefined);
      if (i > 200) return;
      await sleep(25);
    }
  }
  try {
    const now = await readFile(file, 'utf8').catch(() => undefined);
    if (now === staleText) await unlink(file).catch(() => undefined);
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}

async function releaseLock(file: string, token: string): Promise<void> {
  if (held.get(file) !== token) return;
  held.delete(file);
  try {
    if (existsSync(file) && parseLock(await readFile(file, 'utf8'))?.token === token) await unlink(file);
  } catch {
    // already gone
  }
}
