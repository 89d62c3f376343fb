import type { FastifyPluginAsync } from 'fastify';
import { collectDefaultMetrics, type Registry } from 'prom-client';

const withDefaults = new WeakSet<Registry>();

/** Prometheus text at /metrics: the context's registry, with the process's own metrics added once. */
export const metricsRoutes: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  if (!withDefaults.has(registry)) {
    collectDefaultMetrics({ register: registry, prefix: 'sakimori_' });
    withDefaults.add(registry);
  }
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
};
