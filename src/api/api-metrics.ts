/**
 * The API's own metrics, defined on the registry the app is given (the context's): query
 * durations per analysis query and requests refused by the per-principal limits. One set per
 * registry: prom-client refuses a name twice.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface ApiMetrics {
  readonly queryDuration: Histogram<'query'>;
  readonly requestsLimited: Counter<'class' | 'limit'>;
}

const made = new WeakMap<Registry, ApiMetrics>();

export function apiMetrics(registry: Registry): ApiMetrics {
  let m = made.get(registry);
  if (!m) {
    m = {
      queryDuration: new Histogram({
        name: 'sakimori_query_duration_seconds',
        help: 'Time to answer an analysis query',
        labelNames: ['query'],
        buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
        registers: [registry],
      }),
      requestsLimited: new Counter({
        name: 'sakimori_requests_limited_total',
        help: 'API requests answered 429 by the per-principal limits',
        labelNames: ['class', 'limit'],
        registers: [registry],
      }),
    };
    made.set(registry, m);
  }
  return m;
}

/** Times `fn` as analysis query `query` on the registry's histogram. */
export function queryTimer(registry: Registry): <T>(query: string, fn: () => Promise<T>) => Promise<T> {
  const { queryDuration } = apiMetrics(registry);
  return async (query, fn) => {
    const end = queryDuration.startTimer({ query });
    try {
      return await fn();
    } finally {
      end();
    }
  };
}
