import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { effectCsv, effectReport, publishable, type EffectReport } from '../effects/effect-report.js';
import { EFFECTS, type EffectsQuery } from './contract/effects.js';
import { serveRoute } from './serve-route.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

/** Effect of the notices: remediation rates, time to remediation, reappearance; CSV too. */
export const effectRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const report = async (req: FastifyRequest, q: EffectsQuery): Promise<EffectReport> => {
    const k = ctx.config.effects.minOrganisations;
    const r = await effectReport(ctx.state, access(req).restriction, { groupBy: q.groupBy ?? 'kind', k, ...(q.days ? { days: q.days } : {}) });
    return q.published ? publishable(r, k) : r;
  };
  // Reads the notified cases once when the server is ready (seconds on 100,000 cases), so the
  // first visit of the Effects page is as quick as the next ones; the cache follows case changes.
  app.addHook('onReady', async () => {
    void effectReport(ctx.state, UNRESTRICTED).catch(() => undefined);
  });
  serveRoute(app, EFFECTS.report, async (req) => report(req, req.query));
  serveRoute(app, EFFECTS.csv, async (req, reply) => {
    const r = await report(req, req.query);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="sakimori-effects-${r.groupBy}.csv"`).send(effectCsv(r));
  });
};
