import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { VICTIM_REPORTS } from './contract/victim-reports.js';
import { serveRoute } from './serve-route.js';
import { consentVictimReport, getVictimReport, listVictimReports, releaseVictimReport, submitVictimReport, type ReportViewer } from '../share/victims/reports.js';
import { victimReportStixFor } from '../share/victims/report-stix-for.js';
import { computeVictimAggregates } from '../share/victims/aggregates.js';
import { getUser } from '../auth/users.js';
import type { FastifyRequest } from 'fastify';

const viewerOf = (req: FastifyRequest): ReportViewer => {
  const p = access(req).principal;
  return { userId: p.userId, orgId: p.orgId, role: p.role };
};

/** Victim reports (docs/sharing.md): need-to-know lives in share/victims/reports.ts, the policy in report-stix-for.ts. */
export const victimReportRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, VICTIM_REPORTS.submit, async (req, reply) => {
    const r = await submitVictimReport(ctx.state, req.body, viewerOf(req), req.query.org);
    return reply.status(r.created ? 201 : 200).send(r);
  });
  serveRoute(app, VICTIM_REPORTS.list, async (req) => ({ reports: await listVictimReports(ctx.state, viewerOf(req)) }));
  serveRoute(app, VICTIM_REPORTS.get, async (req) => getVictimReport(ctx.state, req.params.id, viewerOf(req)));
  serveRoute(app, VICTIM_REPORTS.consent, async (req) => {
    const as = req.body?.as;
    let by = viewerOf(req);
    if (as !== undefined) {
      // Only the data directory's owner (the CLI beside the server) acts for a named organisation admin.
      if (access(req).principal.via !== 'peer') throw new SakimoriError('FORBIDDEN', 'only the data directory\'s owner may consent for another user');
      const u = await getUser(ctx.state, as);
      by = { userId: u.id, orgId: u.orgId, role: u.role };
    }
    return consentVictimReport(ctx.state, req.params.id, by);
  });
  serveRoute(app, VICTIM_REPORTS.release, async (req) => releaseVictimReport(ctx.state, req.params.id, viewerOf(req)));
  serveRoute(app, VICTIM_REPORTS.stix, async (req) => {
    const v = viewerOf(req);
    return { objects: await victimReportStixFor(ctx.state, req.params.id, v, 'rest') };
  });
  serveRoute(app, VICTIM_REPORTS.aggregates, async () => computeVictimAggregates(ctx.state, ctx.config.victimReports.k));
};
