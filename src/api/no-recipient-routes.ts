import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { noRecipientSummary } from '../cases/no-recipient.js';
import { NO_RECIPIENT } from './contract/no-recipient.js';
import { serveRoute } from './serve-route.js';

/**
 * Findings nobody can be told about: platform-wide. An organisation's own addresses always have
 * a recipient (itself), so its members have nothing to see here.
 */
export const noRecipientRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, NO_RECIPIENT.summary, async (req) => {
    if (access(req).restriction.kind !== 'all') throw new SakimoriError('FORBIDDEN', 'findings without a recipient lie outside every organisation\'s constituency: platform admins and analysts only');
    return noRecipientSummary(ctx.state, req.query.top ?? 10);
  });
};
