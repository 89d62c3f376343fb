/**
 * The API contract holds: every route under /api/v1 is served from its entry and no route
 * without one starts; the OpenAPI document carries every entry with its answers and errors;
 * requests are refused by the contract with the field named; answers go out as declared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyReply } from 'fastify';
import { z } from 'zod';
import { CONTRACT } from './contract/index.js';
import { defineRoute } from './contract/define.js';
import { API_PREFIX, installContract, serveRoute } from './serve-route.js';
import { ContractViolation, droppedFields, zodSerializerCompiler } from './zod-provider.js';
import { errorCodesOf } from './contract-openapi.js';
import { ERRORS } from '../errors.js';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { PUBLIC_ROUTES } from './auth-plugin.js';

const openApiPath = (url: string): string => `${API_PREFIX}${url}`.replace(/:(\w+)/g, '{$1}');

describe('API contract', () => {
  let t: TempApp;
  beforeAll(async () => { t = await tempApp('contract'); });
  afterAll(async () => { await t.dispose(); });

  it('has one entry per method and path', () => {
    const keys = CONTRACT.map((c) => `${c.method} ${c.url}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(CONTRACT.length).toBeGreaterThan(40);
  });

  it('marks public only liveness and sign-in: the auth hook serves those without a principal', () => {
    expect([...PUBLIC_ROUTES].sort()).toEqual(['/api/v1/auth/link', '/api/v1/auth/login', '/api/v1/status']);
  });

  it('every entry is served', () => {
    const missing = CONTRACT.filter((c) => !t.app.hasRoute({ method: c.method, url: `${API_PREFIX}${c.url}` }));
    expect(missing.map((c) => `${c.method} ${c.url}`)).toEqual([]);
  });

  it('the OpenAPI document has every entry with its answers and its errors by status', async () => {
    const doc = (await t.inject('/api/docs/json')).json<{ paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: { code?: { enum?: string[] } } } }> }> }>> }>();
    const documented = Object.entries(doc.paths).filter(([p]) => p.startsWith(`${API_PREFIX}/`)).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'head').map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(CONTRACT.map((c) => `${c.method} ${openApiPath(c.url)}`).sort());
    for (const c of CONTRACT) {
      const op = doc.paths[openApiPath(c.url)]?.[c.method.toLowerCase()];
      expect(op, `${c.method} ${c.url}`).toBeDefined();
      const statuses = Object.keys(op?.responses ?? {});
      for (const s of Object.keys(c.schema.response)) expect(statuses, `${c.method} ${c.url}`).toContain(s);
      for (const code of errorCodesOf(c)) {
        const codes = Object.values(op?.responses[String(ERRORS[code].status)]?.content ?? {})[0]?.schema.properties?.code?.enum;
        expect(codes, `${c.method} ${c.url} ${code}`).toContain(code);
      }
      if (!c.public) expect(statuses, `${c.method} ${c.url}`).toContain('401');
    }
  });

  it('refuses a request the contract does not allow, naming the field', async () => {
    const r = await t.inject('/api/v1/darknet/timeseries?step=abc');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(r.json<{ message: string }>().message).toContain('querystring/step');
    const low = await t.inject('/api/v1/darknet/timeseries?step=60');
    expect(low.statusCode).toBe(400);
  });

  it('an API route without a contract entry does not start', async () => {
    const app = Fastify();
    installContract(app, { strict: true });
    const start = async (): Promise<void> => {
      await app.register(async (api) => { api.get('/status-copy', async () => ({ ok: true })); }, { prefix: API_PREFIX });
      await app.ready();
    };
    await expect(start()).rejects.toThrow(/GET \/api\/v1\/status-copy has no contract entry/);
    await app.close().catch(() => undefined);
  });

  it('a route is served at its own entry only', async () => {
    const app = Fastify();
    installContract(app, { strict: true });
    const entry = defineRoute({ method: 'GET', url: '/a', errors: [], schema: { tags: [], summary: 'a', response: { 200: z.object({ ok: z.boolean() }) } } });
    const start = async (): Promise<void> => {
      await app.register(async (api) => { api.get('/b', { config: { contract: entry } }, async () => ({ ok: true })); }, { prefix: API_PREFIX });
      await app.ready();
    };
    await expect(start()).rejects.toThrow(/registered with the contract of GET \/a/);
    await app.close().catch(() => undefined);
  });

  it('answers go out as declared: strict refuses an undeclared field or status, production drops the field', async () => {
    const Answer = z.object({ id: z.number(), at: z.string() });
    const entry = defineRoute({ method: 'GET', url: '/thing', errors: [], schema: { tags: [], summary: 'x', response: { 200: Answer } } });
    for (const strict of [true, false]) {
      const app = Fastify();
      installContract(app, { strict });
      await app.register(async (api) => {
        // A domain object with a field the contract does not declare (a hash, say), and a Date.
        serveRoute(api, entry, async (req, reply) => {
          // A status the contract does not declare (the typed reply would not let us say it).
          const untyped: FastifyReply = reply;
          if ((req.query as { created?: string }).created) return untyped.status(201).send({ id: 2, at: 'x' });
          return { id: 1, at: new Date(Date.UTC(2026, 0, 2)), secret: 'hash' } as { id: number; at: Date };
        });
      }, { prefix: API_PREFIX });
      const r = await app.inject('/api/v1/thing');
      if (strict) {
        expect(r.statusCode).toBe(500);
        expect((await app.inject('/api/v1/thing?created=1')).statusCode).toBe(500);
      } else {
        expect(r.statusCode).toBe(200);
        expect(r.json()).toEqual({ id: 1, at: '2026-01-02T00:00:00.000Z' });
      }
      await app.close();
    }
  });

  it('the serializer names what does not match', () => {
    const ser = zodSerializerCompiler({ strict: false })({ schema: z.object({ n: z.number() }), method: 'GET', url: '/x', httpStatus: '200' });
    expect(() => ser({ n: 'one' })).toThrow(ContractViolation);
    expect(() => ser({ n: 'one' })).toThrow(/GET \/x \(200\).*n:/);
    expect(droppedFields({ a: 1, b: [{ c: 1, d: 2 }] }, { a: 1, b: [{ c: 1 }] })).toEqual(['b[0].d']);
  });
});
