import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { SakimoriError, messageOf } from '../../errors.js';
import type { BatchFormat, EventParams, EventsStore } from '../types.js';
import { currentQueryContext } from './query-context.js';
import { FairScheduler } from './fair-scheduler.js';
import { DEFAULT_QUERY_LIMITS, readSettings, storeError, type QueryLimits } from './query-limits.js';

export interface ClickHouseEventsStoreOptions {
  /** Milliseconds before a request is abandoned (default 10 minutes: large INSERT … SELECT). */
  readonly requestTimeout?: number;
  /** Concurrent HTTP connections (default 10). */
  readonly maxOpenConnections?: number;
}

/** Settings on every read: 64-bit integers as JSON numbers, like chDB's JSONEachRow. */
const READ_SETTINGS: ClickHouseSettings = { output_format_json_quote_64bit_integers: 0 };

/**
 * Events store on a ClickHouse server over HTTP (`@clickhouse/client`), from a URL such as
 * `http://user:password@host:8123/sakimori` (user, password and database in the URL; the
 * database must exist). Parameters are bound server-side (`{name:Type}` + `query_params`).
 *
 * `withRowBinary` stages the rows in a uniquely named `ENGINE = Memory` table of the current
 * database, dropped afterwards. A Memory table lives on one server: behind a load balancer the
 * URL must reach the same node for the whole call (sticky sessions), or point at one node.
 *
 * Limits (query-limits.ts) go with each query as settings; a request's reads pass the same fair
 * scheduler as on chDB, its lanes being requests in flight (the server runs them in parallel).
 */
export class ClickHouseEventsStore implements EventsStore {
  readonly kind = 'clickhouse' as const;
  private readonly client: ClickHouseClient;
  private closed = false;
  private limits: QueryLimits = DEFAULT_QUERY_LIMITS;
  private scheduler: FairScheduler | undefined;

  constructor(url: string, opts: ClickHouseEventsStoreOptions = {}) {
    try {
      this.client = createClient({
        url,
        application: 'sakimori',
        request_timeout: opts.requestTimeout ?? 600_000,
        max_open_connections: opts.maxOpenConnections ?? 10,
        // Failures reach the caller as STORE_QUERY_FAILED; the client need not print them too.
        log: { level: ClickHouseLogLevel.OFF },
      });
    } catch (e) {
      throw new SakimoriError('STORE_QUERY_FAILED', `bad ClickHouse URL: ${messageOf(e)}`, { store: 'clickhouse' });
    }
  }

  /** Limits from the configuration. The lane counts take effect at the first request query. */
  setQueryLimits(limits: QueryLimits): void {
    this.limits = limits;
  }

  async exec(sql: string, params?: EventParams, settings?: Record<string, string | number>): Promise<void> {
    try {
      await this.client.command({
        query: stripTerminator(sql),
        query_params: params,
        clickhouse_settings: settings as ClickHouseSettings | undefined,
      });
    } catch (e) {
      throw queryError(sql, e);
    }
  }

  async query<T>(sql: string, params?: EventParams): Promise<T[]> {
    const ctx = currentQueryContext();
    const settings: ClickHouseSettings = { ...READ_SETTINGS, ...readSettings(this.limits, ctx?.cost, false) };
    const read = async (): Promise<T[]> => {
      try {
        const rs = await this.client.query({ query: stripTerminator(sql), format: 'JSONEachRow', query_params: params, clickhouse_settings: settings });
        return await rs.json<T>();
      } catch (e) {
        throw queryError(sql, e);
      }
    };
    if (!ctx) return read();
    this.scheduler ??= new FairScheduler(this.limits.cheapConcurrency, this.limits.heavyConcurrency);
    return this.scheduler.run(ctx, read);
  }

  async queryRowBinary(sql: string, params?: EventParams): Promise<Uint8Array> {
    try {
      const res = await this.client.exec({
        query: `${stripTerminator(sql)} FORMAT RowBinary`,
        query_params: params,
        clickhouse_settings: readSettings(this.limits, undefined, false) as ClickHouseSettings,
      });
      const parts: Buffer[] = [];
      for await (const chunk of res.stream) parts.push(chunk as Buffer);
      return Buffer.concat(parts);
    } catch (e) {
      throw queryError(sql, e);
    }
  }

  async withRowBinary<T>(structure: string, data: Uint8Array, fn: (source: string) => Promise<T>): Promise<T> {
    return this.withBatch('RowBinary', structure, [data], fn);
  }

  async withBatch<T>(format: BatchFormat, structure: string, chunks: readonly Uint8Array[], fn: (source: string) => Promise<T>): Promise<T> {
    const table = stagingTableName();
    await this.exec(`CREATE TABLE ${table} (${structure}) ENGINE = Memory`);
    try {
      await this.insertBatch(table, format, chunks);
      return await fn(table);
    } finally {
      await this.exec(`DROP TABLE IF EXISTS ${table} SYNC`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private async insertBatch(table: string, format: BatchFormat, chunks: readonly Uint8Array[]): Promise<void> {
    const sql = `INSERT INTO ${table} FORMAT ${format}`;
    try {
      const res = await this.client.exec({
        query: sql,
        values: Readable.from(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))),
      });
      // The response body is empty but must be consumed to free the connection.
      for await (const _chunk of res.stream) void _chunk;
    } catch (e) {
      throw queryError(sql, e);
    }
  }
}

/** `_sakimori_stage_<pid>_<random>`: unique per call, recognisable if a crash leaves one. */
export function stagingTableName(): string {
  return `_sakimori_stage_${process.pid}_${randomBytes(8).toString('hex')}`;
}

function stripTerminator(sql: string): string {
  return sql.trimEnd().replace(/;+$/, '');
}

function queryError(sql: string, e: unknown): SakimoriError {
  const { code, type } = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; type?: unknown };
  const where: Record<string, string | number> = {};
  if (typeof code === 'string' || typeof code === 'number') where.chcode = String(code);
  const prefix = typeof type === 'string' && type ? `${type}: ` : '';
  return storeError('clickhouse', `${prefix}${messageOf(e).trim()}`, sql, where);
}
