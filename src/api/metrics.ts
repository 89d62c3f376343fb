import type { FastifyPluginAsync } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry for the process: Prometheus text at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'sakimori_' });

export const queryDuration = new Histogram({
  name: 'sakimori_query_duration_seconds',
  help: 'Time to answer an analysis query',
  labelNames: ['query'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
  registers: [registry],
});

export const ingestedPackets = new Counter({
  name: 'sakimori_ingested_packets_total',
  help: 'Darknet packets stored',
  labelNames: ['sensor'],
  registers: [registry],
});

export async function queryTimer<T>(query: string, fn: () => Promise<T>): Promise<T> {
  const end = queryDuration.startTimer({ query });
  try {
    return await fn();
  } finally {
    end();
  }
}

export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
};
