import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { VERSION } from '../version.js';
import { STATUS } from './contract/status.js';
import { serveRoute } from './serve-route.js';

/** Liveness for anyone (load balancers, `serve`'s start-up check); the rest for a principal. */
export const statusRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, STATUS.status, async (req) => (
    req.principal === null ? { ok: true as const } : {
      ok: true as const,
      version: VERSION,
      events: ctx.events.kind,
      state: ctx.state.kind,
      sensor: ctx.config.sensor,
      enrichment: !ctx.enricher.empty,
    }));
};
