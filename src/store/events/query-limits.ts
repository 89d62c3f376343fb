/**
 * Limits on what one events query may cost, applied per query by both events stores.
 *
 * - Reads made for a request (query() inside a request's context) stop after
 *   `maxExecutionSeconds` and `maxMemoryBytes`; heavy ones (searches, reports) are also held to
 *   `heavyMaxThreads` and a lower priority, so that a cheap query finds a core free beside them.
 * - Reads made outside any request (CLI reports, monitors and case building run by `serve`)
 *   get the longer `backgroundMaxExecutionSeconds`: nobody waits on them interactively, and they
 *   may legitimately cover months of data.
 * - Writes (exec: INSERT … SELECT of ingest and import batches, OPTIMIZE, ALTER, DDL, SYSTEM)
 *   get neither limit. They come from the operator's own ingest, imports and merges, never from a
 *   member's query; a time limit would cut an INSERT … SELECT after some of its blocks (half a
 *   batch stored) and an OPTIMIZE FINAL of millions of rows rightly takes minutes. Their memory is
 *   bounded by the batch size, the spill-to-disk thresholds of the connection and the engine's
 *   own server-wide cap (max_server_memory_usage).
 */
import { availableParallelism } from 'node:os';
import { SakimoriError } from '../../errors.js';
import type { QueryCost } from './query-context.js';

export interface QueryLimits {
  /** Seconds a request's query may run (ClickHouse max_execution_time); 0: no limit. */
  readonly maxExecutionSeconds: number;
  /** Seconds a background read may run; 0: no limit. */
  readonly backgroundMaxExecutionSeconds: number;
  /** Bytes one read may use (ClickHouse max_memory_usage); 0: no limit. */
  readonly maxMemoryBytes: number;
  /** Threads of one heavy query (max_threads); 0: embedded, all cores but one (at least one); server, its default. */
  readonly heavyMaxThreads: number;
  /** Request queries of each class run at once (embedded: connections; server: requests in flight). */
  readonly cheapConcurrency: number;
  readonly heavyConcurrency: number;
}

/** The defaults of the configuration (config/schema.ts `limits.queries`). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxExecutionSeconds: 30,
  backgroundMaxExecutionSeconds: 600,
  maxMemoryBytes: 4 * 2 ** 30,
  heavyMaxThreads: 0,
  cheapConcurrency: 4,
  heavyConcurrency: 1,
};

/**
 * The settings of one read: for a request of the given cost, or background work (undefined).
 * `embedded`: the engine shares this machine's cores with the process (chDB).
 */
export function readSettings(limits: QueryLimits, cost: QueryCost | undefined, embedded: boolean): Record<string, number> {
  const s: Record<string, number> = {};
  const seconds = cost ? limits.maxExecutionSeconds : limits.backgroundMaxExecutionSeconds;
  if (seconds > 0) s['max_execution_time'] = seconds;
  if (limits.maxMemoryBytes > 0) s['max_memory_usage'] = Math.trunc(limits.maxMemoryBytes);
  // ClickHouse suspends a query while one of a higher priority (a lower number) runs: a heavy
  // query pauses for a cheap one, so a host page does not share its cores with a search.
  if (cost) s['priority'] = cost === 'cheap' ? 1 : 2;
  if (cost === 'heavy' && limits.heavyMaxThreads > 0) s['max_threads'] = limits.heavyMaxThreads;
  else if (cost === 'heavy' && embedded) s['max_threads'] = Math.max(1, availableParallelism() - 1);
  return s;
}

/**
 * Appends a SETTINGS clause on a line of its own (a trailing `-- comment` would swallow it on the
 * same line). ClickHouse takes a second SETTINGS clause after one the query has, and a setting the
 * query sets itself keeps the query's value (our SQL sets none of these; users never write SQL).
 */
export function appendSettings(sql: string, settings: Record<string, number>): string {
  const list = Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join(', ');
  return list ? `${sql.trimEnd().replace(/;+$/, '')}\nSETTINGS ${list}` : sql;
}

const TIMEOUT = /\bTIMEOUT_EXCEEDED\b|^Code: 159\b|Timeout exceeded: elapsed/;
const MEMORY = /\bMEMORY_LIMIT_EXCEEDED\b|^Code: 241\b/;

/**
 * The store's error for a failed query: a query stopped by its time or memory limit says which
 * limit, so a caller learns to narrow the query instead of seeing an engine message.
 */
export function storeError(store: 'chdb' | 'clickhouse', message: string, sql: string, where: Record<string, string | number> = {}): SakimoriError {
  const at = { store, ...where, sql: sql.trim().replace(/\s+/g, ' ').slice(0, 200) };
  if (TIMEOUT.test(message)) {
    const m = /maximum: ([\d.]+) ms/.exec(message);
    const limit = m ? `${Number(m[1]) / 1000} s` : 'its time limit';
    // The caller's to fix (a narrower query), not a fault of the server: a 4xx that keeps its message.
    return new SakimoriError('QUERY_LIMIT_EXCEEDED', `stopped after ${limit} (max_execution_time): narrow it, or ask for less at once`, { store, ...where, limit: 'max_execution_time' });
  }
  if (MEMORY.test(message)) {
    return new SakimoriError('QUERY_LIMIT_EXCEEDED', 'max_memory_usage: narrow it, or ask for fewer facets at once', { store, ...where, limit: 'max_memory_usage' });
  }
  return new SakimoriError('STORE_QUERY_FAILED', message.slice(0, 2000), at);
}

/** Gives the configured limits to an events store that takes them (both of ours do). */
export function applyQueryLimits(events: object, limits: QueryLimits): void {
  const s = events as { setQueryLimits?: (l: QueryLimits) => void };
  if (typeof s.setQueryLimits === 'function') s.setQueryLimits(limits);
}
