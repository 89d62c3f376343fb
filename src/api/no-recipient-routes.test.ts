import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { addPrefixes, createOrg } from '../orgs/org-store.js';
import { writeServices } from '../services/service-writer.js';
import { serviceRow } from '../schema/service-observation.js';
import { buildCases } from '../cases/build-cases.js';
import { outboxMailer } from '../notify/channels/outbox.js';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';

describe('no-recipient summary and the demo outbox', () => {
  let t: TempApp;
  let analyst: Record<string, string>;
  let member: Record<string, string>;
  beforeAll(async () => {
    t = await tempApp('no-recipient', {}, { demo: true });
    const a = await createOrg(t.ctx.state, { name: 'ISP A', kind: 'isp', emails: ['abuse@isp-a.example'] });
    await addPrefixes(t.ctx.state, a.id, ['192.0.2.0/24']);
    await createUser(t.ctx.state, { username: 'ana', password: TEST_PASSWORD, role: 'analyst' });
    await createUser(t.ctx.state, { username: 'mem', password: TEST_PASSWORD, role: 'org-admin', org: a.id });
    analyst = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'ana', 'k', ['read'])).key}` };
    member = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'mem', 'k', ['read', 'write'])).key}` };
    const svc = (ip: string, port: number) => serviceRow({ source: 'survey', ip, port, transport: 'tcp', service: 'telnet', weak_credential: 1 }, '2026-11-10T00:00:00Z');
    await writeServices(t.ctx.events, t.ctx.enricher, [svc('192.0.2.1', 23), svc('203.0.113.9', 23), svc('203.0.113.9', 2323), svc('203.0.113.10', 23)], { dedupToken: 'nr-1' });
    await buildCases(t.ctx, { now: new Date('2026-11-11T00:00:00Z') });
  }, 120_000);
  afterAll(async () => t.dispose());

  it('counts the findings nobody can be told about, for those who see everything only', async () => {
    const r = await t.inject({ url: '/api/v1/cases/no-recipient' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ builtAt: '2026-11-11T00:00:00.000Z', findings: 3, addresses: 2, byKind: [{ kind: 'default_credential', addresses: 2 }], legacyUnassignedCases: 0 });
    expect((await t.inject({ url: '/api/v1/cases' })).json<{ total: number }>().total).toBe(1);
    expect((await t.inject({ url: '/api/v1/cases/no-recipient', headers: analyst })).statusCode).toBe(200);
    const denied = await t.inject({ url: '/api/v1/cases/no-recipient', headers: member });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists what the outbox kept, once per Message-ID, to platform admins only', async () => {
    const mailer = outboxMailer(t.ctx.state, () => new Date('2026-11-12T09:00:00Z'));
    const m = { to: 'abuse@isp-a.example', subject: 'notice', text: 'line 1\nline 2', messageId: '<delivery-1@sakimori>' };
    expect(await mailer.send(m)).toEqual({ ok: true });
    await mailer.send(m);
    const r = await t.inject({ url: '/api/v1/demo/outbox' });
    expect(r.json()).toEqual({ demo: true, total: 1, messages: [{ messageId: '<delivery-1@sakimori>', sentAt: '2026-11-12T09:00:00.000Z', recipient: 'abuse@isp-a.example', subject: 'notice', text: 'line 1\nline 2' }] });
    expect((await t.inject({ url: '/api/v1/demo/outbox', headers: analyst })).statusCode).toBe(403);
    expect((await t.inject({ url: '/api/v1/demo/outbox', headers: member })).statusCode).toBe(403);
  });
});
