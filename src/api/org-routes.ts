import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { access, requireScope } from './auth-plugin.js';
import { addAsns, addDomains, addPrefixes, createOrg, getOrg, listOrgs, removeOrg } from '../orgs/org-store.js';
import { responsibleFor } from '../orgs/responsible.js';
import { addressAllowed } from '../store/need-to-know.js';
import { ipBytes, normalizeIp } from '../net/ip.js';

const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
const list = (name: string) => ({ type: 'object', required: [name], properties: { [name]: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 10000 } } } as const);

/**
 * Organisations and constituencies: platform admins manage all; an organisation's own members
 * read their organisation (and its admins may not widen it: constituencies are set by the
 * platform, since they decide what the organisation may see).
 */
export const orgRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Whoever is restricted to a constituency reads only its own organisation.
  const own = (req: FastifyRequest): string | null => {
    const r = access(req).restriction;
    return r.kind === 'constituency' ? r.orgId : null;
  };
  app.get('/orgs', { schema: { tags: ['organisations'], summary: 'Organisations (an organisation member: its own)' } }, async (req) => {
    const mine = own(req);
    return mine ? [await getOrg(ctx.state, mine)] : listOrgs(ctx.state);
  });
  app.get<{ Params: { id: string } }>('/orgs/:id', { schema: { tags: ['organisations'], summary: 'One organisation with its constituency', params: idParam } }, async (req) => {
    const o = await getOrg(ctx.state, req.params.id);
    const mine = own(req);
    if (mine && o.id !== mine) throw new SakimoriError('NOT_FOUND', `no organisation ${req.params.id}`, { organisation: req.params.id });
    return o;
  });
  app.post<{ Body: unknown }>('/orgs', {
    schema: { tags: ['organisations'], summary: 'Register an organisation (admin)', body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, kind: { type: 'string' }, country: { type: 'string' }, emails: { type: 'array', items: { type: 'string' } }, language: { type: 'string' } } } },
  }, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send(await createOrg(ctx.state, req.body));
  });
  for (const [what, fn] of [['prefixes', addPrefixes], ['asns', addAsns], ['domains', addDomains]] as const) {
    app.post<{ Params: { id: string }; Body: Record<string, string[]> }>(`/orgs/:id/${what}`, {
      schema: { tags: ['organisations'], summary: `Add ${what} to the constituency (admin)`, params: idParam, body: list(what) },
    }, async (req) => {
      requireScope(req, 'admin');
      await fn(ctx.state, req.params.id, req.body[what] ?? []);
      return getOrg(ctx.state, req.params.id);
    });
  }
  app.delete<{ Params: { id: string } }>('/orgs/:id', { schema: { tags: ['organisations'], summary: 'Delete an organisation (admin)', params: idParam } }, async (req, reply) => {
    requireScope(req, 'admin');
    await removeOrg(ctx.state, req.params.id);
    return reply.status(204).send();
  });
  app.get<{ Params: { ip: string } }>('/responsible/:ip', {
    schema: { tags: ['organisations'], summary: 'Whom to tell about an address, with the evidence of each step', params: { type: 'object', properties: { ip: { type: 'string' } }, required: ['ip'] } },
  }, async (req) => {
    const ip = normalizeIp(req.params.ip);
    if (!ip) throw new SakimoriError('BAD_IP', req.params.ip, { ip: req.params.ip });
    const r = access(req).restriction;
    if (!addressAllowed(r, ip, ctx.enricher.asn6(ipBytes(ip), 0))) throw new SakimoriError('NOT_FOUND', `nothing known about ${ip}`, { ip });
    return responsibleFor(ctx.state, ctx.enricher, ip);
  });
};
