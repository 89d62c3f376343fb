import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { queryAudit } from '../probe/audit/audit-log.js';
import { liveProgress, parseCredentialList, startSurvey, stopSurvey } from '../probe/survey-service.js';
import { getRun, listRuns } from '../probe/survey-runs.js';
import { requireScope } from './auth-plugin.js';
import { SURVEYS } from './contract/surveys.js';
import { serveRoute } from './serve-route.js';

/** Survey runs and the probe audit log: platform administrators only. */
export const surveyRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Hooks of this plugin apply to its routes only (the auth hook of /api/v1 has run before).
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  serveRoute(app, SURVEYS.list, async (req) => listRuns(ctx.state, { ...(req.query.scope ? { scope: req.query.scope } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }));
  serveRoute(app, SURVEYS.start, async (req, reply) => {
    // The survey service checks the settings, the list parser the credentials (never stored).
    const { credentials, ...body } = req.body;
    const runId = await startSurvey(ctx, body, credentials !== undefined ? { credentials: parseCredentialList(credentials) } : {});
    return reply.status(202).send({ runId });
  });
  serveRoute(app, SURVEYS.get, async (req) => {
    const run = await getRun(ctx.state, req.params.id);
    const progress = liveProgress(run.id);
    return progress ? { ...run, progress } : run;
  });
  serveRoute(app, SURVEYS.stop, async (req) => {
    const run = await getRun(ctx.state, req.params.id);
    return { runId: run.id, stopping: stopSurvey(run.id) };
  });
  serveRoute(app, SURVEYS.audit, async (req) => queryAudit(ctx.state, {
    ...(req.query.run ? { runId: req.query.run } : {}), ...(req.query.target ? { target: req.query.target } : {}),
    ...(req.query.limit ? { limit: req.query.limit } : {}), ...(req.query.before ? { before: req.query.before } : {}),
  }));
};
