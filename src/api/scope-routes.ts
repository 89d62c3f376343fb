import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { addExclusion, createScope, getScope, listExclusions, listScopes, removeExclusion, removeScope } from '../probe/scope/scope-store.js';
import { listRuns } from '../probe/survey-runs.js';
import { SakimoriError } from '../errors.js';
import { requireScope } from './auth-plugin.js';

const refParam = { type: 'object', properties: { ref: { type: 'string' } }, required: ['ref'] } as const;
const scopeBody = {
  type: 'object',
  required: ['name', 'owner', 'legalBasis', 'cidrs', 'validFrom', 'validTo'],
  properties: {
    name: { type: 'string' }, owner: { type: 'string' }, legalBasis: { type: 'string' },
    cidrs: { type: 'array', items: { type: 'string' }, minItems: 1 }, credentialChecks: { type: 'boolean' },
    validFrom: { type: 'string', format: 'date-time' }, validTo: { type: 'string', format: 'date-time' }, note: { type: 'string' },
  },
} as const;
const exclusionBody = { type: 'object', required: ['cidr', 'reason'], properties: { cidr: { type: 'string' }, reason: { type: 'string' } } } as const;

/** Survey scopes and exclusions: platform administrators only (they authorise active probing). */
export const scopeRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Hooks of this plugin apply to its routes only (the auth hook of /api/v1 has run before).
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  app.get('/scopes', { schema: { tags: ['survey'], summary: 'Authorised survey scopes' } }, async () => listScopes(ctx.state));
  app.post<{ Body: unknown }>('/scopes', { schema: { tags: ['survey'], summary: 'Create a scope: CIDRs, owner, legal basis, validity; credential checks off unless enabled', body: scopeBody } },
    async (req, reply) => reply.status(201).send(await createScope(ctx.state, req.body)));
  app.get<{ Params: { ref: string } }>('/scopes/:ref', { schema: { tags: ['survey'], summary: 'One scope (id or name) with its exclusions and recent runs', params: refParam } }, async (req) => {
    const scope = await getScope(ctx.state, req.params.ref);
    return { scope, exclusions: await listExclusions(ctx.state, scope.id), runs: await listRuns(ctx.state, { scope: scope.id, limit: 10 }) };
  });
  app.delete<{ Params: { ref: string } }>('/scopes/:ref', { schema: { tags: ['survey'], summary: 'Delete a scope that has no runs', params: refParam } }, async (req, reply) => {
    await removeScope(ctx.state, req.params.ref);
    return reply.status(204).send();
  });
  app.post<{ Params: { ref: string }; Body: unknown }>('/scopes/:ref/exclusions', { schema: { tags: ['survey'], summary: 'Exclude a CIDR from this scope (exclusions always win)', params: refParam, body: exclusionBody } },
    async (req, reply) => reply.status(201).send(await addExclusion(ctx.state, req.params.ref, req.body)));
  app.get('/exclusions', { schema: { tags: ['survey'], summary: 'Every exclusion (global and per scope)' } }, async () => listExclusions(ctx.state));
  app.post<{ Body: unknown }>('/exclusions', { schema: { tags: ['survey'], summary: 'Exclude a CIDR from every scope', body: exclusionBody } },
    async (req, reply) => reply.status(201).send(await addExclusion(ctx.state, null, req.body)));
  app.delete<{ Params: { id: string } }>('/exclusions/:id', { schema: { tags: ['survey'], summary: 'Remove an exclusion', params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } }, required: ['id'] } } }, async (req, reply) => {
    if (!(await removeExclusion(ctx.state, Number(req.params.id)))) throw new SakimoriError('NOT_FOUND', `exclusion ${req.params.id}`);
    return reply.status(204).send();
  });
};
