/**
 * The two stores behind every feature. Events: ClickHouse SQL (embedded chDB or a ClickHouse
 * server). State: PostgreSQL SQL (embedded PGlite or a PostgreSQL server). Callers write each
 * store's own dialect; these interfaces only hide how the SQL reaches the engine.
 */

/** Query parameters bound server-side: `{name:Type}` placeholders in ClickHouse SQL. */
export type EventParams = Record<string, string | number | boolean | readonly (string | number)[]>;

/** Input formats that ClickHouse parses itself (JSONEachRow for wide, sparse rows such as services). */
export type BatchFormat = 'RowBinary' | 'Native' | 'JSONEachRow';

export interface EventsStore {
  readonly kind: 'chdb' | 'clickhouse';
  /** Runs a statement that returns no rows (DDL, INSERT … SELECT). */
  exec(sql: string, params?: EventParams, settings?: Record<string, string | number>): Promise<void>;
  /** Runs a query and returns its rows (JSONEachRow; 64-bit integers as numbers). */
  query<T>(sql: string, params?: EventParams): Promise<T[]>;
  /**
   * Runs a query and returns its rows as RowBinary bytes: for results of millions of numbers
   * (a time range's packet keys), which JSON takes seconds to write and parse.
   */
  queryRowBinary(sql: string, params?: EventParams): Promise<Uint8Array>;
  /**
   * Makes `data` (RowBinary rows of `structure`, e.g. `ts DateTime64(6), src IPv6`) readable as a
   * table expression for the duration of `fn`: a `file(...)` table function on chDB, a staging
   * table on a server. `fn` receives the expression to put after FROM.
   */
  withRowBinary<T>(structure: string, data: Uint8Array, fn: (source: string) => Promise<T>): Promise<T>;
  /**
   * Like `withRowBinary` for any of the binary formats, with the data given as chunks that are
   * written out as they are (a Native block can be assembled from typed arrays without copying).
   * The chunks are not read any more once `fn` has been called, so the caller may reuse them.
   */
  withBatch<T>(format: BatchFormat, structure: string, chunks: readonly Uint8Array[], fn: (source: string) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StateStore {
  readonly kind: 'pglite' | 'postgres';
  /** Parameterised query ($1, $2 …) returning rows. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (DDL, migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk-loads rows into a table whose columns are all `text` (a staging table, usually a
   * temporary one): COPY on PGlite, where query parameters cost more than the insert itself;
   * one multi-row insert on a server. Values are text, null for NULL.
   */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<void>;
  /** Runs `fn` in one transaction; rolled back if it throws. */
  transaction<T>(fn: (tx: Pick<StateStore, 'query' | 'exec' | 'copyRows'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
