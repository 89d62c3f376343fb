import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migrateState } from '../../store/migrate.js';
import { createOrg } from '../../orgs/org-store.js';
import { createUser } from '../../auth/users.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { seededRandom } from '../../util/seeded-random.js';
import { recordConsent, withdrawConsent } from './consent.js';
import { nameRedRecipients } from './red-recipients.js';
import { noteVictimRefs } from './victim-refs.js';
import { subjectsFor, type StoredVersion } from './subjects.js';

const T = '2026-12-01T00:00:00.000Z';
const PW = 'a long enough password';
const ID = (n: number, type = 'identity'): string => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('policy subjects from stored versions', () => {
  let state: PgliteStateStore;
  let victim: string, other: string, vUser: string, oUser: string;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    victim = (await createOrg(state, { name: 'Victim Corp' })).id;
    other = (await createOrg(state, { name: 'Other' })).id;
    vUser = (await createUser(state, { username: 'vera', password: PW, role: 'org-admin', org: victim })).id;
    oUser = (await createUser(state, { username: 'otto', password: PW, role: 'org-member', org: other })).id;
  }, 60_000);
  afterAll(async () => { await state.close(); });

  const stored = (body: object | string, over: Partial<StoredVersion> = {}): StoredVersion => ({
    id: typeof body === 'string' ? ID(999) : (body as { id: string }).id, version: T, ownerOrgId: victim, ownerUserId: vUser, body: typeof body === 'string' ? body : JSON.stringify(body), ...over,
  });
  const audience = new Set<string>();

  it('holds a victim\'s identity until its own organisation consents, and a consent by another does not count', async () => {
    const ident = { type: 'identity', spec_version: '2.1', id: ID(1), created: T, modified: T, name: 'Victim Corp', identity_class: 'organization', object_marking_refs: [TLP2_IDS.green] };
    // Named by a sighting: a victim by reference, in this version and the next.
    await noteVictimRefs(state, [{ type: 'sighting', id: ID(2, 'sighting'), sighting_of_ref: ID(3, 'indicator'), where_sighted_refs: [ident.id] }]);
    let [s] = await subjectsFor(state, [stored(ident)], { audience });
    expect(s).toMatchObject({ tlp: 'green', heldForConsent: true, consented: false });
    expect(s?.victimFields.map((f) => f.path)).toEqual(['name']);
    await recordConsent(state, { objectId: ident.id, version: T, orgId: other, userId: oUser });
    [s] = await subjectsFor(state, [stored(ident)], { audience });
    expect(s?.heldForConsent).toBe(true);
    await recordConsent(state, { objectId: ident.id, version: T, orgId: victim, userId: vUser });
    [s] = await subjectsFor(state, [stored(ident)], { audience });
    expect(s).toMatchObject({ heldForConsent: false, consented: true });
    // Another version needs its own consent.
    [s] = await subjectsFor(state, [stored(ident, { version: '2026-12-02T00:00:00.000Z' })], { audience });
    expect(s?.heldForConsent).toBe(true);
    expect(await withdrawConsent(state, ident.id, T, victim)).toBe(true);
    [s] = await subjectsFor(state, [stored(ident)], { audience });
    expect(s?.heldForConsent).toBe(true);
  });

  it('counts RED namings made by the owner only; takes the strictest TLP of object and parts', async () => {
    const ind = { type: 'indicator', spec_version: '2.1', id: ID(4, 'indicator'), created: T, modified: T, pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: T,
      object_marking_refs: [TLP2_IDS.green], granular_markings: [{ marking_ref: TLP2_IDS.red, selectors: ['description'] }] };
    await nameRedRecipients(state, ind.id, T, ['otto'], oUser); // named by the recipient himself: does not count
    let [s] = await subjectsFor(state, [stored(ind)], { audience });
    expect(s).toMatchObject({ tlp: 'red', heldForConsent: false });
    expect([...(s?.namedRecipients ?? [])]).toEqual([]);
    await nameRedRecipients(state, ind.id, T, [oUser], vUser);
    [s] = await subjectsFor(state, [stored(ind)], { audience });
    expect([...(s?.namedRecipients ?? [])]).toEqual([oUser]);
    await expect(nameRedRecipients(state, ind.id, T, ['nobody'], vUser)).rejects.toMatchObject({ where: { field: 'users.0' } });
    await expect(nameRedRecipients(state, 'not an id', T, [oUser], vUser)).rejects.toMatchObject({ where: { field: 'objectId' } });
  });

  it('holds back a stored text that does not parse, and never crashes on corrupted bodies (seeded fuzz)', async () => {
    const good = JSON.stringify({ type: 'sighting', spec_version: '2.1', id: ID(5, 'sighting'), created: T, modified: T, sighting_of_ref: ID(3, 'indicator'), where_sighted_refs: [ID(1)] });
    const rand = seededRandom(18);
    const bodies: string[] = [];
    for (let i = 0; i < 300; i++) {
      const cut = good.slice(0, Math.floor(rand() * good.length));
      const chars = [...good];
      chars[Math.floor(rand() * chars.length)] = String.fromCharCode(Math.floor(rand() * 128));
      bodies.push(rand() < 0.5 ? cut : chars.join(''));
    }
    const subjects = await subjectsFor(state, bodies.map((b, i) => stored(b, { id: `x--${i}` })), { audience });
    for (const s of subjects) if (!s.object) expect(s).toMatchObject({ heldForConsent: true, tlp: 'red' });
    expect(subjects.filter((s) => !s.object).length).toBeGreaterThan(100);
  });
});
