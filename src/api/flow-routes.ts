import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { flowReport, flowWindow } from '../flows/report/flow-report.js';
import { listExporters } from '../flows/collect/exporter-store.js';
import { cncCandidates } from '../flows/detect/candidates.js';
import { serverView } from '../flows/report/server-view.js';
import { formatIp, parseIpUnmapped } from '../net/ip.js';
import { flowIngestRun } from '../flows/ingest/flow-ingest-run.js';
import type { FlowIngestProgress } from '../flows/ingest/flow-ingest.js';
import { access } from './auth-plugin.js';
import { localFileRun } from './local-file-run.js';
import { FLOWS } from './contract/flows.js';
import { serveRoute } from './serve-route.js';

/** Flows are the operator's data, not per-organisation yet: platform admins and analysts only. */
function operatorOnly(req: FastifyRequest): { userId: string | null; orgId: string | null } {
  const { principal } = access(req);
  if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'flows are for platform admins and analysts', { role: principal.role });
  // Who reads raw flows, for their audit.
  return { userId: principal.userId, orgId: principal.orgId };
}

export const flowRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, FLOWS.report, async (req) => {
    operatorOnly(req);
    return flowReport(ctx, await flowWindow(ctx.events, req.query.from, req.query.to));
  }, { cost: 'heavy' });

  serveRoute(app, FLOWS.exporters, async (req) => {
    operatorOnly(req);
    return { exporters: await listExporters(ctx.state) };
  });

  serveRoute(app, FLOWS.candidates, async (req) => {
    const who = operatorOnly(req);
    const q = req.query;
    // Without a window, detection's own default (the 24 hours up to the last stored flow).
    const w = q.from || q.to ? await flowWindow(ctx.events, q.from, q.to) : null;
    return cncCandidates(ctx, {
      ...who, purpose: 'cnc-console', ...(w ? { fromMs: w.from.getTime(), toMs: w.to.getTime() } : {}),
      ...(q.limit ? { limit: q.limit } : {}), ...(q.sample ? { sample: q.sample } : {}),
    });
  }, { cost: 'heavy' });

  serveRoute(app, FLOWS.server, async (req) => {
    const who = operatorOnly(req);
    const ip = parseIpUnmapped(req.params.ip);
    if (!ip) throw new SakimoriError('BAD_IP', 'not an IP address', { ip: req.params.ip });
    const q = req.query;
    return serverView(ctx, { server: formatIp(ip), port: q.port, proto: q.proto ?? 6 }, await flowWindow(ctx.events, q.from, q.to), who);
  }, { cost: 'heavy' });

  serveRoute(app, FLOWS.ingest, async (req, reply) => {
    const b = req.body;
    return localFileRun<FlowIngestProgress>(req, reply, 'flow ingest', b.files, (onProgress) => flowIngestRun(ctx, b.files, {
      ...(b.format ? { format: b.format } : {}),
      ...(b.internal ? { internal: b.internal } : {}),
      ...(b.org ? { org: b.org } : {}),
      ...(b.timeZone ? { timeZone: b.timeZone } : {}),
      onProgress,
    }));
  });
};
