import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { access, requireScope } from './auth-plugin.js';
import { addAsns, addDomains, addPrefixes, createOrg, getOrg, listOrgs, removeOrg } from '../orgs/org-store.js';
import { responsibleFor } from '../orgs/responsible.js';
import { addressAllowed } from '../store/need-to-know.js';
import { ipBytes, normalizeIp } from '../net/ip.js';
import { ORGS } from './contract/orgs.js';
import { serveRoute } from './serve-route.js';

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
  serveRoute(app, ORGS.list, async (req) => {
    const mine = own(req);
    return mine ? [await getOrg(ctx.state, mine)] : listOrgs(ctx.state);
  });
  serveRoute(app, ORGS.get, async (req) => {
    const o = await getOrg(ctx.state, req.params.id);
    const mine = own(req);
    if (mine && o.id !== mine) throw new SakimoriError('NOT_FOUND', `no organisation ${req.params.id}`, { organisation: req.params.id });
    return o;
  });
  serveRoute(app, ORGS.create, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send(await createOrg(ctx.state, req.body));
  });
  serveRoute(app, ORGS.addPrefixes, async (req) => {
    requireScope(req, 'admin');
    await addPrefixes(ctx.state, req.params.id, req.body.prefixes);
    return getOrg(ctx.state, req.params.id);
  });
  serveRoute(app, ORGS.addAsns, async (req) => {
    requireScope(req, 'admin');
    await addAsns(ctx.state, req.params.id, req.body.asns);
    return getOrg(ctx.state, req.params.id);
  });
  serveRoute(app, ORGS.addDomains, async (req) => {
    requireScope(req, 'admin');
    await addDomains(ctx.state, req.params.id, req.body.domains);
    return getOrg(ctx.state, req.params.id);
  });
  serveRoute(app, ORGS.remove, async (req, reply) => {
    requireScope(req, 'admin');
    await removeOrg(ctx.state, req.params.id);
    return reply.status(204).send(null);
  });
  serveRoute(app, ORGS.responsible, async (req) => {
    const ip = normalizeIp(req.params.ip);
    if (!ip) throw new SakimoriError('BAD_IP', req.params.ip, { ip: req.params.ip });
    const r = access(req).restriction;
    if (!addressAllowed(r, ip, ctx.enricher.asn6(ipBytes(ip), 0))) throw new SakimoriError('NOT_FOUND', `nothing known about ${ip}`, { ip });
    return responsibleFor(ctx.state, ctx.enricher, ip);
  });
};
