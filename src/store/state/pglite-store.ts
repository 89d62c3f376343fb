import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { StateStore } from '../types.js';
import { stateQueryError } from './query-error.js';
import { seedFromTemplate } from './pglite-template.js';

type Tx = Pick<StateStore, 'query' | 'exec' | 'copyRows'>;

/**
 * State store on embedded PGlite (PostgreSQL compiled to WASM, in-process) with its files in a
 * data directory (`<dataDir>/state`). PGlite has one connection: queries are serialised, and a
 * transaction holds the connection until it ends, so other queries wait for it. PGlite takes no
 * lock on its directory: `openStores` holds the data-directory lock.
 *
 * Values come back as on the PostgreSQL server store: bigint as number, timestamptz as Date,
 * json/jsonb parsed, numeric as string.
 */
export class PgliteStateStore implements StateStore {
  readonly kind = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    /** Directory of the database files; undefined for an in-memory database. */
    readonly path: string | undefined,
  ) {}

  /**
   * Opens (creating if needed) the database in `dataDir`; in memory when `dataDir` is undefined.
   * A new directory starts as a copy of the build's template (pglite-template.ts) unless
   * `fromTemplate` is false (when the template itself is being made).
   */
  static async open(dataDir?: string, opts: { fromTemplate?: boolean } = {}): Promise<PgliteStateStore> {
    if (dataDir) {
      await mkdir(dataDir, { recursive: true });
      if (opts.fromTemplate !== false) await seedFromTemplate(dataDir).catch(() => false);
    }
    try {
      const db = await PGlite.create(dataDir ? { dataDir } : {});
      return new PgliteStateStore(db, dataDir);
    } catch (e) {
      throw stateQueryError('pglite', `open ${dataDir ?? 'memory://'}`, e);
    }
  }

  async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return runQuery<T>(this.db, sql, params);
  }

  async exec(sql: string): Promise<void> {
    return runExec(this.db, sql);
  }

  async copyRows(table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
    return runCopy(this.db, table, columns, rows);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let fromFn = false;
    try {
      return await this.db.transaction(async (t) => {
        try {
          return await fn(txFacade(t));
        } catch (e) {
          fromFn = true;
          throw e;
        }
      });
    } catch (e) {
      // fn's own errors pass through unchanged (queries inside it are already wrapped).
      throw fromFn ? e : stateQueryError('pglite', 'COMMIT', e);
    }
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

function txFacade(t: Transaction): Tx {
  return {
    query: <R>(sql: string, params?: readonly unknown[]) => runQuery<R>(t, sql, params),
    exec: (sql: string) => runExec(t, sql),
    copyRows: (table, columns, rows) => runCopy(t, table, columns, rows),
  };
}

/** COPY's text format: backslash escapes for the characters that separate fields and rows. */
const copyText = (v: string | null): string => (v === null ? '\\N' : v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')));

async function runCopy(db: PGlite | Transaction, table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
  if (rows.length === 0) return;
  const sql = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`;
  const text = rows.map((r) => r.map(copyText).join('\t')).join('\n') + '\n';
  try {
    await db.query(sql, [], { blob: new Blob([text]) });
  } catch (e) {
    throw stateQueryError('pglite', sql, e);
  }
}

async function runQuery<T>(db: PGlite | Transaction, sql: string, params?: readonly unknown[]): Promise<T[]> {
  try {
    const res = await db.query<T>(sql, params ? [...params] : undefined);
    return res.rows;
  } catch (e) {
    throw stateQueryError('pglite', sql, e);
  }
}

async function runExec(db: PGlite | Transaction, sql: string): Promise<void> {
  try {
    await db.exec(sql);
  } catch (e) {
    throw stateQueryError('pglite', sql, e);
  }
}
