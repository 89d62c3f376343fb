import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { queryAudit } from '../probe/audit/audit-log.js';
import { liveProgress, parseCredentialList, startSurvey, stopSurvey } from '../probe/survey-service.js';
import { getRun, listRuns } from '../probe/survey-runs.js';
import { requireScope } from './auth-plugin.js';

const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const surveyBody = {
  type: 'object',
  required: ['scope'],
  properties: {
    scope: { type: 'string' },
    ports: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } },
    modules: { type: 'array', items: { type: 'string' } },
    rate: { type: 'number', minimum: 1 }, perHostRate: { type: 'number', exclusiveMinimum: 0 },
    concurrency: { type: 'integer', minimum: 1 }, retries: { type: 'integer', minimum: 0 }, seed: { type: 'integer' },
    credentials: { type: 'object', description: 'credential list {id, entries:[{id, username, password}]}; used only when the scope enables credential checks; never stored' },
  },
} as const;

/** Survey runs and the probe audit log: platform administrators only. */
export const surveyRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Hooks of this plugin apply to its routes only (the auth hook of /api/v1 has run before).
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  app.get<{ Querystring: { scope?: string; limit?: number } }>('/surveys', {
    schema: { tags: ['survey'], summary: 'Survey runs, newest first', querystring: { type: 'object', properties: { scope: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } } },
  }, async (req) => listRuns(ctx.state, { ...(req.query.scope ? { scope: req.query.scope } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }));
  app.post<{ Body: Record<string, unknown> & { credentials?: unknown } }>('/surveys', {
    schema: { tags: ['survey'], summary: 'Start a survey of a scope in the background (202 with the run id); refused before any packet if the scope is unknown or not valid now', body: surveyBody },
  }, async (req, reply) => {
    const { credentials, ...body } = req.body;
    const runId = await startSurvey(ctx, body, credentials !== undefined ? { credentials: parseCredentialList(credentials) } : {});
    return reply.status(202).send({ runId });
  });
  app.get<{ Params: { id: string } }>('/surveys/:id', { schema: { tags: ['survey'], summary: 'One run, with live progress while it runs in this server', params: idParam } }, async (req) => {
    const run = await getRun(ctx.state, req.params.id);
    const progress = liveProgress(run.id);
    return progress ? { ...run, progress } : run;
  });
  app.post<{ Params: { id: string } }>('/surveys/:id/stop', { schema: { tags: ['survey'], summary: 'Stop a running survey', params: idParam } }, async (req) => {
    const run = await getRun(ctx.state, req.params.id);
    return { runId: run.id, stopping: stopSurvey(run.id) };
  });
  app.get<{ Querystring: { run?: string; target?: string; limit?: number; before?: number } }>('/audit', {
    schema: {
      tags: ['survey'], summary: 'Probe audit log, newest first (time, run, source, target, port, module, credential list id; never a password)',
      querystring: { type: 'object', properties: { run: { type: 'string' }, target: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 10000 }, before: { type: 'integer', minimum: 0, maximum: 9007199254740991 } } },
    },
  }, async (req) => queryAudit(ctx.state, {
    ...(req.query.run ? { runId: req.query.run } : {}), ...(req.query.target ? { target: req.query.target } : {}),
    ...(req.query.limit ? { limit: req.query.limit } : {}), ...(req.query.before ? { before: req.query.before } : {}),
  }));
};
