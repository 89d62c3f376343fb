import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { darknetRange } from '../analyze/darknet-report.js';
import { reportFor, timeseriesFor } from '../analyze/day-reports.js';
import { parseWindow } from '../analyze/time-window.js';
import { defaultWindow } from '../analyze/default-window.js';

export { defaultWindow };
import { queryTimer } from './api-metrics.js';
import { access } from './auth-plugin.js';
import { constituencyDarknetReport, constituencyTimeseries } from '../analyze/constituency-report.js';

const windowQuery = {
  type: 'object',
  properties: {
    from: { type: 'string', description: 'ISO 8601 time or YYYY-MM-DD (UTC); default: the last day with data' },
    to: { type: 'string', description: 'ISO 8601 time or YYYY-MM-DD (UTC), exclusive; default: from + 1 day' },
  },
  additionalProperties: false,
} as const;

const count = { type: 'object', properties: { packets: { type: 'number' }, sources: { type: 'number' } } } as const;

export const darknetRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  app.get('/darknet/range', {
    schema: { tags: ['darknet'], summary: 'First and last hour with darknet data' },
  }, async () => darknetRange(ctx.events));

  app.get<{ Querystring: { from?: string; to?: string } }>('/darknet/report', {
    schema: {
      tags: ['darknet'],
      summary: 'Darknet report for a window: totals, classes, tags, top ports, IoT share, DoS victims, countries, ASNs, surges, top sources',
      querystring: windowQuery,
      response: {
        200: {
          type: 'object',
          additionalProperties: true,
          properties: { from: { type: 'string' }, to: { type: 'string' }, packets: { type: 'number' }, sources: { type: 'number' }, iotShare: { type: 'number' }, classes: { type: 'object', additionalProperties: count } },
        },
      },
    },
  }, async (req) => {
    const w = parseWindow(req.query.from, req.query.to, await defaultWindow(ctx));
    // Need-to-know: an organisation sees what its own addresses sent, never the global picture.
    const r = access(req).restriction;
    if (r.kind === 'constituency') return timed('report', () => constituencyDarknetReport(ctx.report, w, r));
    return timed('report', () => reportFor({ report: ctx.report, state: ctx.state }, w));
  });

  app.get<{ Querystring: { from?: string; to?: string; step?: number } }>('/darknet/timeseries', {
    schema: {
      tags: ['darknet'],
      summary: 'Packets and distinct sources per time step (hours)',
      querystring: { ...windowQuery, properties: { ...windowQuery.properties, step: { type: 'integer', minimum: 3600, maximum: 31 * 86400, default: 3600 } } },
    },
  }, async (req) => {
    const w = parseWindow(req.query.from, req.query.to, await defaultWindow(ctx));
    const r = access(req).restriction;
    if (r.kind === 'constituency') return timed('timeseries', () => constituencyTimeseries(ctx.report, w, r));
    return timed('timeseries', () => timeseriesFor({ report: ctx.report, state: ctx.state }, w, req.query.step ?? 3600));
  });
};
