import type { FastifyPluginAsync } from 'fastify';
import { access } from './auth-plugin.js';
import type { AppContext } from '../app/context.js';
import { acknowledgeCase, caseCounts, getCase, pageCases } from '../cases/case-store.js';
import { CASES } from './contract/cases.js';
import { serveRoute } from './serve-route.js';

/** Cases: an organisation sees and acknowledges only the cases addressed to it. */
export const caseRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, CASES.list, async (req) => pageCases(ctx.state, access(req).restriction, req.query));
  serveRoute(app, CASES.counts, async (req) => caseCounts(ctx.state, access(req).restriction));
  serveRoute(app, CASES.get, async (req) => getCase(ctx.state, access(req).restriction, req.params.id));
  serveRoute(app, CASES.ack, async (req) => {
    await acknowledgeCase(ctx.state, access(req).restriction, req.params.id, req.body?.note);
    return { id: req.params.id, state: 'acknowledged' as const };
  });
};
