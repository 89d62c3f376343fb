import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { addressProfile } from '../correlate/profile/address-profile.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { queryTimer } from './api-metrics.js';
import { HOSTS } from './contract/hosts.js';
import { serveRoute } from './serve-route.js';

export const hostRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  serveRoute(app, HOSTS.host, async (req) => {
    const { restriction, principal } = access(req);
    // The console shows it to a person; a key's client takes it away: the audit names which.
    const h = await timed('host', () => addressProfile(ctx, req.params.ip, restriction, principal, principal.via === 'session' ? 'console' : 'rest'));
    if (!h) throw new SakimoriError('NOT_FOUND', `nothing observed from or on ${req.params.ip}`, { ip: req.params.ip });
    return h;
  });
};
