import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { roundNow, sendNow } from '../notify/notify-now.js';
import { requireScope } from './auth-plugin.js';
import { NOTIFY } from './contract/notify.js';
import { serveRoute } from './serve-route.js';

/** Rounds and sending, so `sakimori notify` works beside a running server: they reach every organisation, hence admin only. */
export const notifyRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  serveRoute(app, NOTIFY.round, async (req, reply) => reply.status(201).send(await roundNow(ctx.state, ctx.config, req.body?.send ?? false)));
  serveRoute(app, NOTIFY.send, async () => sendNow(ctx.state, ctx.config));
};
