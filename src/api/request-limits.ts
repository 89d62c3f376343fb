/**
 * Per-principal limits on the API, so that one member's load cannot slow everyone down.
 *
 * Each route is `heavy` (searches, exports, reports, time series, effects, imports, and any route
 * not known to be cheap) or `cheap` (host pages, status, sign-in, lists of one's own things).
 * Every principal (a user: all its keys and sessions together; an address when nobody is signed
 * in) has, per class, a cap on requests in flight and a token bucket; beyond either the answer
 * is 429 with Retry-After, at once, before any query runs. The classes have separate budgets,
 * so a principal's searches never use up its host pages.
 *
 * The request's principal and class then travel with everything its handler starts (the query
 * context, store/events/query-context.ts): the events store serves cheap queries on lanes of
 * their own and principals round-robin (store/events/fair-scheduler.ts).
 *
 * A route may declare its class in its options: `config: { cost: 'cheap' }`.
 */
import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { withQueryContext, type QueryContext, type QueryCost } from '../store/events/query-context.js';
import { apiMetrics } from './api-metrics.js';
import { preferredLang } from './accept-language.js';

const API = '/api/v1';

/** API routes that stay cheap whatever is asked: a bounded number of rows by key, or no events query. */
const CHEAP_ROUTES = new Set([
  '/status', '/auth/login', '/auth/logout', '/auth/me', '/auth/link', '/auth/links', '/api-keys', '/api-keys/:id', '/users',
  '/hosts/:ip', '/responsible/:ip', '/darknet/range', '/search/fields', '/vulns/feeds',
  '/orgs', '/orgs/:id', '/scopes', '/scopes/:ref', '/scopes/:ref/exclusions', '/exclusions', '/exclusions/:id',
  '/surveys', '/surveys/:id', '/surveys/:id/stop', '/monitors', '/monitors/:id', '/monitors/:id/findings/mute',
  '/cases', '/cases/:id', '/cases/:id/ack', '/cases/counts', '/audit',
  // The sharing hub's rows by key in the state store.
  '/orgs/:id/serves', '/orgs/:id/serves/:other', '/share/collections', '/share/feeds', '/share/objects/:id',
  '/share/reports', '/share/reports/:id', '/share/reports/:id/consent', '/share/reports/:id/release',
  '/share/consents', '/share/consents/withdraw', '/share/red-recipients', '/share/warninglists', '/share/sensors',
]);

export interface RequestLimit {
  /** Requests of the class in flight at once. */
  readonly inFlight: number;
  /** Sustained requests per second, and how many may come at once after a quiet spell. */
  readonly perSecond: number;
  readonly burst: number;
}
export type RequestLimits = Readonly<Record<QueryCost, RequestLimit>>;

/** The class of a request: the route's own declaration, else the list above; unknown API routes are heavy. */
export function routeCost(req: FastifyRequest): QueryCost {
  const declared = (req.routeOptions.config as { cost?: unknown } | undefined)?.cost;
  if (declared === 'cheap' || declared === 'heavy') return declared;
  const url = req.routeOptions.url;
  if (!url || !url.startsWith(`${API}/`)) return 'cheap'; // the console's files, docs, metrics, no route
  return CHEAP_ROUTES.has(url.slice(API.length)) ? 'cheap' : 'heavy';
}

function principalKey(req: FastifyRequest): string {
  const id = req.principal?.userId;
  return id ? `user:${id}` : `address:${req.ip ?? ''}`;
}

interface Budget { tokens: number; at: number; inFlight: number }

const WHAT: Record<QueryCost, string> = { heavy: 'searches, exports and reports', cheap: 'requests' };

