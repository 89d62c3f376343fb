import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { VERSION } from '../version.js';

export const statusRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/status', { schema: { tags: ['status'], summary: 'Version and stores in use' } }, async () => ({
    version: VERSION,
    events: ctx.events.kind,
    state: ctx.state.kind,
    sensor: ctx.config.sensor,
    enrichment: !ctx.enricher.empty,
  }));
};
