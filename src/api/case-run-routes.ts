import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { buildCases } from '../cases/build-cases.js';
import { verifyNow } from '../cases/verify-now.js';
import { addOptOut } from '../cases/case-store.js';
import { requireScope } from './auth-plugin.js';
import { CASE_RUNS } from './contract/case-runs.js';
import { serveRoute } from './serve-route.js';

/** Building, verifying and opting out, so `sakimori cases build|verify|opt-out` work beside a running server: they reach every organisation, hence admin only. */
export const caseRunRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  serveRoute(app, CASE_RUNS.build, async () => buildCases(ctx));
  serveRoute(app, CASE_RUNS.verify, async (req) => verifyNow(ctx, req.body?.quietDays ?? 7));
  serveRoute(app, CASE_RUNS.optOut, async (req, reply) => {
    await addOptOut(ctx.state, req.body.target, req.body.reason ?? '');
    return reply.status(201).send({ target: req.body.target.trim() });
  });
};
