import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { VERSION } from '../version.js';

/** Liveness for anyone (load balancers, `serve`'s start-up check); the rest for a principal. */
export const statusRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/status', { schema: { tags: ['status'], summary: 'Liveness (public); version and stores in use when signed in' } }, async (req) => (
    req.principal === null ? { ok: true } : {
      ok: true,
      version: VERSION,
      events: ctx.events.kind,
      state: ctx.state.kind,
      sensor: ctx.config.sensor,
      enrichment: !ctx.enricher.empty,
    }));
};
