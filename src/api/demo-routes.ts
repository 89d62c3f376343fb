import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { DEMO } from './contract/demo.js';
import { listOutbox } from '../notify/channels/outbox.js';
import { serveRoute } from './serve-route.js';

/** The demo's outbox: what its local mail sink kept. `demo` tells the console to show it. */
export const demoRoutes: FastifyPluginAsync<{ ctx: AppContext; demo: boolean }> = async (app, { ctx, demo }) => {
  serveRoute(app, DEMO.outbox, async (req) => {
    const { principal, restriction } = access(req);
    if (restriction.kind !== 'all' || !principal.scopes.includes('admin')) throw new SakimoriError('FORBIDDEN', 'the demo outbox is for platform admins', { scope: 'admin' });
    return { demo, ...(await listOutbox(ctx.state, req.query.limit ?? 100, req.query.offset ?? 0)) };
  });
};
