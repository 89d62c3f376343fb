import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
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
    await mkdir(this.spoolDir, { recursive: true });
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
