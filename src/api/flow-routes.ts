import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { flowReport, flowWindow } from '../flows/report/flow-report.js';
import { listExporters } from '../flows/collect/exporter-store.js';
import { flowIngestRun } from '../flows/ingest/flow-ingest-run.js';
import type { FlowIngestProgress } from '../flows/ingest/flow-ingest.js';
import { access } from './auth-plugin.js';
import { localFileRun } from './local-file-run.js';
import { FLOWS } from './contract/flows.js';
import { serveRoute } from './serve-route.js';

/** Flows are the operator's data, not per-organisation yet: platform admins and analysts only. */
function operatorOnly(req: FastifyRequest): void {
  const { principal } = access(req);
  if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'flows are for platform admins and analysts', { role: principal.role });
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
