import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { access } from './auth-plugin.js';
import type { AppContext } from '../app/context.js';
import { acknowledgeCase, caseCounts, getCase, listCases } from '../cases/case-store.js';

const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] } as const;

/** Cases: an organisation sees and acknowledges only the cases addressed to it. */
export const caseRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const r = async (req: FastifyRequest) => access(req).restriction;
  app.get<{ Querystring: { state?: string; kind?: string; limit?: number; offset?: number } }>('/cases', {
    schema: { tags: ['cases'], summary: 'Cases (an organisation sees its own)', querystring: { type: 'object', properties: { state: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10000 }, offset: { type: 'integer', minimum: 0, maximum: 1000000 } } } },
  }, async (req) => listCases(ctx.state, await r(req), req.query));
  app.get('/cases/counts', { schema: { tags: ['cases'], summary: 'Cases per state and kind' } }, async (req) => caseCounts(ctx.state, await r(req)));
  app.get<{ Params: { id: number } }>('/cases/:id', { schema: { tags: ['cases'], summary: 'One case with its events', params: idParam } }, async (req) => getCase(ctx.state, await r(req), req.params.id));
  app.post<{ Params: { id: number }; Body: { note?: string } | undefined }>('/cases/:id/ack', {
    schema: { tags: ['cases'], summary: 'Acknowledge a case (the recipient has seen it; resolution still needs evidence)', params: idParam, body: { type: 'object', properties: { note: { type: 'string', maxLength: 2000 } } } },
  }, async (req) => {
    await acknowledgeCase(ctx.state, await r(req), req.params.id, req.body?.note);
    return { id: req.params.id, state: 'acknowledged' };
  });
};
