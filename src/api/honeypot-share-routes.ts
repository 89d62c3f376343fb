/** POST /api/v1/honeypot/share: the same function as `sakimori share honeypot`; the hub's operators only, as `share publish`. */
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { seesEverything } from '../auth/principal.js';
import { SakimoriError } from '../errors.js';
import { publishHoneypotIndicators } from '../honeypot/share/publish-honeypot.js';
import { publishWindow } from '../share/indicators/publish.js';
import { DEFAULT_TLP } from '../share/policy/decide.js';
import { access } from './auth-plugin.js';
import { HONEYPOT_SHARE } from './contract/honeypot-share.js';
import { serveRoute } from './serve-route.js';

export const honeypotShareRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, HONEYPOT_SHARE.publish, async (req) => {
    const { principal } = access(req);
    if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'publishing the hub\'s honeypot indicators is for platform admins and analysts', { role: principal.role });
    const b = req.body;
    return publishHoneypotIndicators(ctx, principal, {
      collection: b.collection, tlp: b.tlp ?? DEFAULT_TLP, window: publishWindow(b.from, b.to), dryRun: b.dryRun ?? false,
      ...(b.benignDomains ? { benignDomains: b.benignDomains } : {}),
    });
  }, { cost: 'heavy' });
};
