import type { FastifyPluginAsync } from 'fastify';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { AppContext } from '../app/context.js';
import { ERRORS, isSakimoriError, SakimoriError } from '../errors.js';
import { listFeeds } from '../share/taxii/client/feeds.js';
import { remotePolicy, type RemoteAuth } from '../share/taxii/client/remote.js';
import { runPull } from '../share/taxii/client/run-pull.js';
import { runPush } from '../share/taxii/client/run-push.js';
import { pushPolicy } from '../share/taxii/client/push-policy.js';
import { preferredLang } from './accept-language.js';
import { access, requireScope } from './auth-plugin.js';
import { FEEDS } from './contract/feeds.js';
import { serveRoute } from './serve-route.js';

/** The remote's credentials from a request body: Basic, Bearer, or none (a remote that needs none). */
export function remoteAuthOf(b: { user?: string | undefined; password?: string | undefined; token?: string | undefined }): RemoteAuth {
  if (b.token && b.user) throw new SakimoriError('BAD_REQUEST', 'give either a token or a user and password, not both', { field: 'token' });
  if (b.token) return { kind: 'bearer', token: b.token };
  if (b.user) return { kind: 'basic', user: b.user, password: b.password ?? '' };
  return { kind: 'none' };
}

/** The TAXII client run by the server (`sakimori taxii pull|push` beside it): platform admins only. */
export const feedRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', async (req) => requireScope(req, 'admin'));
  serveRoute(app, FEEDS.list, async () => ({ feeds: await listFeeds(ctx.state) }));
  serveRoute(app, FEEDS.pull, async (req, reply) => {
    const auth = remoteAuthOf(req.body);
    const lang = preferredLang(req.headers['accept-language']);
    const lines = new PassThrough();
    const send = (o: unknown): void => { lines.write(`${JSON.stringify(o)}\n`); };
    const stop = new AbortController();
    // A client that goes away (Ctrl-C) stops the pull after the page being stored.
    req.raw.on('close', () => stop.abort());
    void runPull(ctx.state, { url: req.body.url, collection: req.body.collection, into: req.body.into, auth, policy: remotePolicy(ctx.config.share.remoteAllow), userId: access(req).principal.userId, ...(req.body.limit ? { limit: req.body.limit } : {}) },
      (p) => send({ page: { page: p.page, objects: p.objects, received: p.received, failed: p.failed } }), stop.signal)
      .then((result) => send({ result }), (e: unknown) => {
        if (isSakimoriError(e) && e.status !== 500) return send({ error: e.toJSON(lang) });
        const errorId = randomUUID();
        req.log.error({ err: e, errorId }, `TAXII pull failed (error id ${errorId})`);
        send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang], errorId } });
      }).finally(() => lines.end());
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(lines);
  });
  serveRoute(app, FEEDS.push, async (req) => {
    const policy = await pushPolicy(ctx.state, req.body.to ?? null, access(req).principal);
    return runPush(ctx.state, { url: req.body.url, collection: req.body.collection, from: req.body.from, auth: remoteAuthOf(req.body), policy: remotePolicy(ctx.config.share.remoteAllow) }, policy.mayLeave, policy.delivered);
  });
};
