import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { recordEgress } from '../share/policy/egress-audit.js';

const OBJ = 'identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const V = '2026-12-01T00:00:00.000Z';

describe('sharing policy routes', () => {
  let t: TempApp;
  let a: string, b: string;
  let alice: Record<string, string>;
  beforeAll(async () => {
    t = await tempApp('share-policy-api');
    a = (await createOrg(t.ctx.state, { name: 'Alpha' })).id;
    b = (await createOrg(t.ctx.state, { name: 'Bravo' })).id;
    await createUser(t.ctx.state, { username: 'alice', password: TEST_PASSWORD, role: 'org-admin', org: a });
    alice = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'alice', 'k', ['read', 'write'])).key}` };
  }, 60_000);
  afterAll(() => t.dispose());

  it('an organisation consents for itself only; the platform names the organisation it records for', async () => {
    const own = await t.inject({ method: 'POST', url: '/api/v1/share/consents', headers: alice, payload: { objectId: OBJ, version: V, note: 'signed form 12' } });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ objectId: OBJ, version: V, orgId: a, note: 'signed form 12', withdrawnAt: null });
    const forOther = await t.inject({ method: 'POST', url: '/api/v1/share/consents', headers: alice, payload: { objectId: OBJ, version: V, org: 'Bravo' } });
    expect(forOther.statusCode).toBe(403);
    const admin = await t.inject({ method: 'POST', url: '/api/v1/share/consents', payload: { objectId: OBJ, version: V } });
    expect(admin.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'org' } });
    const recorded = await t.inject({ method: 'POST', url: '/api/v1/share/consents', payload: { objectId: OBJ, version: V, org: 'Bravo' } });
    expect(recorded.json()).toMatchObject({ orgId: b });
    const bad = await t.inject({ method: 'POST', url: '/api/v1/share/consents', headers: alice, payload: { objectId: 'nonsense', version: V } });
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'objectId' } });
    const w = await t.inject({ method: 'POST', url: '/api/v1/share/consents/withdraw', payload: { objectId: OBJ, version: V, org: 'Bravo' } });
    expect(w.json()).toEqual({ withdrawn: true });
  });

  it('says who serves whom, refuses a loop onto itself with the field, and pages the egress audit with filters', async () => {
    const set = await t.inject({ method: 'POST', url: `/api/v1/orgs/${a}/serves`, payload: { orgs: ['Bravo'], relation: 'member' } });
    expect(set.json()).toMatchObject({ orgId: a, serves: [{ servedName: 'Bravo', relation: 'member' }], servedBy: [] });
    const self = await t.inject({ method: 'POST', url: `/api/v1/orgs/${a}/serves`, payload: { orgs: ['Alpha'] } });
    expect(self.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'orgs.0' } });
    const gone = await t.inject({ method: 'DELETE', url: `/api/v1/orgs/${a}/serves/Bravo` });
    expect(gone.json()).toMatchObject({ serves: [] });

    const base = { version: V, collectionId: 'c', reason: 'green-community' } as const;
    await recordEgress(t.ctx.state, [
      { ...base, userId: 'u1', orgId: a, objectId: 'indicator--1', ownerOrgId: b, path: 'taxii' },
      { ...base, userId: 'u2', orgId: b, objectId: 'indicator--2', ownerOrgId: b, path: 'export' },
    ], new Date('2026-12-03T00:00:00Z'));
    const all = (await t.inject('/api/v1/share/egress?limit=1')).json<{ entries: { objectId: string }[]; next: number }>();
    expect(all.entries.map((e) => e.objectId)).toEqual(['indicator--2']);
    const older = (await t.inject(`/api/v1/share/egress?limit=1&before=${all.next}`)).json<{ entries: { objectId: string }[]; next: number | null }>();
    expect(older).toMatchObject({ entries: [{ objectId: 'indicator--1' }], next: null });
    expect((await t.inject('/api/v1/share/egress?path=export')).json<{ entries: unknown[] }>().entries).toHaveLength(1);
    expect((await t.inject('/api/v1/share/egress?since=2026-12-04')).json<{ entries: unknown[] }>().entries).toHaveLength(0);
    expect((await t.inject('/api/v1/share/egress?since=yesterday')).json()).toMatchObject({ code: 'BAD_TIME', where: { field: 'since' } });
    expect((await t.inject('/api/v1/share/egress?path=pigeon')).statusCode).toBe(400);
    // Alice's organisation received indicator--1; indicator--2 went from Bravo to Bravo.
    expect((await t.inject({ url: '/api/v1/share/egress', headers: alice })).json<{ entries: { objectId: string }[] }>().entries.map((e) => e.objectId)).toEqual(['indicator--1']);
  });
});