/** Installs the limits on `api`; register right after the auth hook, which sets the principal. */
export function installRequestLimits(api: FastifyInstance, ctx: Pick<AppContext, 'config' | 'metrics'>): void {
  const limited = apiMetrics(ctx.metrics).requestsLimited;
  const limits: RequestLimits = ctx.config.limits.requests;
  const budgets = new Map<string, Record<QueryCost, Budget>>();
  /** Requests let in: their context's async scope, and the call that says the handler answered. */
  const requests = new WeakMap<FastifyRequest, { scope: AsyncResource; answered: () => void }>();
  /** Recent request durations per class (seconds, moving average): the wait a 429 for in-flight suggests. */
  const typical: Record<QueryCost, number> = { cheap: 0.1, heavy: 1 };
  let sinceSweep = 0;

  const refill = (b: Budget, l: RequestLimit, now: number): void => {
    b.tokens = Math.min(l.burst, b.tokens + ((now - b.at) / 1000) * l.perSecond);
    b.at = now;
  };
  const budget = (key: string, now: number): Record<QueryCost, Budget> => {
    let b = budgets.get(key);
    if (!b) {
      b = { cheap: { tokens: limits.cheap.burst, at: now, inFlight: 0 }, heavy: { tokens: limits.heavy.burst, at: now, inFlight: 0 } };
      budgets.set(key, b);
    }
    return b;
  };
  /** Forgets principals that are idle with a full bucket (they would start afresh anyway). */
  const sweep = (now: number): void => {
    for (const [key, b] of budgets) {
      refill(b.cheap, limits.cheap, now);
      refill(b.heavy, limits.heavy, now);
      if (b.cheap.inFlight === 0 && b.heavy.inFlight === 0 && b.cheap.tokens >= limits.cheap.burst && b.heavy.tokens >= limits.heavy.burst) budgets.delete(key);
    }
  };
  const tooMany = (reply: FastifyReply, cost: QueryCost, limit: 'in-flight' | 'rate', seconds: number): void => {
    // Spread, so that clients turned away together do not all come back at once; a rate limit's
    // wait is exact (no token before it), an in-flight one an estimate (a typical request's time).
    const spread = limit === 'rate' ? 1 + Math.random() / 2 : 0.5 + Math.random();
    const retryAfter = Math.min(60, Math.max(1, Math.ceil(seconds * spread)));
    limited.inc({ class: cost, limit });
    const l = limits[cost];
    const why = limit === 'in-flight' ? `at most ${l.inFlight} ${WHAT[cost]} at once` : `at most ${l.perSecond} ${WHAT[cost]} a second`;
    const e = new SakimoriError('RATE_LIMITED', `${why} per user; retry after ${retryAfter} s`, { class: cost, limit, retryAfter });
    void reply.code(429).header('retry-after', String(retryAfter)).send(e.toJSON(preferredLang(reply.request.headers['accept-language'])));
  };

  api.addHook('onRequest', (req, reply, done) => {
    const now = performance.now();
    if (++sinceSweep >= 1000) {
      sinceSweep = 0;
      sweep(now);
    }
    const cost = routeCost(req);
    const principal = principalKey(req);
    const b = budget(principal, now)[cost];
    const l = limits[cost];
    refill(b, l, now);
    if (b.inFlight >= l.inFlight) return tooMany(reply, cost, 'in-flight', typical[cost]);
    if (b.tokens < 1) return tooMany(reply, cost, 'rate', (1 - b.tokens) / l.perSecond);
    b.tokens -= 1;
    b.inFlight++;
    const qctx: QueryContext = { principal, cost };
    // A request counts until its handler has answered (onSend, below) and its response is over
    // ('close': sent, a streamed export to its last byte, or the client gone). A client that
    // hangs up does not free the slot while its handler still runs queries.
    let pending = 2;
    const settle = (): void => {
      if (--pending > 0) return;
      qctx.ended = true;
      b.inFlight--;
      typical[cost] = 0.8 * typical[cost] + 0.2 * ((performance.now() - now) / 1000);
    };
    reply.raw.once('close', settle);
    withQueryContext(qctx, () => requests.set(req, { scope: new AsyncResource('sakimori-request'), answered: settle }));
    done();
  });

  // The handler runs inside the request's query context (the hook runner calls it from `done`),
  // and so does what it starts: a streamed body (an export) runs its queries as it is read.
  api.addHook('preHandler', (req, _reply, done) => {
    const r = requests.get(req);
    if (r) r.scope.runInAsyncScope(done);
    else done();
  });

  api.addHook('onSend', async (req, _reply, payload) => {
    const r = requests.get(req);
    if (r && requests.delete(req)) r.answered();
    return payload;
  });
}
