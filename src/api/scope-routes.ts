import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { addExclusion, createScope, getScope, listExclusions, listScopes, removeExclusion, removeScope } from '../probe/scope/scope-store.js';
import { listRuns } from '../probe/survey-runs.js';
import { SakimoriError } from '../errors.js';
import { requireScope } from './auth-plugin.js';
import { SCOPES } from './contract/scopes.js';
import { serveRoute } from './serve-route.js';

/** Survey scopes and exclusions: platform administrators only (they authorise active probing). */
export const scopeRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Hooks of this plugin apply to its routes only (the auth hook of /api/v1 has run before).
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  serveRoute(app, SCOPES.list, async () => listScopes(ctx.state));
  // The scope store validates the body itself (SCOPE_INVALID naming the field).
  serveRoute(app, SCOPES.create, async (req, reply) => reply.status(201).send(await createScope(ctx.state, req.body)));
  serveRoute(app, SCOPES.get, async (req) => {
    const scope = await getScope(ctx.state, req.params.ref);
    return { scope, exclusions: await listExclusions(ctx.state, scope.id), runs: await listRuns(ctx.state, { scope: scope.id, limit: 10 }) };
  });
  serveRoute(app, SCOPES.delete, async (req, reply) => {
    await removeScope(ctx.state, req.params.ref);
    return reply.status(204).send(null);
  });
  serveRoute(app, SCOPES.exclude, async (req, reply) => reply.status(201).send(await addExclusion(ctx.state, req.params.ref, req.body)));
  serveRoute(app, SCOPES.exclusions, async () => listExclusions(ctx.state));
  serveRoute(app, SCOPES.excludeEverywhere, async (req, reply) => reply.status(201).send(await addExclusion(ctx.state, null, req.body)));
  serveRoute(app, SCOPES.removeExclusion, async (req, reply) => {
    if (!(await removeExclusion(ctx.state, Number(req.params.id)))) throw new SakimoriError('NOT_FOUND', `exclusion ${req.params.id}`);
    return reply.status(204).send(null);
  });
};
