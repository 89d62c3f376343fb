import { lstat, mkdir, open, readdir, readlink, rm, statfs, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Session, type ChdbResult } from 'chdb';
import { messageOf } from '../../errors.js';
import type { BatchFormat, EventParams, EventsStore } from '../types.js';
import { quote, withSettings } from './sql-literals.js';
import { inlineParams } from './inline-params.js';
import { currentQueryContext } from './query-context.js';
import { FairScheduler } from './fair-scheduler.js';
import { DEFAULT_QUERY_LIMITS, appendSettings, readSettings, storeError, type QueryLimits } from './query-limits.js';

export { quote, withSettings };

/**
 * Given to every connection. Large GROUP BYs and sorts (daily reports over millions of sources)
 * spill to disk instead of growing the process beyond its memory budget. Background merges get
 * one thread fewer than the cores (at least one), so that queries keep a core: right after an
 * ingest a host page shared two cores with up to 16 merge threads (issue 14), while merging a
 * fresh 20M-packet store took 31 s with the default pool and 32 s with one thread. Merge threads
 * are also niced where the process may (CAP_SYS_NICE; without it ClickHouse ignores the value).
 */
const CONNECTION_ARGS = [
  '--max_bytes_before_external_group_by=268435456',
  '--max_bytes_before_external_sort=268435456',
  '--max_bytes_ratio_before_external_group_by=0',
  '--max_bytes_ratio_before_external_sort=0',
  `--background_pool_size=${Math.max(1, availableParallelism() - 1)}`,
  '--os_threads_nice_value_merge_mutate=10',
];

/**
 * Events store on embedded chDB: ClickHouse in-process, one data directory per process.
 * Queries run off the event loop (queryAsync); bulk data enters through RowBinary files that
 * ClickHouse reads with its own parser, never as JS objects.
 *
 * Concurrency: one chDB connection runs one query at a time (its engine thread takes them in
 * turn), and connections to the same directory run in parallel. Writes and background reads use
 * one connection; a request's reads go through a fair scheduler (fair-scheduler.ts) onto lanes
 * of their own: cheap lanes for host pages and the like, heavy lanes for searches and reports.
 * Parameters are written into the SQL (inline-params.ts): chDB would run bound queries one at a
 * time across the whole process.
 */
export class ChdbEventsStore implements EventsStore {
  readonly kind = 'chdb' as const;
  private readonly session: Session;
  private readonly spoolDir: string;
  private spoolReady: Promise<void> | undefined;
  private limits: QueryLimits = DEFAULT_QUERY_LIMITS;
  private scheduler: FairScheduler | undefined;
  /** Request lanes, opened when first used (cheap lanes first, as the scheduler numbers them). */
  private lanes: (Session | undefined)[] = [];
  private closed = false;

  constructor(readonly path: string) {
    this.session = new Session(path, { connectionArgs: CONNECTION_ARGS });
    this.spoolDir = join(path, 'spool');
  }

  /** Limits from the configuration. The lane counts take effect at the first request query. */
  setQueryLimits(limits: QueryLimits): void {
    this.limits = limits;
  }

  async exec(sql: string, params?: EventParams, settings?: Record<string, string | number>): Promise<void> {
    await this.run(this.session, withSettings(inlineParams(sql, params), settings), 'TabSeparated');
  }

  async query<T>(sql: string, params?: EventParams): Promise<T[]> {
    const ctx = currentQueryContext();
    const text = appendSettings(inlineParams(sql, params), readSettings(this.limits, ctx?.cost, true));
    const out = ctx
      ? await this.schedule().run(ctx, (lane) => this.run(lane, text, 'JSONEachRow'))
      : await this.run(this.session, text, 'JSONEachRow');
    const rows: T[] = [];
    for (const line of out.split('\n')) if (line) rows.push(JSON.parse(line) as T);
    return rows;
  }

  async queryRowBinary(sql: string, params?: EventParams): Promise<Uint8Array> {
    const text = appendSettings(inlineParams(sql, params), readSettings(this.limits, undefined, true));
    return (await this.result(this.session, text, 'RowBinary')).bytes();
  }

  /** What the request lanes are doing (tests, metrics). */
  schedulerStats(): ReturnType<FairScheduler['stats']> | undefined {
    return this.scheduler?.stats();
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
    this.closed = true;
    for (const s of this.lanes) s?.close();
    this.lanes = [];
    this.session.close();
    // A spool in /dev/shm is memory: leave nothing behind (it is made again on the next insert).
    const link = await lstat(this.spoolDir).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      const target = await readlink(this.spoolDir).catch(() => undefined);
      if (target && (await readdir(target).catch(() => [] as string[])).length === 0) await rm(target, { recursive: true, force: true });
      await rm(this.spoolDir, { force: true });
    }
  }

  private schedule(): FairScheduler {
    return (this.scheduler ??= new FairScheduler(this.limits.cheapConcurrency, this.limits.heavyConcurrency));
  }

  /** Runs on a request lane (by its index) or on the store's own connection. */
  private async run(on: number | Session, sql: string, format: string): Promise<string> {
    return (await this.result(on, sql, format)).text();
  }

  private async result(on: number | Session, sql: string, format: string): Promise<ChdbResult> {
    // Also keeps a query queued before close() from opening a lane afterwards.
    if (this.closed) throw storeError('chdb', 'the events store is closed', sql);
    const session = typeof on === 'number' ? (this.lanes[on] ??= new Session(this.path, { connectionArgs: CONNECTION_ARGS })) : on;
    try {
      return await session.queryAsync(sql, { format });
    } catch (e) {
      throw storeError('chdb', messageOf(e), sql);
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
