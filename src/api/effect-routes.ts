import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { effectCsv, effectReport, GROUP_BY, publishable, type GroupBy } from '../effects/effect-report.js';

interface Q { groupBy?: GroupBy; published?: boolean; days?: number }
const query = { type: 'object', properties: { groupBy: { type: 'string', enum: [...GROUP_BY] }, published: { type: 'boolean' }, days: { type: 'integer', minimum: 1, maximum: 730 } } } as const;

/** Effect of the notices: remediation rates, time to remediation, reappearance; CSV too. */
export const effectRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const report = async (req: FastifyRequest<{ Querystring: Q }>) => {
    const k = ctx.config.effects.minOrganisations;
    const r = await effectReport(ctx.state, access(req).restriction, { groupBy: req.query.groupBy ?? 'kind', k, ...(req.query.days ? { days: req.query.days } : {}) });
    return req.query.published ? publishable(r, k) : r;
  };
  app.get<{ Querystring: Q }>('/effects', {
    schema: { tags: ['effects'], summary: 'Remediation within 7/14/30 days, Kaplan–Meier time to remediation, reappearance, open cases per day (an organisation: its own, and its rank when there are at least k peers)', querystring: query },
  }, report);
  app.get<{ Querystring: Q }>('/effects.csv', { schema: { tags: ['effects'], summary: 'The same groups as CSV', querystring: query } }, async (req, reply) => {
    const r = await report(req);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="sakimori-effects-${r.groupBy}.csv"`).send(effectCsv(r));
  });
};
