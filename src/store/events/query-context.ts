/**
 * Who a query runs for, and how expensive the request that makes it is: carried from the HTTP
 * layer (api/request-limits.ts) to the events store through AsyncLocalStorage, so that no data
 * function has to pass it along. A query made outside any request (ingest, imports, monitors run
 * by `serve`, CLI commands) has no context and counts as background work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** `cheap`: host pages, status, lists; `heavy`: searches, exports, reports, time series. */
export type QueryCost = 'cheap' | 'heavy';

export interface QueryContext {
  /** Fairness is per principal: a user id (every key and session of a user shares it), else an address. */
  readonly principal: string;
  readonly cost: QueryCost;
  /**
   * Set once the request has been answered: work it started and left running (a survey started
   * through the API) inherits this context, and from then on is background work.
   */
  ended?: boolean;
}

const storage = new AsyncLocalStorage<QueryContext>();

/** Runs `fn` (and everything it starts) with `ctx` as the queries' context. */
export function withQueryContext<T>(ctx: QueryContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context of the current request; undefined for background work. */
export function currentQueryContext(): QueryContext | undefined {
  const ctx = storage.getStore();
  return ctx && !ctx.ended ? ctx : undefined;
}
