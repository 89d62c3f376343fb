/**
 * The sharing policy's property test (issue 16): random organisations, who serves whom,
 * collections (audiences), objects with random markings (TLP 1.0 and 2.0, several per object,
 * granular ones, unmarked), victim-identifying fields, consents and TLP:RED namings (by the
 * owner or by someone else, for the right version or another), and every principal. Each path
 * out in EGRESS_PATHS must deliver nothing a model of the policy, written here from
 * docs/sharing.md and independent of decide(), excludes; the paths that deliver must have
 * written each delivery to the egress audit; the audit itself is read only by those allowed.
 *
 * A path built elsewhere joins with one entry in EGRESS_PATHS: a function from the world and a
 * principal to what that principal received (`key(id, version)`), and the audit path it writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { buildApp } from '../../src/api/app.js';
import { createOrg } from '../../src/orgs/org-store.js';
import { createUser } from '../../src/auth/users.js';
import type { Role } from '../../src/auth/principal.js';
import { seededRandom } from '../../src/util/seeded-random.js';
import { TLP1_IDS, TLP2_IDS } from '../../src/share/stix/tlp.js';
import type { StixObject } from '../../src/share/stix/types.js';
import { addServes } from '../../src/share/policy/community.js';
import { recordConsent, withdrawConsent } from '../../src/share/policy/consent.js';
import { nameRedRecipients } from '../../src/share/policy/red-recipients.js';
import { noteVictimRefs } from '../../src/share/policy/victim-refs.js';
import { release } from '../../src/share/policy/release.js';
import { dryRun } from '../../src/share/policy/dry-run.js';
import { createCollection } from '../../src/share/taxii/collections.js';
import { putObjects } from '../../src/share/taxii/object-store.js';
import type { EgressPath } from '../../src/share/policy/egress-audit.js';
import type { StoredVersion } from '../../src/share/policy/subjects.js';

const PW = 'a long enough password';
const HUB = 'identity--00000000-0000-4000-8000-00000000a0b0';
const V1 = '2026-12-01T00:00:00.000Z';
const V2 = '2026-12-02T00:00:00.000Z';

interface Person { id: string; username: string; role: Role; orgId: string | null }
interface Obj extends StoredVersion { object: StixObject; collection: number; victim: boolean }
interface World {
  seed: number;
  orgs: string[];
  /** served org → the orgs serving it */
  servedBy: Map<string, Set<string>>;
  people: Person[];
  collections: Set<string>[];
  objects: Obj[];
  /** key → users validly named (by the owner, for that version) */
  named: Map<string, Set<string>>;
  /** keys with a standing consent of the owner organisation */
  consented: Set<string>;
}

const key = (id: string, version: string): string => `${id}|${version}`;

/** The policy, from docs/sharing.md, with its own TLP table: what `p` may receive of `o`. */
function mayReceive(w: World, o: Obj, p: Person): boolean {
  if (p.id === o.ownerUserId || (p.orgId !== null && p.orgId === o.ownerOrgId)) return true;
  if (o.victim && !w.consented.has(key(o.id, o.version))) return false;
  const tlp = modelTlp(o.object);
  if (tlp === 'red') return w.named.get(key(o.id, o.version))?.has(p.id) ?? false;
  if (tlp === 'clear') return true;
  if (p.role === 'platform-admin' || p.role === 'analyst') return true;
  if (p.orgId === null) return false;
  if (tlp === 'green') return true;
  const audience = w.collections[o.collection] ?? new Set<string>();
  if (audience.has(p.orgId)) return true;
  return tlp === 'amber' && [...(w.servedBy.get(p.orgId) ?? [])].some((s) => audience.has(s));
}

