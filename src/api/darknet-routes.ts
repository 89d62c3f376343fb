import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { darknetRange } from '../analyze/darknet-report.js';
import { reportFor, timeseriesFor } from '../analyze/day-reports.js';
import { parseWindow } from '../analyze/time-window.js';
import { defaultWindow } from '../analyze/default-window.js';
import { queryTimer } from './api-metrics.js';
import { access } from './auth-plugin.js';
import { constituencyDarknetReport, constituencyTimeseries } from '../analyze/constituency-report.js';
import { DARKNET } from './contract/darknet.js';
import { serveRoute } from './serve-route.js';

export { defaultWindow };

export const darknetRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  serveRoute(app, DARKNET.range, async () => darknetRange(ctx.events));

  serveRoute(app, DARKNET.report, async (req) => {
    const w = parseWindow(req.query.from, req.query.to, await defaultWindow(ctx));
    // Need-to-know: an organisation sees what its own addresses sent, never the global picture.
    const r = access(req).restriction;
    if (r.kind === 'constituency') return timed('report', () => constituencyDarknetReport(ctx.report, w, r));
    return timed('report', () => reportFor({ report: ctx.report, state: ctx.state }, w));
  });

  serveRoute(app, DARKNET.timeseries, async (req) => {
    const w = parseWindow(req.query.from, req.query.to, await defaultWindow(ctx));
    const r = access(req).restriction;
    if (r.kind === 'constituency') return timed('timeseries', () => constituencyTimeseries(ctx.report, w, r));
    return timed('timeseries', () => timeseriesFor({ report: ctx.report, state: ctx.state }, w, req.query.step));
  });
};
