/**
 * Campaigns end to end on the embedded stores: computed through the API by the platform admin
 * (never by an organisation), cases built from their members per organisation, and each
 * organisation reading only its own members, impact and cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../config/schema.js';
import { openContext, type AppContext } from '../app/context.js';
import { buildApp } from './app.js';
import { addPrefixes, createOrg } from '../orgs/org-store.js';
import { createUser } from '../auth/users.js';
import { buildCases } from '../cases/build-cases.js';
import { verifyCases } from '../cases/verify-cases.js';
import { CAMPAIGN_TIE_KINDS, type CampaignDetail, type CampaignList } from './contract/honeypot.js';
import { TIE_KINDS } from '../correlate/campaigns/tie-rules.js';
import { DICT_ONLY, MIRAI_A, MIRAI_B, writeScenario } from '../correlate/campaigns/testing/campaign-scenario.js';
import { writeHoneypotEvents } from '../honeypot/store/write-events.js';

const PW = 'a long enough password';

describe('campaign routes and the cases they feed', () => {
  let dir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  const sessions: Record<string, Record<string, string>> = {};
  const as = (user: string, method: 'GET' | 'POST', url: string) => app.inject({ method, url, headers: sessions[user] ?? {} });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-campaign-routes-'));
    ctx = await openContext(configSchema.parse({ dataDir: dir }));
    app = await buildApp(ctx);
    const a = await createOrg(ctx.state, { name: 'Org Alpha', kind: 'isp', emails: ['abuse@alpha.example'] });
    const b = await createOrg(ctx.state, { name: 'Org Bravo', kind: 'isp', emails: ['abuse@bravo.example'] });
    await addPrefixes(ctx.state, a.id, ['192.0.2.0/25']);
    await addPrefixes(ctx.state, b.id, ['198.51.100.0/24']);
    await createUser(ctx.state, { username: 'admin', password: PW, role: 'platform-admin' });
    await createUser(ctx.state, { username: 'alice', password: PW, role: 'org-admin', org: a.id });
    await createUser(ctx.state, { username: 'bob', password: PW, role: 'org-member', org: b.id });
    for (const u of ['admin', 'alice', 'bob']) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: PW } });
      const token = /sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? '';
      sessions[u] = { cookie: `sakimori_session=${token}`, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken };
    }
    await writeScenario(ctx.events);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('declares the tie kinds in the contract as the computation numbers them', () => {
    expect([...CAMPAIGN_TIE_KINDS]).toEqual([...TIE_KINDS]);
  });

  it('is computed by the platform admin only, and nothing is served anonymously', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/campaigns' })).statusCode).toBe(401);
    expect((await as('alice', 'POST', '/api/v1/campaigns/compute')).statusCode).toBe(403);
    expect((await as('alice', 'GET', '/api/v1/campaigns')).json<CampaignList>()).toMatchObject({ computedAt: null, campaigns: [] });
    const r = await as('admin', 'POST', '/api/v1/campaigns/compute');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ campaigns: 2, members: MIRAI_A.length + MIRAI_B.length + DICT_ONLY.length });
  });

  it('feeds cases: each organisation gets cases for its own member devices only, and impact links them', async () => {
    const s = await buildCases(ctx);
    expect(s.byKind['campaign_infection']).toBe(MIRAI_A.length + MIRAI_B.length);
    const cases = await ctx.state.query<{ id: string; ip: string; recipient_name: string; detail: { campaignName: string; ties: string[] } }>(
      "SELECT id::text, host(ip) AS ip, recipient_name, detail FROM cases WHERE kind = 'campaign_infection' ORDER BY ip",
    );
    expect(cases.filter((c) => c.recipient_name === 'Org Alpha').map((c) => c.ip)).toEqual(MIRAI_A);
    expect(cases.filter((c) => c.recipient_name === 'Org Bravo').map((c) => c.ip)).toEqual(MIRAI_B);
    expect(cases[0]?.detail).toMatchObject({ campaignName: '203.0.113.7 (mirai.arm7)', ties: ['url', 'url-host', 'hash', 'credentials'] });
    // A rebuild opens nothing new.
    expect((await buildCases(ctx)).opened).toBe(0);

    const alice = (await as('alice', 'GET', '/api/v1/campaigns')).json<CampaignList>();
    expect(alice.campaigns).toHaveLength(1);
    const [impactA] = alice.campaigns[0]?.impact ?? [];
    expect(alice.campaigns[0]?.impact).toHaveLength(1);
    expect(impactA).toMatchObject({ org: 'Org Alpha', devices: MIRAI_A.length, cases: MIRAI_A.length });
    expect(cases.filter((c) => c.recipient_name === 'Org Alpha').map((c) => c.id)).toContain(impactA?.caseId);
    // The case is A's to read; B's member cannot.
    expect((await as('alice', 'GET', `/api/v1/cases/${impactA?.caseId}`)).statusCode).toBe(200);
    expect((await as('bob', 'GET', `/api/v1/cases/${impactA?.caseId}`)).statusCode).toBe(404);

    const admin = (await as('admin', 'GET', '/api/v1/campaigns')).json<CampaignList>();
    expect(admin.campaigns[0]?.impact.map((i) => [i.org, i.devices, i.cases])).toEqual([['Org Alpha', 3, 3], ['Org Bravo', 2, 2]]);
  });

  it('gives a member only its own members in the sample, and NOT_FOUND for a campaign it has none in', async () => {
    const admin = (await as('admin', 'GET', '/api/v1/campaigns')).json<CampaignList>();
    const [mirai, dict] = admin.campaigns;
    const bob = await as('bob', 'GET', `/api/v1/campaigns/${mirai?.id}`);
    expect(bob.statusCode).toBe(200);
    const detail = bob.json<CampaignDetail>();
    expect(detail.sample.map((m) => m.ip)).toEqual(expect.arrayContaining(MIRAI_B));
    expect(detail.sample).toHaveLength(MIRAI_B.length);
    expect(detail.impact.map((i) => i.org)).toEqual(['Org Bravo']);
    expect(bob.body).not.toContain('192.0.2.');
    expect(bob.body).not.toContain('Org Alpha');
    const none = await as('bob', 'GET', `/api/v1/campaigns/${dict?.id}`);
    expect(none.statusCode).toBe(404);
    expect((await as('bob', 'GET', '/api/v1/campaigns/cmp-000000000000')).json()).toMatchObject({ code: none.json<{ code: string }>().code });
    expect((await as('admin', 'GET', `/api/v1/campaigns/${dict?.id}`)).json<CampaignDetail>().sample.map((m) => m.ip).sort()).toEqual(DICT_ONLY);
  });

  it('resolves a device case once the honeypots, covering the quiet days, saw nothing more from it', async () => {
    // The honeypots go on seeing others for 8 more days; 192.0.2.10 keeps coming back, the rest stay quiet.
    await writeHoneypotEvents(ctx.events, [
      { ts: '2026-11-11T00:00:00Z', honeypot: 'cowrie', kind: 'session.connect', src: '192.0.2.10' },
      { ts: '2026-11-12T00:00:00Z', honeypot: 'cowrie', kind: 'session.connect', src: '100.64.0.1' },
    ], { token: 'later' });
    const v = await verifyCases(ctx, { quietDays: 7, now: new Date('2026-11-12T00:00:00Z') });
    expect(v.byKind['campaign_infection']).toBe(MIRAI_A.length + MIRAI_B.length - 1);
    const open = await ctx.state.query<{ ip: string }>("SELECT host(ip) AS ip FROM cases WHERE kind = 'campaign_infection' AND state <> 'resolved'");
    expect(open.map((c) => c.ip)).toEqual(['192.0.2.10']);
  });
});