const LEVEL: Record<string, number> = {
  [TLP2_IDS.clear]: 0, [TLP1_IDS.white]: 0, [TLP2_IDS.green]: 1, [TLP1_IDS.green]: 1, [TLP2_IDS.amber]: 2, [TLP1_IDS.amber]: 2,
  [TLP2_IDS['amber+strict']]: 3, [TLP2_IDS.red]: 4, [TLP1_IDS.red]: 4,
};
function modelTlp(o: StixObject): 'clear' | 'green' | 'amber' | 'amber+strict' | 'red' {
  const refs = [...(o.object_marking_refs ?? []), ...((o['granular_markings'] as { marking_ref: string }[] | undefined) ?? []).map((g) => g.marking_ref)];
  const levels = refs.map((r) => LEVEL[r]).filter((l): l is number => l !== undefined);
  const top = levels.length ? Math.max(...levels) : 2; // unmarked: AMBER
  return (['clear', 'green', 'amber', 'amber+strict', 'red'] as const)[top] ?? 'red';
}

interface Ctx { ctx: AppContext; app: FastifyInstance; sessions: Map<string, Record<string, string>> }

/**
 * Every path out: what `p` received. `audit`: the egress path it must have written each delivery
 * as (null: it delivers no object). `setup`: puts the world where the path reads it from (a
 * TAXII path: collection i with the readers `w.collections[i]`, each object put by its owner).
 */
interface EgressPathUnderTest {
  name: string;
  audit: EgressPath | null;
  /** The policy itself (decide, the dry run): it must also not hold back what the model allows. A delivering path may give less (a collection the recipient cannot read, an object the store refused). */
  exact?: boolean;
  setup?: (c: Ctx, w: World) => Promise<void>;
  receive: (c: Ctx, w: World, p: Person) => Promise<Set<string>>;
}

const recipient = (p: Person): { userId: string; orgId: string | null; role: Role } => ({ userId: p.id, orgId: p.orgId, role: p.role });
const inCollection = (w: World, i: number): Obj[] => w.objects.filter((o) => o.collection === i);

const EGRESS_PATHS: EgressPathUnderTest[] = [
  {
    // What every path out calls: decide() with the victims' rule and the audit (release.ts).
    name: 'release (decide)', audit: 'rest', exact: true,
    receive: async ({ ctx }, w, p) => {
      const got = new Set<string>();
      for (const [i, audience] of w.collections.entries()) {
        for (const r of await release(ctx.state, inCollection(w, i), { audience, to: recipient(p), path: 'rest', collectionId: `c${i}`, anonymous: new Set([HUB]) })) got.add(key(r.object.id, r.object.version));
      }
      return got;
    },
  },
  {
    // The dry run says who would receive each object: it must name nobody the policy excludes.
    name: 'dry run', audit: null, exact: true,
    receive: async ({ ctx }, w, p) => {
      const got = new Set<string>();
      for (const [i, audience] of w.collections.entries()) {
        for (const r of await dryRun(ctx.state, { versions: inCollection(w, i), audience: [...audience], anonymous: new Set([HUB]) })) {
          if ((p.orgId !== null && r.organisations.some((o) => o.orgId === p.orgId)) || r.users.some((u) => u.userId === p.id)) got.add(key(r.id, r.version));
        }
      }
      return got;
    },
  },
  {
    // The console's object browser and REST clients (GET /api/v1/share/objects), as each person signed in.
    name: 'REST object browser', audit: 'console',
    setup: storeWorld,
    receive: async (c, w, p) => {
      const got = new Set<string>();
      const headers = await signInAs(c, p);
      for (const id of stored.get(w.seed) ?? []) {
        const r = await c.app.inject({ method: 'GET', url: `/api/v1/share/objects?collection=${id}&limit=500`, headers });
        if (r.statusCode === 404) continue;
        expect(r.statusCode, r.body).toBe(200);
        for (const o of r.json<{ objects: { id: string; version: string }[] }>().objects) got.add(key(o.id, o.version));
      }
      return got;
    },
  },
  {
    // TAXII 2.1 reads with HTTP Basic, as a TAXII client would.
    name: 'TAXII objects', audit: 'taxii',
    receive: async (c, w, p) => {
      const got = new Set<string>();
      const headers = { authorization: `Basic ${Buffer.from(`${p.username}:${PW}`).toString('base64')}`, accept: 'application/taxii+json;version=2.1' };
      for (const id of stored.get(w.seed) ?? []) {
        const r = await c.app.inject({ method: 'GET', url: `/taxii2/api/collections/${id}/objects/?limit=500`, headers });
        if (r.statusCode === 404 || r.statusCode === 403) continue;
        expect(r.statusCode, r.body).toBe(200);
        for (const o of r.json<{ objects?: { id: string; modified?: string; created?: string }[] }>().objects ?? []) got.add(key(o.id, o.modified ?? o.created ?? ''));
      }
      return got;
    },
  },
  {
    // `share export` (STIX) as each person: the bundle holds only what the policy lets them have.
    name: 'share export', audit: 'export',
    receive: async (c, w, p) => {
      const got = new Set<string>();
      const { exportCollection } = await import('../../src/share/export/collection-export.js');
      for (const id of stored.get(w.seed) ?? []) {
        const r = await exportCollection(c.ctx.state, { userId: p.id, orgId: p.orgId, role: p.role, scopes: ['read'] }, id).catch((e: unknown) => {
          if (e instanceof Error && /FORBIDDEN|NOT_FOUND|not found|may not/i.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)) return null;
          throw e;
        });
        for (const o of r?.objects ?? []) got.add(key(o.id, String(o.modified ?? o.created ?? '')));
      }
      return got;
    },
  },
];

