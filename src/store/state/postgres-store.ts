import pg from 'pg';
import { SakimoriError } from '../../errors.js';
import type { StateStore } from '../types.js';
import { stateQueryError } from './query-error.js';

type Tx = Pick<StateStore, 'query' | 'exec' | 'copyRows'>;

const INT8_OID = 20;

/**
 * Type parsers shared by this store's connections (not pg's global ones): bigint (int8) as a JS
 * number like PGlite returns it; everything else as pg parses it by default (timestamptz as
 * Date, json/jsonb parsed, numeric as string).
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID && format !== 'binary') return (v: string) => Number(v);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresStateStoreOptions {
  /** Pool size (default 10). */
  readonly max?: number;
  /** Milliseconds to wait for a connection (default 30 s). */
  readonly connectionTimeoutMillis?: number;
}

/**
 * State store on a PostgreSQL server through a `pg` connection pool, from a URL such as
 * `postgres://user:password@host:5432/sakimori` (any libpq-style URL pg accepts, including
 * `?host=/run/postgresql` for a unix socket). A transaction runs on one pooled connection.
 */
export class PostgresStateStore implements StateStore {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(url: string, opts: PostgresStateStoreOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 10,
      connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 30_000,
      application_name: 'sakimori',
      types: TYPES,
    });
    // An idle connection dropped by the server must not crash the process; the next query
    // gets a fresh connection or a clear error.
    this.pool.on('error', () => undefined);
  }

  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return runQuery<T>(this.pool, sql, params);
  }

  async exec(sql: string): Promise<void> {
    await runQuery(this.pool, sql, undefined);
  }

  async copyRows(table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
    await runCopy(this.pool, table, columns, rows);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw stateQueryError('postgres', 'connect', e);
    }
    let broken: unknown;
    try {
      await runQuery(client, 'BEGIN', undefined);
      let result: T;
      try {
        result = await fn({
          query: <R>(sql: string, params?: readonly unknown[]) => runQuery<R>(client, sql, params),
          exec: async (sql: string) => {
            await runQuery(client, sql, undefined);
          },
          copyRows: (table, columns, rows) => runCopy(client, table, columns, rows),
        });
      } catch (e) {
        await client.query('ROLLBACK').catch((re: unknown) => {
          broken = re;
        });
        throw e;
      }
      let commit: pg.QueryResult;
      try {
        commit = await client.query('COMMIT');
      } catch (e) {
        broken = e;
        throw stateQueryError('postgres', 'COMMIT', e);
      }
      // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK rather than an error.
      if (commit.command === 'ROLLBACK') {
        throw new SakimoriError('STORE_QUERY_FAILED', 'transaction was rolled back: a statement in it failed', { store: 'postgres', sql: 'COMMIT' });
      }
      return result;
    } finally {
      // A connection whose ROLLBACK/COMMIT failed is in an unknown state: discard it.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

async function runQuery<T>(db: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] | undefined): Promise<T[]> {
  try {
    const res = params ? await db.query(sql, [...params]) : await db.query(sql);
    // A multi-statement text returns one result per statement; rows of the last one count.
    const last = Array.isArray(res) ? (res as pg.QueryResult[])[(res as pg.QueryResult[]).length - 1] : res;
    return (last?.rows ?? []) as T[];
  } catch (e) {
    throw stateQueryError('postgres', sql, e);
  }
}

/** A server takes array parameters cheaply: one insert of all rows, column by column. */
async function runCopy(db: pg.Pool | pg.PoolClient, table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((_, c) => rows.map((r) => r[c] ?? null));
  await runQuery(db, `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${columns.map((_, c) => `$${c + 1}::text[]`).join(', ')})`, arrays);
}
