import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { waitForSurvey } from '../probe/survey-service.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { tempApp, type TempApp } from './testing/temp-app.js';

describe('scope, survey and audit API', () => {
  let t: TempApp;
  let ctx: AppContext;
  let app: Pick<TempApp, 'inject'>;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    t = await tempApp('survey-api', { survey: { ratePerSecond: 500, connectTimeoutMs: 300, readTimeoutMs: 200 } });
    ({ ctx } = t);
    app = t;
    server = createServer((c) => { c.on('error', () => undefined); c.end('hi\r\n'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await t.dispose();
  });

  const valid = { owner: 'lab', legalBasis: 'own hosts', validFrom: new Date(Date.now() - 60_000).toISOString(), validTo: new Date(Date.now() + 3_600_000).toISOString() };

  it('creates, shows and refuses scopes with stable codes', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { ...valid, name: 'loop', cidrs: ['127.0.0.0/30'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'loop', cidrs: ['127.0.0.0/30'], credentialChecks: false });
    const bad = await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { ...valid, name: 'bad', cidrs: ['127.0.0.1/30'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SCOPE_INVALID', where: { field: 'cidrs.0' } });
    const large = await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { ...valid, name: 'v6', cidrs: ['2001:db8::/32'] } });
    expect(large.statusCode).toBe(400);
    expect(large.json()).toMatchObject({ code: 'SCOPE_TOO_LARGE', where: { field: 'cidrs' } });
    expect(large.json().message).toMatch(/2\^96 IPv6 addresses/);
    const confirmed = await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { ...valid, name: 'v6', cidrs: ['2001:db8::/32'], confirmLarge: true } });
    expect(confirmed.statusCode).toBe(201);
    const missing = await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { name: 'x' } });
    expect(missing.statusCode).toBe(400);
    const ex = await app.inject({ method: 'POST', url: '/api/v1/scopes/loop/exclusions', payload: { cidr: '127.0.0.2', reason: 'opt-out' } });
    expect(ex.statusCode).toBe(201);
    const g = await app.inject({ method: 'POST', url: '/api/v1/exclusions', payload: { cidr: '10.0.0.0/8', reason: 'not ours' } });
    expect(g.json()).toMatchObject({ scopeId: null, cidr: '10.0.0.0/8' });
    const shown = await app.inject({ url: '/api/v1/scopes/loop' });
    expect(shown.json().exclusions).toHaveLength(2);
    expect((await app.inject({ url: '/api/v1/scopes/nope' })).json().code).toBe('SCOPE_NOT_FOUND');
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/exclusions/${g.json().id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/exclusions/99999' })).statusCode).toBe(404);
  });

  it('runs a survey in the background, reports it and its audit trail', async () => {
    const start = await app.inject({ method: 'POST', url: '/api/v1/surveys', payload: { scope: 'loop', ports: [port], modules: [] } });
    expect(start.statusCode).toBe(202);
    const { runId } = start.json() as { runId: string };
    await waitForSurvey(runId);
    const run = await app.inject({ url: `/api/v1/surveys/${runId}` });
    expect(run.json()).toMatchObject({ id: runId, status: 'done', scopeName: 'loop', targetsTotal: 4, targetsDone: 4, openPorts: 1, services: 1 });
    expect((await app.inject({ url: '/api/v1/surveys?scope=loop' })).json()).toHaveLength(1);
    const audit = (await app.inject({ url: `/api/v1/audit?run=${runId}` })).json() as { targetIp: string; module: string }[];
    expect(audit.map((a) => a.targetIp).sort()).toEqual(['127.0.0.0', '127.0.0.1', '127.0.0.3']);
    expect((await app.inject({ url: '/api/v1/audit?target=not-an-ip' })).json().code).toBe('SCOPE_INVALID');
    expect((await app.inject({ method: 'POST', url: `/api/v1/surveys/${runId}/stop` })).json()).toEqual({ runId, stopping: false });
  });

  it('refuses a survey of an expired or unknown scope before anything is sent', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/scopes', payload: { ...valid, name: 'old', cidrs: ['127.0.0.0/30'], validFrom: '2020-01-01T00:00:00Z', validTo: '2021-01-01T00:00:00Z' } });
    const r = await app.inject({ method: 'POST', url: '/api/v1/surveys', payload: { scope: 'old', ports: [port] } });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('SCOPE_EXPIRED');
    expect((await app.inject({ method: 'POST', url: '/api/v1/surveys', payload: { scope: 'ghost', ports: [port] } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/surveys', payload: { scope: 'loop', ports: [port], modules: ['nonexistent'] } })).json().code).toBe('BAD_REQUEST');
    expect((await app.inject({ url: '/api/v1/surveys/run-none' })).json().code).toBe('SURVEY_NOT_FOUND');
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/scopes', '/api/v1/scopes/{ref}', '/api/v1/surveys', '/api/v1/surveys/{id}', '/api/v1/audit', '/api/v1/exclusions']) expect(doc.paths[p], p).toBeDefined();
  });

  it('is for platform administrators only', async () => {
    const PW = 'a-long-enough-password-42';
    const org = await createOrg(ctx.state, { name: 'ISP B', kind: 'isp' });
    await createUser(ctx.state, { username: 'root', password: PW, role: 'platform-admin' });
    await createUser(ctx.state, { username: 'carol', password: PW, role: 'org-member', org: org.id });
    const admin = { authorization: `Bearer ${(await createApiKey(ctx.state, 'root', 'a', ['read', 'write', 'admin'])).key}` };
    const member = { authorization: `Bearer ${(await createApiKey(ctx.state, 'carol', 'm', ['read'])).key}` };
    for (const url of ['/api/v1/scopes', '/api/v1/surveys', '/api/v1/audit', '/api/v1/exclusions']) {
      const r = await app.inject({ url, headers: member });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN');
      expect((await app.inject({ url, headers: admin })).statusCode, url).toBe(200);
    }
  });
});
