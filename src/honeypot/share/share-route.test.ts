/**
 * `sakimori share honeypot` and POST /api/v1/honeypot/share answer alike from the same function:
 * operators publish, members are refused, a collection nobody may see is not found; the CLI's
 * dry run stores nothing and names what would be published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from '../../api/testing/temp-app.js';
import { runCli } from '../../../test/helpers/cli.js';
import { createUser } from '../../auth/users.js';
import { createApiKey } from '../../auth/api-keys.js';
import { createOrg } from '../../orgs/org-store.js';
import { createCollection } from '../../share/taxii/collections.js';
import { readObjects } from '../../share/taxii/object-store.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { cowrieLikeDay } from '../testing/cowrie-like-day.js';
import type { HoneypotShareAnswer } from '../../api/contract/honeypot-share.js';

let t: TempApp;
// Yesterday: validity is judged against the real clock here (the route and the CLI take no `now`).
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const TODAY = new Date().toISOString().slice(0, 10);
let coll: string;
let member: Record<string, string>;

beforeAll(async () => {
  t = await tempApp('honeypot-share-route');
  await writeHoneypotEvents(t.ctx.events, cowrieLikeDay(DAY), { token: 'day-1' });
  const org = await createOrg(t.ctx.state, { name: 'Org Alpha', kind: 'isp' });
  coll = (await createCollection(t.ctx.state, { title: 'Honeypot feed', read: [org.id], write: [org.id] }, 'setup')).id;
  await createUser(t.ctx.state, { username: 'alice', password: TEST_PASSWORD, role: 'org-admin', org: org.id });
  member = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'alice', 't', ['read', 'write'])).key}` };
}, 120_000);
afterAll(async () => { await t.dispose(); });

const post = (payload: Record<string, unknown>, headers?: Record<string, string>): ReturnType<TempApp['inject']> =>
  t.inject({ method: 'POST', url: '/api/v1/honeypot/share', payload, ...(headers ? { headers } : {}) });

describe('share honeypot', () => {
  it('publishes for an operator, refuses a member, and does not know a missing collection', async () => {
    const dry = await post({ collection: coll, from: DAY, to: TODAY, dryRun: true, tlp: 'green' });
    expect(dry.statusCode, dry.body).toBe(200);
    const d = dry.json<HoneypotShareAnswer>();
    expect(d).toMatchObject({ dryRun: true, created: 7, stored: 0, recipients: { organisations: [expect.objectContaining({ name: 'Org Alpha' })] } });
    expect((await readObjects(t.ctx.state, coll, { limit: 10 })).objects).toEqual([]);
    const real = (await post({ collection: coll, from: DAY, to: TODAY, benignDomains: ['evil.example'] })).json<HoneypotShareAnswer>();
    // evil.example listed as benign: its domain is not published; its URL is, a file came from it.
    expect(real).toMatchObject({ dryRun: false, tlp: 'amber', created: 6, excluded: { 'benign-domain': 1, reserved: 2 } });
    expect(real.stored).toBe(real.objects);
    expect((await post({ collection: coll }, member)).statusCode).toBe(403);
    const missing = await post({ collection: 'no-such-collection' });
    expect(missing.statusCode).toBe(404);
    expect((await post({ collection: coll, from: 'last tuesday' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/honeypot/share', payload: { collection: coll } })).statusCode).toBe(401);
  });

  it('prints the same answer from the CLI (share honeypot --json), and a readable one', async () => {
    await t.app.close();
    await t.ctx.close();
    const r = await runCli(['--data', t.dir, 'share', 'honeypot', '--collection', coll, '--from', DAY, '--to', TODAY, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as HoneypotShareAnswer;
    // Published by the operator above: unchanged; without the benign name, evil.example's domain would be new.
    expect(j).toMatchObject({ dryRun: true, created: 1, unchanged: 6, updated: 0 });
    const human = await runCli(['--data', t.dir, 'share', 'honeypot', '--collection', coll, '--from', DAY, '--to', TODAY, '--dry-run']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^dry run: would publish honeypot indicators into Honeypot feed/);
    expect(human.stdout).toMatch(/observed +3 URLs, 3 hosts, 3 file hashes/);
    expect(human.stdout).toMatch(/reserved +2/);
    expect(human.stdout).toContain("[domain-name:value = 'evil.example']");
  }, 120_000);
});
