/**
 * Per-principal request limits through the real app: beyond its in-flight cap or its rate a
 * principal gets 429 with Retry-After, another principal is not affected, cheap routes have a
 * budget of their own, and a handler's queries (also those of a streamed body) carry the
 * request's principal and class. No timing is asserted.
 */
import { Readable } from 'node:stream';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { addPrefixes, createOrg } from '../orgs/org-store.js';
import { currentQueryContext, type QueryContext } from '../store/events/query-context.js';
import { DEFAULT_QUERY_LIMITS } from '../store/events/query-limits.js';
import { configSchema } from '../config/schema.js';
import { z } from 'zod';
import { defineRoute, fileAnswer } from './contract/define.js';
import { serveRoute } from './serve-route.js';

describe('request limits', () => {
  let t: TempApp;
  const auth: Record<'a' | 'b' | 'c', { authorization: string }> = { a: { authorization: '' }, b: { authorization: '' }, c: { authorization: '' } };
  const userIds: Record<string, string> = {};
  /** Requests held in their handler until released. */
  const held: (() => void)[] = [];
  let entered = 0;
  let openLater = (): void => undefined;
  const later = { promise: new Promise<void>((r) => { openLater = r; }) };
  let laterCtx: QueryContext | null | undefined;

  beforeAll(async () => {
    t = await tempApp('limits', {
      limits: { requests: { heavy: { inFlight: 2, perSecond: 0.01, burst: 8 }, cheap: { inFlight: 50, perSecond: 100, burst: 100 } } },
    });
    for (const [who, prefix] of [['a', '192.0.2.0/25'], ['b', '192.0.2.128/25'], ['c', '198.51.100.0/24']] as const) {
      const org = await createOrg(t.ctx.state, { name: `Org ${who}` });
      await addPrefixes(t.ctx.state, org.id, [prefix]);
      const u = await createUser(t.ctx.state, { username: `member-${who}`, password: 'a password long enough', role: 'org-member', org: org.id });
      userIds[who] = u.id;
      auth[who] = { authorization: `Bearer ${(await createApiKey(t.ctx.state, u.id, 'test', ['read'])).key}` };
    }
    // Routes of this test: unknown to the limiter, so heavy, unless they say otherwise. Every API
    // route has a contract entry, these too (local to the test).
    const entry = (url: string, answer: z.ZodType, produces?: string[]) =>
      defineRoute({ method: 'GET', url, errors: [], schema: { tags: ['test'], summary: url, ...(produces ? { produces } : {}), response: { 200: answer } } });
    const Ctx = z.object({ ctx: z.unknown() });
    await t.app.register(async (api) => {
      serveRoute(api, entry('/test/hold', Ctx), async () => {
        entered++;
        await new Promise<void>((r) => held.push(r));
        return { ctx: currentQueryContext() ?? null };
      });
      serveRoute(api, entry('/test/context', Ctx), async () => ({ ctx: currentQueryContext() ?? null }), { cost: 'cheap' });
      serveRoute(api, entry('/test/later', z.object({ started: z.boolean() })), async () => {
        void later.promise.then(() => { laterCtx = currentQueryContext() ?? null; });
        return { started: true };
      });
      serveRoute(api, entry('/test/stream', fileAnswer('contexts as JSON lines'), ['application/x-ndjson']), async (_req, reply) => {
        async function* chunks(): AsyncGenerator<string> {
          for (let i = 0; i < 3; i++) {
            await new Promise((r) => setTimeout(r, 5));
            yield `${JSON.stringify(currentQueryContext() ?? null)}\n`;
          }
        }
        return reply.header('content-type', 'application/x-ndjson').send(Readable.from(chunks()));
      });
    }, { prefix: '/api/v1' });
  }, 180_000);
  afterAll(async () => {
    for (const r of held) r();
    await t?.dispose();
  });

  it('answers 429 with Retry-After beyond a principal\'s in-flight cap, and only for that principal', async () => {
    const first = [t.app.inject({ url: '/api/v1/test/hold', headers: auth.a }), t.app.inject({ url: '/api/v1/test/hold', headers: auth.a })];
    while (entered < 2) await new Promise((r) => setTimeout(r, 5));

    const third = await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.a });
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(third.json()).toMatchObject({ code: 'RATE_LIMITED', where: { class: 'heavy', limit: 'in-flight' } });

    // B is not limited by A's load, and A's cheap requests have a budget of their own.
    expect((await t.app.inject({ url: '/api/v1/search?q=*&facets=port', headers: auth.b })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/hosts/192.0.2.1', headers: auth.a })).statusCode).not.toBe(429);
    expect((await t.app.inject({ url: '/api/v1/status', headers: auth.a })).statusCode).toBe(200);

    // The held handlers ran in their request's query context.
    for (const r of held.splice(0)) r();
    const answers = await Promise.all(first);
    for (const r of answers) {
      expect(r.statusCode).toBe(200);
      expect(r.json<{ ctx: QueryContext }>().ctx).toEqual({ principal: `user:${userIds['a']}`, cost: 'heavy' });
    }
    // Once they are done, A is let in again.
    expect((await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.a })).statusCode).toBe(200);
  }, 120_000);

  it('keeps counting a request whose client hung up until its handler has answered', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const before = entered;
    const gone = [0, 1].map(() => {
      const r = request({ host: '127.0.0.1', port, path: '/api/v1/test/hold', headers: auth.a });
      r.on('error', () => undefined);
      r.end();
      return r;
    });
    while (entered < before + 2) await new Promise((r) => setTimeout(r, 5));
    for (const r of gone) r.destroy();
    await new Promise((r) => setTimeout(r, 50));
    // The handlers still run: A is still at its cap.
    expect((await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.a })).statusCode).toBe(429);
    for (const r of held.splice(0)) r();
    // The freed slot is A's again once they have answered.
    let code = 429;
    while (code === 429) {
      await new Promise((r) => setTimeout(r, 10));
      code = (await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.a })).statusCode;
    }
    expect(code).toBe(200);
  }, 120_000);

  it('answers 429 with Retry-After beyond a principal\'s rate', async () => {
    const codes: number[] = [];
    let last = await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.c });
    codes.push(last.statusCode);
    while (last.statusCode === 200 && codes.length < 20) {
      last = await t.app.inject({ url: '/api/v1/search?q=*', headers: auth.c });
      codes.push(last.statusCode);
    }
    // The burst of 8, then the bucket is empty (it refills one request per 100 s).
    expect(codes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    expect(last.json()).toMatchObject({ code: 'RATE_LIMITED', where: { class: 'heavy', limit: 'rate' } });
    expect(Number(last.headers['retry-after'])).toBe(60);
    // Its host pages are not in that bucket; B's searches are not either.
    expect((await t.app.inject({ url: '/api/v1/hosts/198.51.100.1', headers: auth.c })).statusCode).not.toBe(429);
    expect((await t.app.inject({ url: '/api/v1/search?q=port:23', headers: auth.b })).statusCode).toBe(200);
  }, 120_000);

  it('classes routes: declared, cheap by list, heavy otherwise; a streamed body keeps its context', async () => {
    const declared = await t.app.inject({ url: '/api/v1/test/context', headers: auth.b });
    expect(declared.json<{ ctx: QueryContext }>().ctx).toEqual({ principal: `user:${userIds['b']}`, cost: 'cheap' });
    const streamed = await t.app.inject({ url: '/api/v1/test/stream', headers: auth.b });
    expect(streamed.statusCode).toBe(200);
    const lines = streamed.body.trim().split('\n').map((l) => JSON.parse(l) as QueryContext | null);
    expect(lines).toEqual(Array.from({ length: 3 }, () => ({ principal: `user:${userIds['b']}`, cost: 'heavy' })));
  }, 120_000);

  it('treats work a request leaves running after its answer as background', async () => {
    expect((await t.app.inject({ url: '/api/v1/test/later', headers: auth.b })).statusCode).toBe(200);
    await new Promise((r) => setImmediate(r));
    openLater();
    while (laterCtx === undefined) await new Promise((r) => setTimeout(r, 5));
    expect(laterCtx).toBeNull();
  });

  it('has the configuration\'s defaults for the store limits', () => {
    expect(configSchema.parse({}).limits.queries).toEqual(DEFAULT_QUERY_LIMITS);
  });
});
