import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { recordEgress } from '../share/policy/egress-audit.js';
import { namingsFor } from '../share/policy/red-recipients.js';
import { TLP2_IDS } from '../share/stix/tlp.js';

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

  describe('across organisations', () => {
    const key = async (username: string, role: 'analyst' | 'org-admin' | 'org-member', org?: string): Promise<Record<string, string>> => {
      await createUser(t.ctx.state, { username, password: TEST_PASSWORD, role, ...(org ? { org } : {}) });
      return { authorization: `Bearer ${(await createApiKey(t.ctx.state, username, 'k', role === 'org-member' ? ['read'] : ['read', 'write'])).key}` };
    };
    let ann: Record<string, string>, mel: Record<string, string>, bob: Record<string, string>;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      ann = await key('ann', 'analyst');
      mel = await key('mel', 'org-member', a);
      bob = await key('bob', 'org-member', b);
      for (const r of await t.ctx.state.query<{ id: string; username: string }>("SELECT id, username FROM users WHERE username IN ('ann', 'mel', 'bob', 'alice')")) ids[r.username] = r.id;
    });

    it('the egress audit: the platform admins read it all; anyone else the deliveries to its organisation and its users, or to itself', async () => {
      const base = { version: V, collectionId: 'c', reason: 'green-community', path: 'rest' } as const;
      await recordEgress(t.ctx.state, [
        { ...base, userId: ids.mel ?? '', orgId: a, objectId: 'indicator--to-mel', ownerOrgId: null },
        { ...base, userId: ids.bob ?? '', orgId: b, objectId: 'indicator--to-bob', ownerOrgId: a },
        { ...base, userId: ids.ann ?? '', orgId: null, objectId: 'indicator--to-ann', ownerOrgId: null },
        // Delivered to a user of Alpha whose organisation was not recorded (a key's user, say): still Alpha's.
        { ...base, userId: ids.alice ?? '', orgId: null, objectId: 'indicator--to-alice', ownerOrgId: null },
      ], new Date('2026-12-05T00:00:00Z'));
      const seen = async (headers: Record<string, string> | undefined): Promise<string[]> => {
        const r = await t.inject({ url: '/api/v1/share/egress?since=2026-12-05&limit=100', ...(headers ? { headers } : {}) });
        expect(r.statusCode, r.body).toBe(200);
        return r.json<{ entries: { objectId: string }[] }>().entries.map((e) => e.objectId).sort();
      };
      expect(await seen(undefined)).toEqual(['indicator--to-alice', 'indicator--to-ann', 'indicator--to-bob', 'indicator--to-mel']);
      expect(await seen(ann), 'an analyst: only what went to itself').toEqual(['indicator--to-ann']);
      expect(await seen(mel), 'a member: its organisation and its users').toEqual(['indicator--to-alice', 'indicator--to-mel']);
      expect(await seen(bob)).toEqual(['indicator--to-bob']);
      expect(await seen(alice), "an organisation admin: also where its organisation's objects went").toEqual(['indicator--to-alice', 'indicator--to-bob', 'indicator--to-mel']);
    });

    it('naming TLP:RED recipients answers the same for an unknown name and a user the caller may not see, and names the latter', async () => {
      const obj = 'indicator--7c1f0d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
      const name = (users: string[], headers?: Record<string, string>) =>
        t.inject({ method: 'POST', url: '/api/v1/share/red-recipients', payload: { objectId: obj, version: V, users }, ...(headers ? { headers } : {}) });
      const unknown = await name(['nobody-by-this-name'], alice);
      const elsewhere = await name(['bob'], alice);
      expect([unknown.statusCode, unknown.json()]).toEqual([200, { named: [] }]);
      expect([elsewhere.statusCode, elsewhere.json()]).toEqual([unknown.statusCode, unknown.json()]);
      expect((await name(['mel', 'nobody-by-this-name'], alice)).json()).toEqual({ named: [ids.mel] });
      const namings = (await namingsFor(t.ctx.state, [{ id: obj, version: V }])).get(`${obj}|${V}`) ?? [];
      expect(namings.map((n) => n.userId).sort(), 'RED crosses organisations: bob is named').toEqual([ids.bob, ids.mel].sort());
      // The platform sees every user: a typo is worth telling.
      expect((await name(['nobody-by-this-name'])).json()).toMatchObject({ code: 'NOT_FOUND', where: { field: 'users.0' } });
    });

    it('the dry run answers the same for an unknown name and a user the caller may not see', async () => {
      const red = { type: 'indicator', spec_version: '2.1', id: 'indicator--0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a', created: V, modified: V, pattern: "[ipv4-addr:value = '192.0.2.1']", pattern_type: 'stix', valid_from: V, object_marking_refs: [TLP2_IDS.red] };
      const run = (redRecipients: string[], headers?: Record<string, string>) =>
        t.inject({ method: 'POST', url: '/api/v1/share/dry-run', payload: { objects: [red], redRecipients }, ...(headers ? { headers } : {}) });
      const unknown = await run(['nobody-by-this-name'], alice);
      const elsewhere = await run(['bob'], alice);
      expect(unknown.statusCode, unknown.body).toBe(200);
      expect(elsewhere.json()).toEqual(unknown.json());
      // The platform sees bob named, so the two answers above are the same by design, not because bob was ignored.
      expect((await run(['bob'])).json<{ objects: { users: { username: string; reason: string }[] }[] }>().objects[0]?.users).toContainEqual(expect.objectContaining({ username: 'bob', reason: 'red-named' }));
      expect((await run(['nobody-by-this-name'])).json()).toMatchObject({ code: 'NOT_FOUND', where: { field: 'redRecipients.0' } });
    });
  });
});
