import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { LOCK_FILE, lockDataDir, readLock } from './lock.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

let dirs: string[] = [];
let children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  children = [];
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sakimori-lock-'));
  dirs.push(d);
  return d;
}

/** A pid that no process has: a child that has already exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0']);
  const pid = c.pid as number;
  await new Promise((r) => c.once('exit', r));
  return pid;
}

function expectLocked(e: unknown, pid: number): void {
  expect(e).toBeInstanceOf(SakimoriError);
  expect((e as SakimoriError).code).toBe('STORE_LOCKED');
  expect((e as SakimoriError).where.pid).toBe(pid);
  expect((e as SakimoriError).message).toContain(String(pid));
}

describe('data-directory lock', () => {
  it('is exclusive within a process and free again after release', async () => {
    const dir = await tempDir();
    const lock = await lockDataDir(dir);
    expect((await readLock(dir))?.pid).toBe(process.pid);
    expectLocked(await lockDataDir(dir).catch((e: unknown) => e), process.pid);
    await lock.release();
    await lock.release();
    expect(await readLock(dir)).toBeUndefined();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('refuses a directory held by another live process, naming its pid, and takes it over once that process is killed', async () => {
    const dir = await tempDir();
    const script = join(dir, 'holder.mts');
    await writeFile(
      script,
      `import { lockDataDir } from ${JSON.stringify(resolve(here, 'lock.ts'))};\n` +
        `await lockDataDir(${JSON.stringify(dir)});\nconsole.log('locked');\nsetInterval(() => undefined, 1000);\n`,
    );
    // node itself (not the tsx wrapper, which would fork a grandchild) so that child.pid holds the lock.
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((ok, fail) => {
      child.stdout?.on('data', (b: Buffer) => b.toString().includes('locked') && ok());
      child.once('exit', (code) => fail(new Error(`holder exited with ${code}`)));
    });
    const pid = child.pid as number;
    expectLocked(await lockDataDir(dir).catch((e: unknown) => e), pid);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await readLock(dir))?.pid).toBe(pid); // left behind by SIGKILL
    const lock = await lockDataDir(dir);
    expect((await readLock(dir))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a stale lock from a dead pid, and a corrupt lock file', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: (await import('node:os')).hostname(), since: 'x', command: 'old', token: 't' }));
    const lock = await lockDataDir(dir);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();

    await writeFile(join(dir, LOCK_FILE), '');
    const lock2 = await lockDataDir(dir);
    await lock2.release();
  });

  it('does not take over a lock written on another host', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: 'elsewhere.example', since: 'x', command: 'serve', token: 't' }));
    const e = await lockDataDir(dir).catch((x: unknown) => x);
    expectLocked(e, pid);
    expect((e as SakimoriError).message).toContain('elsewhere.example');
  });

  it('lets exactly one of many concurrent starters take a stale lock', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: (await import('node:os')).hostname(), since: 'x', command: 'old', token: 't' }));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockDataDir(dir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expectLocked(r.reason, process.pid);
    if (won[0]?.status === 'fulfilled') await won[0].value.release();
  });
});
