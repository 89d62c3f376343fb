import { lstat, mkdir, open, readdir, readlink, rm, statfs, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Session } from 'chdb';
import { SakimoriError, messageOf } from '../../errors.js';
import type { BatchFormat, EventParams, EventsStore } from '../types.js';
import { quote, withSettings } from './sql-literals.js';

export { quote, withSettings };

/**
 * Events store on embedded chDB: ClickHouse in-process, one data directory per process.
 * Queries run off the event loop (queryAsync); bulk data enters through RowBinary files that
 * ClickHouse reads with its own parser, never as JS objects.
 */
export class ChdbEventsStore implements EventsStore {
  readonly kind = 'chdb' as const;
  private readonly session: Session;
  private readonly spoolDir: string;
  private spoolReady: Promise<void> | undefined;

  constructor(readonly path: string) {
    // Large GROUP BYs and sorts (daily reports over millions of sources) spill to disk instead
    // of growing the process beyond its memory budget.
    this.session = new Session(path, {
      connectionArgs: [
        '--max_bytes_before_external_group_by=268435456',
        '--max_bytes_before_external_sort=268435456',
        '--max_bytes_ratio_before_external_group_by=0',
        '--max_bytes_ratio_before_external_sort=0',
      ],
    });
    this.spoolDir = join(path, 'spool');
  }

  async exec(sql: string, params?: EventParams, settings?: Record<string, string | number>): Promise<void> {
    await this.run(withSettings(sql, settings), params, 'TabSeparated');
  }

  async query<T>(sql: string, params?: EventParams): Promise<T[]> {
    const text = await this.run(sql, params, 'JSONEachRow');
    const rows: T[] = [];
    for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as T);
    return rows;
  }

  async withRowBinary<T>(structure: string, data: Uint8Array, fn: (source: string) => Promise<T>): Promise<T> {
    return this.withBatch('RowBinary', structure, [data], fn);
  }

  async withBatch<T>(format: BatchFormat, structure: string, chunks: readonly Uint8Array[], fn: (source: string) => Promise<T>): Promise<T> {
    this.spoolReady ??= prepareSpool(this.spoolDir).then(() => removeOrphans(this.spoolDir));
    await this.spoolReady;
    const file = join(this.spoolDir, `batch-${process.pid}-${randomBytes(6).toString('hex')}.${format.toLowerCase()}`);
    const fh = await open(file, 'w');
    try {
      await fh.writev(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
    } finally {
      await fh.close();
    }
    try {
      return await fn(`file(${quote(file)}, '${format}', ${quote(structure)})`);
    } finally {
      await rm(file, { force: true });
    }
  }

  async close(): Promise<void> {
    this.session.close();
    // A spool in /dev/shm is memory: leave nothing behind (it is made again on the next insert).
    const link = await lstat(this.spoolDir).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      const target = await readlink(this.spoolDir).catch(() => undefined);
      if (target && (await readdir(target).catch(() => [] as string[])).length === 0) await rm(target, { recursive: true, force: true });
      await rm(this.spoolDir, { force: true });
    }
  }


  private async run(sql: string, params: EventParams | undefined, format: string): Promise<string> {
    try {
      const result = params && Object.keys(params).length > 0
        ? await this.session.queryBindAsync(sql, params, { format })
        : await this.session.queryAsync(sql, { format });
      return result.text();
    } catch (e) {
      throw new SakimoriError('STORE_QUERY_FAILED', messageOf(e).slice(0, 2000), { store: 'chdb', sql: sql.slice(0, 200) });
    }
  }
}

/** Room that /dev/shm must have free for the spool to live there (two batches of a few 100 MB). */
const SHM_MIN_FREE = 2 * 2 ** 30;

/**
 * The spool directory (`<data>/events/spool`) holds each batch's files only while ClickHouse
 * reads them. Where /dev/shm exists and has room, the directory is a symlink into it: the
 * files then never touch a disk (writing and reading ~100 MB per batch through a disk-backed
 * filesystem cost about a fifth of the ingest). Otherwise it is a plain directory.
 */
async function prepareSpool(dir: string): Promise<void> {
  const existing = await lstat(dir).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    const target = await readlink(dir);
    if (existsSync(target)) return;
    await rm(dir, { force: true });
  } else if (existing) {
    return;
  }
  const shm = '/dev/shm';
  try {
    const fs = await statfs(shm);
    if (fs.bavail * fs.bsize >= SHM_MIN_FREE) {
      const target = join(shm, `sakimori-spool-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16)}`);
      await mkdir(target, { recursive: true });
      await mkdir(join(dir, '..'), { recursive: true });
      await symlink(target, dir);
      return;
    }
  } catch {
    // No usable /dev/shm: a plain directory.
  }
  await mkdir(dir, { recursive: true });
}

/** Removes batch files left by processes that are gone (killed in the middle of an insert). */
async function removeOrphans(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(/^batch-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) await rm(join(dir, name), { force: true });
  }
}
