import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { createCollection } from '../share/taxii/collections.js';
import { candidateHash, communityKeyOf } from '../flows/share/community-key.js';
import type { CorroborationAnswer } from './contract/flow-share.js';

const KEY = communityKeyOf(Buffer.alloc(32, 3));
const H1 = candidateHash(KEY, '45.77.10.20|443|6');
const H2 = candidateHash(KEY, '45.77.10.21|443|6');
const H3 = candidateHash(KEY, '45.77.10.22|443|6');
const today = new Date().toISOString().slice(0, 10);
const body = (hashes: string[], org?: string) => ({ ...(org ? { org } : {}), keyId: KEY.keyId, entries: hashes.map((hash) => ({ hash, bucket: '2-9', day: today })) });

describe('corroboration routes', () => {
  let t: TempApp;
  const as: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    t = await tempApp('flow-share-api');
    for (const [org, user, role] of [['Alpha ISP', 'alice', 'org-admin'], ['Bravo ISP', 'bob', 'org-admin'], ['Charlie ISP', 'carol', 'org-admin'], ['Charlie ISP', 'chris', 'org-member']] as const) {
      if (!(await t.ctx.state.query('SELECT 1 FROM organisations WHERE name = $1', [org])).length) await createOrg(t.ctx.state, { name: org, kind: 'isp' });
      await createUser(t.ctx.state, { username: user, password: TEST_PASSWORD, role, org });
      as[user] = { authorization: `Bearer ${(await createApiKey(t.ctx.state, user, 'k', role === 'org-member' ? ['read'] : ['read', 'write'])).key}` };
    }
  }, 120_000);
  afterAll(() => t.dispose());

  const post = (who: string, payload: Record<string, unknown>) => t.inject({ method: 'POST', url: '/api/v1/flows/corroboration', headers: as[who], payload });
  const get = (who: string, q = '') => t.inject({ url: `/api/v1/flows/corroboration${q}`, headers: as[who] });

  it('refuses anonymous requests', async () => {
    for (const r of [
      await t.app.inject({ method: 'POST', url: '/api/v1/flows/corroboration', payload: body([H1]) }),
      await t.app.inject({ url: '/api/v1/flows/corroboration' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/flows/corroboration/key', payload: {} }),
    ]) expect(r.statusCode).toBe(401);
  });

  it('a carrier submits for its own organisation only; answers count the others for its own hashes only', async () => {
    expect((await post('alice', body([H1, H2]))).json()).toMatchObject({ stored: 2, entries: 2 });
    expect((await post('bob', body([H1]))).statusCode).toBe(200);
    expect((await post('carol', body([H3]))).statusCode).toBe(200);
    // Another organisation's name, a member without write scope: refused, nothing stored.
    expect((await post('alice', body([H3], 'Bravo ISP'))).statusCode).toBe(403);
    expect((await post('chris', body([H3]))).statusCode).toBe(403);

    const a = (await get('alice')).json<CorroborationAnswer>();
    expect(a.answers.map((x) => [x.hash, x.others])).toEqual([[H1, 1], [H2, 0]]);
    const b = (await get('bob')).json<CorroborationAnswer>();
    expect(b.answers.map((x) => [x.hash, x.others])).toEqual([[H1, 1]]);
    const c = (await get('chris')).json<CorroborationAnswer>();
    expect(c.answers.map((x) => [x.hash, x.others])).toEqual([[H3, 0]]);
    // Nobody learns another's hashes or who the others are.
    expect(JSON.stringify(b)).not.toContain(H2);
    expect(JSON.stringify(c)).not.toContain(H1);
    for (const r of [a, b, c]) expect(JSON.stringify(r)).not.toMatch(/Alpha|Bravo|Charlie|alice|bob|carol/);
  });

  it('refuses reading across organisations, and asks an operator which carrier', async () => {
    expect((await get('alice', '?org=Bravo%20ISP')).statusCode).toBe(403);
    expect((await get('chris', '?org=Alpha%20ISP')).statusCode).toBe(403);
    expect((await t.inject('/api/v1/flows/corroboration')).json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'org' } });
    const ops = (await t.inject('/api/v1/flows/corroboration?org=Bravo%20ISP')).json<CorroborationAnswer>();
    expect(ops.answers.map((x) => x.hash)).toEqual([H1]);
    expect((await t.inject('/api/v1/flows/corroboration?org=Nobody')).statusCode).toBe(404);
  });

  it('publishes candidates for whoever may write the collection; a dry run names who would receive them', async () => {
    await createCollection(t.ctx.state, { title: 'C&C', alias: 'c2', read: ['Alpha ISP', 'Bravo ISP'], write: ['Alpha ISP'] }, 'test-admin');
    const candidate = { server: '45.77.10.20', port: 443, proto: 6, score: 0.7, parts: { beacon: 0.7 }, clients: 5, firstSeen: new Date(Date.now() - 86_400_000).toISOString(), lastSeen: new Date().toISOString(), evidence: [{ client: '133.45.6.7', start: new Date().toISOString(), octets: 1, packets: 1, note: 'x' }] };
    const payload = { collection: 'c2', tlp: 'amber', dryRun: true, candidates: [candidate] };
    const alice = await t.inject({ method: 'POST', url: '/api/v1/flows/candidates/publish', headers: as['alice'], payload });
    expect(alice.statusCode, alice.body).toBe(200);
    // A member sees its own organisation named and the others only counted.
    expect(alice.json()).toMatchObject({ created: 1, stored: 0, recipients: { organisations: [{ name: 'Alpha ISP' }] } });
    expect(alice.body).not.toContain('133.45.6.7');
    expect((await t.inject({ method: 'POST', url: '/api/v1/flows/candidates/publish', headers: as['bob'], payload })).statusCode).toBe(403);
    const bad = await t.inject({ method: 'POST', url: '/api/v1/flows/candidates/publish', payload: { ...payload, candidates: [{ ...candidate, port: 'https' }] } });
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'candidates.0.port' } });
  });

  it('validates submissions with the field, and hands the key to nobody over the network', async () => {
    expect((await post('alice', { keyId: KEY.keyId, entries: [{ hash: 'nothex', bucket: '1', day: today }] })).json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await post('alice', { keyId: KEY.keyId, entries: [{ hash: H1, bucket: '1', day: 'today' }] })).json()).toMatchObject({ code: 'BAD_TIME', where: { field: 'entries.0.day' } });
    const key = await t.inject({ method: 'POST', url: '/api/v1/flows/corroboration/key', payload: { reveal: true } });
    expect(key.statusCode).toBe(403);
    expect(key.body).not.toMatch(/"key"/);
  });
});
