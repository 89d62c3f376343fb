/** GET /api/v1/honeypot/report: the same function as `sakimori report honeypot`, under the caller's need-to-know. */
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { honeypotReport } from '../honeypot/report/honeypot-report.js';
import { honeypotWindow } from '../honeypot/report/honeypot-window.js';
import { access } from './auth-plugin.js';
import { HONEYPOT_REPORT } from './contract/honeypot-report.js';
import { serveRoute } from './serve-route.js';

export const honeypotReportRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, HONEYPOT_REPORT.report, async (req) => {
    const { restriction } = access(req);
    return honeypotReport(ctx.events, await honeypotWindow(ctx.events, req.query.from, req.query.to), restriction);
  }, { cost: 'heavy' });
};
