import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migrateState } from '../../store/migrate.js';
import { createOrg } from '../../orgs/org-store.js';
import { createUser } from '../../auth/users.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { seededRandom } from '../../util/seeded-random.js';
import { addServes } from './community.js';
import { dryRun, restrictDryRun } from './dry-run.js';

const T = '2026-12-01T00:00:00.000Z';
const PW = 'a long enough password';

describe('dry run', () => {
  let state: PgliteStateStore;
  let isp: string, cust: string, other: string, pub: string, friend: string, admin: string;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    isp = (await createOrg(state, { name: 'ISP' })).id;
    cust = (await createOrg(state, { name: 'Customer' })).id;
    other = (await createOrg(state, { name: 'Other' })).id;
    await addServes(state, isp, [cust], 'customer');
    pub = (await createUser(state, { username: 'pub', password: PW, role: 'org-member', org: isp })).id;
    friend = (await createUser(state, { username: 'friend', password: PW, role: 'org-member', org: other })).id;
    admin = (await createUser(state, { username: 'root', password: PW, role: 'platform-admin' })).id;
  }, 60_000);
  afterAll(async () => { await state.close(); });

  const indicator = (marking: string): Record<string, unknown> => ({ type: 'indicator', spec_version: '2.1', id: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', created: T, modified: T, pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: T, object_marking_refs: [marking] });

  it('names the organisations and users that would receive each object, with reasons', async () => {
    const [amber] = await dryRun(state, { objects: [indicator(TLP2_IDS.amber)], audience: [isp], owner: { orgId: isp, userId: pub } });
    expect(amber?.organisations.map((o) => [o.name, o.reason])).toEqual([['Customer', 'amber-served'], ['ISP', 'owner']]);
    expect(amber?.users.map((u) => [u.username, u.reason])).toEqual([['root', 'operator']]);
    const [red] = await dryRun(state, { objects: [indicator(TLP2_IDS.red)], audience: [isp], owner: { orgId: isp, userId: pub }, redRecipients: [friend] });
    expect(red?.organisations.map((o) => o.name)).toEqual(['ISP']);
    expect(red?.users.map((u) => [u.username, u.reason])).toEqual([['friend', 'red-named']]);
    // An organisation member learns only its own organisation; the others are counted.
    expect(restrictDryRun(amber as NonNullable<typeof amber>, isp, pub)).toMatchObject({ organisations: [{ name: 'ISP' }], users: [], otherOrganisations: 1 });
    expect(admin).toBeTruthy();
  });

  it('shows the victim-identifying fields and holds the object back without consent', async () => {
    const [s] = await dryRun(state, {
      objects: [{ type: 'sighting', spec_version: '2.1', id: 'sighting--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', created: T, modified: T, sighting_of_ref: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', where_sighted_refs: ['identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d'], object_marking_refs: [TLP2_IDS.clear] }],
      audience: [], owner: { orgId: isp, userId: pub },
    });
    expect(s).toMatchObject({ tlp: 'clear', heldForConsent: true, victimFields: [{ path: 'where_sighted_refs', action: 'replace-with-hub' }], users: [] });
    expect(s?.organisations.map((o) => o.name)).toEqual(['ISP']);
  });

  it('reports unreadable input one by one and never crashes on corrupted objects (seeded fuzz)', async () => {
    const rand = seededRandom(6);
    const good = JSON.stringify(indicator(TLP2_IDS.green));
    const inputs: unknown[] = [null, 7, 'text', [], { type: 1, id: 'x' }];
    for (let i = 0; i < 200; i++) {
      const t = good.slice(0, Math.floor(rand() * good.length)) + (rand() < 0.5 ? '}' : '');
      try { inputs.push(JSON.parse(t)); } catch { inputs.push(t); }
    }
    const out = await dryRun(state, { objects: inputs, audience: [isp], owner: { orgId: isp, userId: pub } });
    expect(out).toHaveLength(inputs.length);
    expect(out.slice(0, 5).map((r) => r.problems[0]?.path)).toEqual(['objects.0', 'objects.1', 'objects.2', 'objects.3', 'objects.4']);
    for (const r of out.filter((x) => x.problems.length)) expect(r).toMatchObject({ heldForConsent: true, users: [] });
  });
});
