import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AppContext } from '../app/context.js';
import { ERRORS, isSakimoriError, SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { flowReport, flowWindow } from '../flows/report/flow-report.js';
import { listExporters } from '../flows/collect/exporter-store.js';
import { flowIngestRun } from '../flows/ingest/flow-ingest-run.js';
import { preferredLang } from './accept-language.js';
import { access, requirePeer } from './auth-plugin.js';
import { FLOWS } from './contract/flows.js';
import { serveRoute } from './serve-route.js';

/** Progress lines at most this often. */
const PROGRESS_MS = 200;

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
    requirePeer(req, 'flow ingests');
    const relative = req.body.files.find((f) => !isAbsolute(f));
    if (relative) throw new SakimoriError('BAD_REQUEST', `files: not an absolute path: ${relative}`, { field: 'files' });
    const lang = preferredLang(req.headers['accept-language']);
    const lines = new PassThrough();
    const send = (o: unknown): void => { lines.write(`${JSON.stringify(o)}\n`); };
    let last = 0;
    const b = req.body;
    // The headers go out now and progress follows; an error after that can only be a line.
    void flowIngestRun(ctx, b.files, {
      ...(b.format ? { format: b.format } : {}),
      ...(b.internal ? { internal: b.internal } : {}),
      ...(b.org ? { org: b.org } : {}),
      ...(b.timeZone ? { timeZone: b.timeZone } : {}),
      onProgress: (p) => { if (Date.now() - last >= PROGRESS_MS) { last = Date.now(); send({ progress: p }); } },
    }).then((result) => send({ result }), (e: unknown) => {
      if (isSakimoriError(e) && e.status < 500) return send({ error: e.toJSON(lang) });
      const errorId = randomUUID();
      req.log.error({ err: e, errorId }, `flow ingest failed (error id ${errorId})`);
      send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang], errorId } });
    }).finally(() => lines.end());
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(lines);
  });
};
