import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { hostProfile } from '../analyze/host.js';
import { SakimoriError } from '../errors.js';
import { queryTimer } from './metrics.js';

export const hostRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get<{ Params: { ip: string } }>('/hosts/:ip', {
    schema: {
      tags: ['hosts'],
      summary: 'What the darknet saw from one address: first/last seen, packets, ports, class, tags with evidence, ASN, country',
      params: { type: 'object', properties: { ip: { type: 'string' } }, required: ['ip'] },
    },
  }, async (req) => {
    const h = await queryTimer('host', () => hostProfile(ctx.events, req.params.ip, ctx.fingerprinter.fingerprints, (a) => ctx.enricher.orgOfAsn(a)));
    if (!h) throw new SakimoriError('NOT_FOUND', `no packets from ${req.params.ip}`, { ip: req.params.ip });
    return h;
  });
};
