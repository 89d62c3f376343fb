import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { hostView } from '../analyze/host-view.js';
import { indicatorsNaming } from '../share/indicators/host-indicators.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { queryTimer } from './api-metrics.js';
import { HOSTS } from './contract/hosts.js';
import { serveRoute } from './serve-route.js';

export const hostRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  serveRoute(app, HOSTS.host, async (req) => {
    const { restriction, principal } = access(req);
    const h = await timed('host', () => hostView(ctx, req.params.ip, restriction));
    if (!h) throw new SakimoriError('NOT_FOUND', `nothing observed from or on ${req.params.ip}`, { ip: req.params.ip });
    // The console shows it to a person; a key's client takes it away: the audit names which.
    return { ...h, indicators: await indicatorsNaming(ctx.state, h.ip, principal, principal.via === 'session' ? 'console' : 'rest') };
  });
};