/** The collections of each world as stored for the delivering paths. */
const stored = new Map<number, string[]>();

/** Puts the world where the delivering paths read it: collection i with its readers, each object put by its owner. */
async function storeWorld(c: Ctx, w: World): Promise<void> {
  const ids: string[] = [];
  for (const [i, readers] of w.collections.entries()) {
    ids.push((await createCollection(c.ctx.state, { title: `W${w.seed} collection ${i}`, read: [...readers], write: [...readers] }, 'property')).id);
  }
  for (const o of w.objects) {
    await putObjects(c.ctx.state, ids[o.collection] as string, [o.object], { userId: o.ownerUserId ?? '', orgId: o.ownerOrgId });
  }
  stored.set(w.seed, ids);
}

async function signInAs(c: Ctx, p: Person): Promise<Record<string, string>> {
  const had = c.sessions.get(p.id);
  if (had) return had;
  const r = await c.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: p.username, password: PW } });
  expect(r.statusCode, r.body).toBe(200);
  const token = /sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? '';
  const h = { cookie: `sakimori_session=${token}` };
  c.sessions.set(p.id, h);
  return h;
}

async function buildWorld(c: Ctx, seed: number): Promise<World> {
  const { ctx } = c;
  const rand = seededRandom(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
  const some = <T>(a: readonly T[], p: number): T[] => a.filter(() => rand() < p);
  const orgs: string[] = [];
  for (let i = 0; i < 5; i++) orgs.push((await createOrg(ctx.state, { name: `W${seed} Org ${i}` })).id);
  const servedBy = new Map<string, Set<string>>();
  for (const server of orgs) {
    const served = some(orgs.filter((o) => o !== server), 0.25);
    if (served.length) await addServes(ctx.state, server, served, pick(['customer', 'member', 'constituent'] as const));
    for (const s of served) servedBy.set(s, new Set([...(servedBy.get(s) ?? []), server]));
  }
  const people: Person[] = [];
  const person = async (username: string, role: Role, orgId: string | null): Promise<void> => {
    const u = await createUser(ctx.state, { username, password: PW, role, ...(orgId ? { org: orgId } : {}) });
    people.push({ id: u.id, username, role, orgId });
  };
  await person(`w${seed}-admin`, 'platform-admin', null);
  await person(`w${seed}-analyst`, 'analyst', null);
  for (const [i, o] of orgs.entries()) {
    await person(`w${seed}-o${i}-admin`, 'org-admin', o);
    await person(`w${seed}-o${i}-member`, 'org-member', o);
  }
  const collections = Array.from({ length: 4 }, () => new Set(some(orgs, 0.3)));
  const markings = [...Object.values(TLP2_IDS), ...Object.values(TLP1_IDS), 'marking-definition--0d3e1b2c-3f4a-4b5c-8d6e-7f8091a2b3c4'];
  const objects: Obj[] = [];
  const named = new Map<string, Set<string>>();
  const consented = new Set<string>();
  const orgPeople = people.filter((p) => p.orgId !== null);
  for (let i = 0; i < 40; i++) {
    const owner = pick(orgPeople);
    const id = (type: string): string => `${type}--00000000-0000-4000-8000-${String(seed * 1000 + i).padStart(12, '0')}`;
    const version = rand() < 0.5 ? V1 : V2;
    const common = { spec_version: '2.1', created: V1, modified: version, ...(rand() < 0.8 ? { object_marking_refs: some(markings, 0.2).slice(0, 3) } : {}) };
    const granular = rand() < 0.15 ? { granular_markings: [{ marking_ref: pick(markings), selectors: ['description'] }] } : {};
    const victimIdentity = `identity--00000000-0000-4000-9000-${String(seed * 1000 + i).padStart(12, '0')}`;
    const kind = pick(['indicator', 'sighting', 'sighting-hub', 'identity-victim', 'identity', 'location', 'location-precise'] as const);
    const body: Record<string, unknown> =
      kind === 'indicator' ? { type: 'indicator', id: id('indicator'), pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: V1, description: 'scanner' }
        : kind === 'sighting' ? { type: 'sighting', id: id('sighting'), sighting_of_ref: `indicator--${victimIdentity.slice(10)}`, where_sighted_refs: [victimIdentity], description: 'seen' }
          : kind === 'sighting-hub' ? { type: 'sighting', id: id('sighting'), sighting_of_ref: `indicator--${victimIdentity.slice(10)}`, where_sighted_refs: [HUB], description: 'seen' }
            : kind === 'identity-victim' ? { type: 'identity', id: id('identity'), name: `Victim ${i}`, identity_class: 'organization', roles: ['victim'], description: 'x' }
              : kind === 'identity' ? { type: 'identity', id: id('identity'), name: `Peer ${i}`, identity_class: 'organization', description: 'x' }
                : kind === 'location' ? { type: 'location', id: id('location'), country: 'JP', region: 'eastern-asia' }
                  : { type: 'location', id: id('location'), country: 'JP', street_address: `${i} Chiyoda` };
    const object = { ...common, ...granular, ...body } as unknown as StixObject;
    const victim = kind === 'sighting' || kind === 'identity-victim' || kind === 'location-precise';
    const o: Obj = { id: object.id, version, ownerOrgId: owner.orgId, ownerUserId: owner.id, body: JSON.stringify(object), object, collection: Math.floor(rand() * collections.length), victim };
    objects.push(o);
    const k = key(o.id, o.version);
    // Namings: by the owner or a colleague (count), by someone else or for another version (do not).
    for (const target of some(people, 0.15)) {
      const how = pick(['owner', 'colleague', 'stranger', 'other-version'] as const);
      const colleague = people.find((p) => p.orgId === owner.orgId && p.id !== owner.id) ?? owner;
      const stranger = pick(people.filter((p) => p.orgId !== owner.orgId));
      const by = how === 'owner' || how === 'other-version' ? owner : how === 'colleague' ? colleague : stranger;
      await nameRedRecipients(ctx.state, o.id, how === 'other-version' ? (version === V1 ? V2 : V1) : version, [target.id], by.id);
      if (how === 'owner' || how === 'colleague') named.set(k, new Set([...(named.get(k) ?? []), target.id]));
    }
    // Consents: the owner organisation (counts), another one, another version, or given then withdrawn.
    const consent = pick(['none', 'owner', 'other-org', 'other-version', 'withdrawn'] as const);
    if (consent !== 'none') {
      const org = consent === 'other-org' ? pick(orgs.filter((x) => x !== owner.orgId)) : (owner.orgId as string);
      const v = consent === 'other-version' ? (version === V1 ? V2 : V1) : version;
      await recordConsent(ctx.state, { objectId: o.id, version: v, orgId: org, userId: owner.id });
      if (consent === 'withdrawn') await withdrawConsent(ctx.state, o.id, v, org);
      if (consent === 'owner') consented.add(k);
    }
  }
  // On the way in: the sightings name their victims (none is among the objects here, but the hub keeps them).
  await noteVictimRefs(ctx.state, objects.map((o) => o.object), new Set([HUB]));
  return { seed, orgs, servedBy, people, collections, objects, named, consented };
}

describe('sharing policy property: nothing reaches anyone the policy excludes, on any path out', () => {
  let dir: string;
  const c: Ctx = { ctx: undefined as unknown as AppContext, app: undefined as unknown as FastifyInstance, sessions: new Map() };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-share-property-'));
    c.ctx = await openContext(configSchema.parse({ dataDir: dir }));
    c.app = await buildApp(c.ctx);
  }, 120_000);
  afterAll(async () => {
    await c.app.close();
    await c.ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const seed of [1, 2, 3]) {
    it(`world ${seed}: every path delivers only what the model allows, the deciding ones exactly that, and each delivery is audited`, async () => {
      const w = await buildWorld(c, seed);
      let allowedPairs = 0;
      let deniedPairs = 0;
      for (const path of EGRESS_PATHS) {
        await path.setup?.(c, w);
        let delivered = 0;
        for (const p of w.people) {
          const got = await path.receive(c, w, p);
          delivered += got.size;
          const allowed = new Set(w.objects.filter((o) => mayReceive(w, o, p)).map((o) => key(o.id, o.version)));
          const mine = new Set(w.objects.map((o) => key(o.id, o.version)));
          for (const k of got) if (mine.has(k)) expect(allowed.has(k), `${path.name} gave ${k} to ${p.username} (${p.role})`).toBe(true);
          // decide() and the dry run are the policy: they must also not hold back what it allows.
          if (path.exact) expect([...got].filter((k) => mine.has(k)).sort(), `${path.name} for ${p.username}`).toEqual([...allowed].sort());
          if (path.name === EGRESS_PATHS[0]?.name) {
            allowedPairs += allowed.size;
            deniedPairs += w.objects.length - allowed.size;
          }
          if (path.audit) {
            const rows = await c.ctx.state.query<{ object_id: string; version: string }>('SELECT object_id, version FROM share_egress WHERE user_id = $1 AND path = $2', [p.id, path.audit]);
            const audited = new Set(rows.map((r) => key(r.object_id, r.version)));
            for (const k of got) expect(audited.has(k), `${path.name}: delivery of ${k} to ${p.username} is not in the egress audit`).toBe(true);
          }
        }
        // A path that delivers nothing would pass the check above trivially.
        expect(delivered, `${path.name} delivered nothing in world ${seed}`).toBeGreaterThan(0);
      }
      // The random world exercised both sides of the policy, victims and RED included.
      expect(allowedPairs).toBeGreaterThan(50);
      expect(deniedPairs).toBeGreaterThan(50);
      expect(w.objects.some((o) => o.victim && w.consented.has(key(o.id, o.version)))).toBe(true);
      expect(w.objects.some((o) => modelTlp(o.object) === 'red')).toBe(true);

      // The audit is read by platform admins (all of it); anyone else reads the deliveries to their
      // own organisation and to themselves, and organisation admins also where their organisation's objects went.
      for (const p of w.people) {
        const r = await c.app.inject({ method: 'GET', url: '/api/v1/share/egress?limit=1000', headers: await signInAs(c, p) });
        expect(r.statusCode, r.body).toBe(200);
        if (p.role === 'platform-admin') continue;
        const entries = r.json<{ entries: { userId: string; orgId: string | null; ownerOrgId: string | null }[] }>().entries;
        for (const e of entries) {
          const mine = e.userId === p.id || (p.orgId !== null && e.orgId === p.orgId) || (p.role === 'org-admin' && p.orgId !== null && e.ownerOrgId === p.orgId);
          expect(mine, `${p.username} read another organisation's audit row`).toBe(true);
        }
        if (p.role === 'org-admin') expect(entries.length).toBeGreaterThan(0);
      }
    }, 300_000);
  }
});
