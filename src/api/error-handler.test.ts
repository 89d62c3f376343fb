/**
 * The API's error answers (issue 12 item 7): a user's error keeps its message and where; anything
 * else answers only a code, the catalogue message and an error id, and the log holds the rest
 * (SQL, store message, stack) under that id.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { installErrorHandler } from './error-handler.js';

const SQL = 'SELECT secret_column FROM darknet_source_day WHERE asn IN {ntk_asns:Array(UInt32)}';

describe('API error handler', () => {
  let app: FastifyInstance;
  const log: string[] = [];

  beforeAll(async () => {
    app = Fastify({ bodyLimit: 100, logger: { level: 'error', stream: { write: (line: string) => void log.push(line) } } });
    installErrorHandler(app);
    app.get('/store', async () => {
      throw new SakimoriError('STORE_QUERY_FAILED', `Code: 184. DB::Exception: Aggregate function found in WHERE: ${SQL}`, { store: 'chdb', sql: SQL });
    });
    app.get('/bug', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'password_hash') at /srv/sakimori/src/auth/sessions.ts:40");
    });
    app.get('/user-error', async () => {
      throw new SakimoriError('BAD_IP', 'not-an-ip', { field: 'ip' });
    });
    app.get('/throttled', async () => {
      throw new SakimoriError('AUTH_THROTTLED', 'wait 4 s', { retryAfter: 4 });
    });
    app.post<{ Body: { n: number } }>('/typed', { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } }, async (req) => ({ n: req.body.n }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers a failed store query with code, catalogue message and error id; the log has the SQL under that id', async () => {
    const r = await app.inject({ url: '/store' });
    expect(r.statusCode).toBe(500);
    const body = r.json<Record<string, string>>();
    expect(Object.keys(body).sort()).toEqual(['code', 'errorId', 'message']);
    expect(body).toMatchObject({ code: 'STORE_QUERY_FAILED', message: 'store query failed' });
    expect(r.body).not.toMatch(/SELECT|secret_column|DB::Exception|chdb/);
    const line = log.find((l) => l.includes(body['errorId'] as string));
    expect(line, 'a log line with the error id').toBeDefined();
    expect(line).toContain('secret_column');
    expect(line).toContain('DB::Exception');
    expect(line).toMatch(/"stack":/);
  });

  it('answers an unexpected error as INTERNAL with a fresh error id each time, nothing of its message', async () => {
    const [a, b] = [await app.inject({ url: '/bug' }), await app.inject({ url: '/bug' })];
    expect(a.statusCode).toBe(500);
    expect(a.json()).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
    expect(Object.keys(a.json<object>()).sort()).toEqual(['code', 'errorId', 'message']);
    expect(a.body).not.toMatch(/password_hash|\/srv|TypeError/);
    expect(a.json<{ errorId: string }>().errorId).not.toBe(b.json<{ errorId: string }>().errorId);
    expect(log.some((l) => l.includes(a.json<{ errorId: string }>().errorId) && l.includes('password_hash'))).toBe(true);
  });

  it("keeps a user's error as it is: status, code, message, where; a 429 says when to retry", async () => {
    const r = await app.inject({ url: '/user-error' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ code: 'BAD_IP', message: 'not a valid IP address: not-an-ip (field=ip)', where: { field: 'ip' } });
    const t = await app.inject({ url: '/throttled' });
    expect(t.statusCode).toBe(429);
    expect(t.json()).toMatchObject({ code: 'AUTH_THROTTLED', where: { retryAfter: 4 } });
    expect(t.headers['retry-after']).toBe('4');
  });

  it("keeps Fastify's own request errors a 4xx: validation, bad JSON, body too large, wrong media type", async () => {
    const invalid = await app.inject({ method: 'POST', url: '/typed', payload: { n: 'x' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const json = await app.inject({ method: 'POST', url: '/typed', headers: { 'content-type': 'application/json' }, payload: '{"n":' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const large = await app.inject({ method: 'POST', url: '/typed', payload: { n: 1, pad: 'x'.repeat(500) } });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const media = await app.inject({ method: 'POST', url: '/typed', headers: { 'content-type': 'application/x-nothing' }, payload: 'n=1' });
    expect(media.statusCode).toBe(415);
    for (const r of [invalid, json, large, media]) expect(r.json()).not.toHaveProperty('errorId');
  });
});
