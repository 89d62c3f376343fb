import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { createMonitor, deleteMonitor, getMonitor, listFindings, listMonitors, muteFinding } from '../monitors/monitor-store.js';
import { runMonitors } from '../monitors/monitor-service.js';
import { access } from './auth-plugin.js';
import { MONITORS } from './contract/monitors.js';
import { serveRoute } from './serve-route.js';

/** Monitors: saved searches over one's own ranges that alert on what is new. */
export const monitorRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, MONITORS.list, async (req) => listMonitors(ctx.state, access(req).restriction));
  // The monitor store validates the body itself (MONITOR_INVALID, naming the field).
  serveRoute(app, MONITORS.create, async (req, reply) =>
    reply.status(201).send(await createMonitor(ctx.state, req.body, access(req).restriction, { webhookAllow: ctx.config.notify.webhookAllow })));
  serveRoute(app, MONITORS.get, async (req) => getMonitor(ctx.state, req.params.id, access(req).restriction));
  serveRoute(app, MONITORS.delete, async (req, reply) => {
    await deleteMonitor(ctx.state, req.params.id, access(req).restriction);
    return reply.status(204).send(null);
  });
  serveRoute(app, MONITORS.findings, async (req) => listFindings(ctx.state, req.params.id, access(req).restriction));
  serveRoute(app, MONITORS.mute, async (req) => {
    const muted = req.body.muted ?? true;
    await muteFinding(ctx.state, req.params.id, req.body.key, muted, access(req).restriction);
    return { key: req.body.key, muted };
  });
  serveRoute(app, MONITORS.run, async (req) => runMonitors(ctx, req.body?.monitor, undefined, access(req).restriction));
};
