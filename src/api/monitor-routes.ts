import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { createMonitor, deleteMonitor, getMonitor, listFindings, listMonitors, muteFinding } from '../monitors/monitor-store.js';
import { runMonitors } from '../monitors/monitor-service.js';
import { access } from './auth-plugin.js';

const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

/** Monitors: saved searches over one's own ranges that alert on what is new. */
export const monitorRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const r = async (req: FastifyRequest) => access(req).restriction;
  app.get('/monitors', { schema: { tags: ['monitors'], summary: 'Monitors (an organisation sees its own)' } }, async (req) => listMonitors(ctx.state, await r(req)));
  app.post<{ Body: unknown }>('/monitors', {
    schema: {
      tags: ['monitors'],
      summary: 'Create a monitor: name, cidrs (required), query, kinds (service, weak_credential, cve), webhooks, emails, language',
      body: { type: 'object', required: ['name', 'cidrs'], properties: { name: { type: 'string' }, cidrs: { type: 'array', items: { type: 'string' } }, query: { type: 'string' }, kinds: { type: 'array', items: { type: 'string' } }, webhooks: { type: 'array', items: { type: 'string' } }, emails: { type: 'array', items: { type: 'string' } }, language: { type: 'string', enum: ['ja', 'en'] } } },
    },
  }, async (req, reply) => reply.status(201).send(await createMonitor(ctx.state, req.body, await r(req), { webhookAllow: ctx.config.notify.webhookAllow })));
  app.get<{ Params: { id: string } }>('/monitors/:id', { schema: { tags: ['monitors'], summary: 'One monitor (id or name)', params: idParam } }, async (req) => getMonitor(ctx.state, req.params.id, await r(req)));
  app.delete<{ Params: { id: string } }>('/monitors/:id', { schema: { tags: ['monitors'], summary: 'Delete a monitor and its findings', params: idParam } }, async (req, reply) => {
    await deleteMonitor(ctx.state, req.params.id, await r(req));
    return reply.status(204).send();
  });
  app.get<{ Params: { id: string } }>('/monitors/:id/findings', { schema: { tags: ['monitors'], summary: 'Findings of a monitor, present first', params: idParam } }, async (req) => listFindings(ctx.state, req.params.id, await r(req)));
  app.post<{ Params: { id: string }; Body: { key: string; muted?: boolean } }>('/monitors/:id/findings/mute', {
    schema: { tags: ['monitors'], summary: 'Mute (or unmute with muted=false) one finding', params: idParam, body: { type: 'object', required: ['key'], properties: { key: { type: 'string' }, muted: { type: 'boolean' } } } },
  }, async (req) => {
    await muteFinding(ctx.state, req.params.id, req.body.key, req.body.muted ?? true, await r(req));
    return { key: req.body.key, muted: req.body.muted ?? true };
  });
  app.post<{ Body: { monitor?: string } | undefined }>('/monitors/run', {
    schema: { tags: ['monitors'], summary: 'Evaluate one monitor (or every enabled one) now and send the alerts', body: { type: 'object', properties: { monitor: { type: 'string' } } } },
  }, async (req) => runMonitors(ctx, req.body?.monitor, undefined, await r(req)));
};
