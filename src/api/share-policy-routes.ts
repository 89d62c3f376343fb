import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { access, requireScope } from './auth-plugin.js';
import { getOrg } from '../orgs/org-store.js';
import { parseTime } from '../analyze/time-window.js';
import { SHARE_POLICY } from './contract/share-policy.js';
import { serveRoute } from './serve-route.js';
import { addServes, removeServes, servesView } from '../share/policy/community.js';
import { readEgress, type EgressReader } from '../share/policy/egress-audit.js';
import { dryRun, restrictDryRun } from '../share/policy/dry-run.js';
import { recordConsent, withdrawConsent } from '../share/policy/consent.js';
import { nameRedRecipients, resolveUsers, usersVisibleTo } from '../share/policy/red-recipients.js';

/**
 * The sharing policy's routes. Who serves whom is set by the platform (it widens what TLP:AMBER
 * reaches); an organisation reads its own links. The egress audit: platform admins all of it,
 * anyone else the deliveries to its organisation and its users (or to itself), an organisation
 * admin also where its organisation's objects went. The dry run names only the
 * caller's own organisation to an organisation member, and counts the others.
 */
export const sharePolicyRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const ownOrg = (req: FastifyRequest): string | null => {
    const { principal } = access(req);
    return seesEverything(principal) ? null : principal.orgId;
  };
  const hidden = (id: string): SakimoriError => new SakimoriError('NOT_FOUND', `no organisation ${id}`, { organisation: id });

  serveRoute(app, SHARE_POLICY.serves, async (req) => {
    const org = await getOrg(ctx.state, req.params.id);
    const mine = ownOrg(req);
    if (mine !== null && org.id !== mine) throw hidden(req.params.id);
    return servesView(ctx.state, org.id);
  });
  serveRoute(app, SHARE_POLICY.addServes, async (req) => {
    requireScope(req, 'admin');
    const org = await getOrg(ctx.state, req.params.id);
    await addServes(ctx.state, org.id, req.body.orgs, req.body.relation);
    return servesView(ctx.state, org.id);
  });
  serveRoute(app, SHARE_POLICY.removeServes, async (req) => {
    requireScope(req, 'admin');
    const org = await getOrg(ctx.state, req.params.id);
    await removeServes(ctx.state, org.id, req.params.other);
    return servesView(ctx.state, org.id);
  });

  serveRoute(app, SHARE_POLICY.egress, async (req) => {
    const { principal } = access(req);
    // Analysts triage what the hub shares, but the audit of who received what is the platform admins'.
    const reader: EgressReader = principal.role === 'platform-admin' ? { all: true }
      : { all: false, orgId: principal.orgId, userId: principal.userId, asOwner: principal.role === 'org-admin' };
    const q = req.query;
    return readEgress(ctx.state, reader, {
      ...(q.since ? { since: parseTime(q.since, 'since') } : {}),
      ...(q.until ? { until: parseTime(q.until, 'until') } : {}),
      ...(q.path ? { path: q.path } : {}),
      ...(q.object ? { objectId: q.object } : {}),
      ...(q.before !== undefined ? { before: q.before } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
    });
  });

  serveRoute(app, SHARE_POLICY.dryRun, async (req) => {
    const { principal } = access(req);
    const mine = ownOrg(req);
    const audience = await Promise.all((req.body.audience ?? []).map(async (o) => (await getOrg(ctx.state, o)).id));
    // Only a caller who sees every user learns that a name matches nobody (NOT_FOUND).
    const redRecipients = await resolveUsers(ctx.state, req.body.redRecipients ?? [], 'redRecipients', { strict: mine === null });
    const results = await dryRun(ctx.state, { objects: req.body.objects, audience, redRecipients, owner: { orgId: principal.orgId, userId: principal.userId } });
    return { objects: mine === null ? results : results.map((r) => restrictDryRun(r, mine, principal.userId)) };
  });

  /** Whose consent: the caller's organisation, or (platform admin) the one named. */
  const consentingOrg = async (req: FastifyRequest, named: string | undefined): Promise<string> => {
    const { principal } = access(req);
    if (principal.role === 'platform-admin' || principal.via === 'peer') {
      if (!named) throw new SakimoriError('BAD_REQUEST', 'org: name the organisation that consents', { field: 'org' });
      return (await getOrg(ctx.state, named)).id;
    }
    if (principal.role !== 'org-admin' || principal.orgId === null) throw new SakimoriError('FORBIDDEN', "consent is given by the victim organisation's admin");
    if (named && (await getOrg(ctx.state, named).catch(() => null))?.id !== principal.orgId) throw new SakimoriError('FORBIDDEN', 'an organisation consents only for itself', { field: 'org' });
    return principal.orgId;
  };
  serveRoute(app, SHARE_POLICY.consent, async (req) => {
    requireScope(req, 'write');
    const orgId = await consentingOrg(req, req.body.org);
    return recordConsent(ctx.state, { objectId: req.body.objectId, version: req.body.version, orgId, userId: access(req).principal.userId, ...(req.body.note ? { note: req.body.note } : {}) });
  });
  serveRoute(app, SHARE_POLICY.withdrawConsent, async (req) => {
    requireScope(req, 'write');
    const orgId = await consentingOrg(req, req.body.org);
    return { withdrawn: await withdrawConsent(ctx.state, req.body.objectId, req.body.version, orgId) };
  });
  serveRoute(app, SHARE_POLICY.redRecipients, async (req) => {
    requireScope(req, 'write');
    const { principal } = access(req);
    const strict = seesEverything(principal);
    const named = await nameRedRecipients(ctx.state, req.body.objectId, req.body.version, req.body.users, principal.userId, { strict });
    // The answer lists the users the caller may see: a user elsewhere is named (RED crosses
    // organisations) but answered as a name that matches nobody would be.
    return { named: strict ? named : await usersVisibleTo(ctx.state, named, principal) };
  });
};
