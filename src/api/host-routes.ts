import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { hostView } from '../analyze/host-view.js';
import { access } from './auth-plugin.js';
import { SakimoriError } from '../errors.js';
import { queryTimer } from './api-metrics.js';

export const hostRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  app.get<{ Params: { ip: string } }>('/hosts/:ip', {
    schema: {
      tags: ['hosts'],
      summary: 'One host: what the darknet saw from it (first/last seen, packets, ports, class, tags with evidence, ASN, country) and what it exposes (`exposure`: services, devices, CVEs, weak credentials, history)',
      params: { type: 'object', properties: { ip: { type: 'string' } }, required: ['ip'] },
    },
  }, async (req) => {
    const { restriction } = access(req);
    const h = await timed('host', () => hostView(ctx, req.params.ip, restriction));
    if (!h) throw new SakimoriError('NOT_FOUND', `nothing observed from or on ${req.params.ip}`, { ip: req.params.ip });
    return h;
  });
};
