/**
 * Issue 16 figure: one policy decision per object and recipient ≤ 5 µs. Decides 1,000 objects
 * (every TLP level, audiences of 1–5 organisations, RED ones with named users) for 1,000
 * recipients of every role among 500 organisations, each served by up to 3 others; then the
 * classification of victim-identifying fields per object and a whole page's subjects from the
 * state store (subjectsFor: classification plus its three queries). JSON lines.
 */
import { performance } from 'node:perf_hooks';
import { argValue, emit } from './lib.js';
import { seededRandom } from '../src/util/seeded-random.js';
import { decide, type Community, type PolicyRecipient, type PolicySubject } from '../src/share/policy/decide.js';
import { victimFields } from '../src/share/policy/classify.js';
import { subjectsFor, type StoredVersion } from '../src/share/policy/subjects.js';
import { TLP2_IDS, TLP_LEVELS } from '../src/share/stix/tlp.js';
import { PgliteStateStore } from '../src/store/state/pglite-store.js';
import { migrateState } from '../src/store/migrate.js';
import type { StixObject } from '../src/share/stix/types.js';

const objects = Number(argValue('objects', '1000'));
const recipients = Number(argValue('recipients', '1000'));
const orgCount = 500;
const rand = seededRandom(16);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
const org = (): string => `org-${Math.floor(rand() * orgCount)}`;

const servers = new Map<string, Set<string>>();
for (let i = 0; i < orgCount; i++) servers.set(`org-${i}`, new Set(Array.from({ length: Math.floor(rand() * 4) }, org)));
const community: Community = { servers: (o) => servers.get(o) ?? new Set() };

const subjects: PolicySubject[] = Array.from({ length: objects }, () => ({
  tlp: rand() < 0.1 ? null : pick(TLP_LEVELS),
  audience: new Set(Array.from({ length: 1 + Math.floor(rand() * 5) }, org)),
  namedRecipients: new Set(Array.from({ length: Math.floor(rand() * 4) }, () => `u-${Math.floor(rand() * recipients)}`)),
  ownerOrgId: org(), ownerUserId: `u-${Math.floor(rand() * recipients)}`,
  heldForConsent: rand() < 0.05,
}));
const people: PolicyRecipient[] = Array.from({ length: recipients }, (_, i) => {
  const role = rand() < 0.02 ? pick(['platform-admin', 'analyst'] as const) : pick(['org-admin', 'org-member'] as const);
  return { userId: `u-${i}`, orgId: role === 'org-admin' || role === 'org-member' ? org() : null, role };
});

// Warm up, then time every pair; the count of allowed ones keeps the work from being optimised away.
let allowed = 0;
for (const s of subjects.slice(0, 100)) for (const p of people) if (decide(s, p, community).allowed) allowed++;
allowed = 0;
const t0 = performance.now();
for (const s of subjects) for (const p of people) if (decide(s, p, community).allowed) allowed++;
const ms = performance.now() - t0;
const pairs = objects * recipients;
emit({ bench: 'share-policy', what: 'decide', pairs, ms: Math.round(ms), nsPerDecision: Math.round((ms * 1e6) / pairs), allowedShare: Number((allowed / pairs).toFixed(3)), targetNs: 5000 });

// Classification of each object's victim-identifying fields.
const T = '2026-12-01T00:00:00.000Z';
const id = (type: string, i: number): string => `${type}--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const stix: StixObject[] = Array.from({ length: objects }, (_, i) => i % 3 === 0
  ? { type: 'sighting', spec_version: '2.1', id: id('sighting', i), created: T, modified: T, sighting_of_ref: id('indicator', i), where_sighted_refs: [id('identity', i)], count: 3, object_marking_refs: [TLP2_IDS.amber] }
  : { type: 'indicator', spec_version: '2.1', id: id('indicator', i), created: T, modified: T, pattern: `[ipv4-addr:value = '198.51.100.${i % 256}']`, pattern_type: 'stix', valid_from: T, object_marking_refs: [TLP2_IDS.green] });
const c0 = performance.now();
let fields = 0;
for (let r = 0; r < 10; r++) for (const o of stix) fields += victimFields(o).length;
const cms = performance.now() - c0;
emit({ bench: 'share-policy', what: 'victimFields', objects: objects * 10, nsPerObject: Math.round((cms * 1e6) / (objects * 10)), victimFields: fields / 10 });

// A page's subjects from the state store (embedded PGlite), as a TAXII page builds them.
const state = await PgliteStateStore.open();
try {
  await migrateState(state);
  const page: StoredVersion[] = stix.map((o) => ({ id: o.id, version: T, ownerOrgId: 'org-1', ownerUserId: 'u-1', body: JSON.stringify(o) }));
  await subjectsFor(state, page, { audience: new Set(['org-2']) });
  const times: number[] = [];
  for (let r = 0; r < 11; r++) {
    const s0 = performance.now();
    await subjectsFor(state, page, { audience: new Set(['org-2']) });
    times.push(performance.now() - s0);
  }
  times.sort((a, b) => a - b);
  emit({ bench: 'share-policy', what: 'subjectsFor', page: objects, medianMs: Number((times[5] ?? 0).toFixed(1)) });
} finally {
  await state.close();
}
