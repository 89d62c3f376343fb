import type { FastifyPluginAsync } from 'fastify';
import { access } from './auth-plugin.js';
import type { AppContext } from '../app/context.js';
import { listDeliveries } from '../notify/list-deliveries.js';
import { DELIVERIES } from './contract/deliveries.js';
import { serveRoute } from './serve-route.js';

/** Deliveries of case digests: an organisation sees only those addressed to it. */
export const deliveryRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, DELIVERIES.list, async (req) => {
    const { case: caseId, ...q } = req.query;
    return listDeliveries(ctx.state, access(req).restriction, { ...q, ...(caseId === undefined ? {} : { caseId }) });
  });
};
