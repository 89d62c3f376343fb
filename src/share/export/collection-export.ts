/**
 * `share export`: a collection's objects as the principal running it may receive them. Every
 * stored version goes through the one decision (policy/decide.ts) with the collection's readers as
 * its audience, and whatever is delivered is written to the egress audit (path `export`). Only
 * each object's latest version the principal may see is written out.
 */
import type { Principal } from '../../auth/principal.js';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { collectionAccess, getCollection, type Collection } from '../taxii/collections.js';
import { readObjects, type StoredObject } from '../taxii/object-store.js';
import { decide, type PolicySubject } from '../policy/decide.js';
import { loadCommunity } from '../policy/community.js';
import { recordEgress, type EgressEntry } from '../policy/egress-audit.js';
import type { StixObject } from '../stix/types.js';

const PAGE = 5000;

export interface CollectionExport {
  readonly collection: Collection;
  readonly objects: StixObject[];
  /** Versions the principal may not receive. */
  readonly withheld: number;
}

/** TLP:RED's named recipients of the given versions (`share_red_recipients`, policy migration 018). */
async function namedRecipients(state: Pick<StateStore, 'query'>, ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (ids.length === 0) return out;
  const rows = await state.query<{ k: string; user_id: string }>(
    `SELECT object_id || ' ' || version AS k, user_id FROM share_red_recipients WHERE object_id = ANY($1::text[])`, [ids],
  );
  for (const r of rows) {
    const s = out.get(r.k) ?? new Set<string>();
    s.add(r.user_id);
    out.set(r.k, s);
  }
  return out;
}

export type Recipient = Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>;

/** Every version of `collection` that `who` may receive, oldest first, written to the egress audit. */
export async function exportCollection(state: StateStore, who: Recipient, collectionRef: string, now = new Date()): Promise<CollectionExport> {
  const collection = await getCollection(state, collectionRef);
  if (!collectionAccess(collection, who).canRead) throw new SakimoriError('FORBIDDEN', `you may not read collection ${collection.title}`);
  const community = await loadCommunity(state);
  const audience = new Set(collection.read);
  const delivered: { o: StoredObject; reason: string }[] = [];
  let withheld = 0;
  let after: string | null = null;
  for (;;) {
    const page = await readObjects(state, collection.id, { addedAfter: after, versions: ['all'], limit: PAGE });
    const red = await namedRecipients(state, page.objects.filter((o) => o.tlp === 'red').map((o) => o.id));
    for (const o of page.objects) {
      const subject: PolicySubject = { tlp: o.tlp, audience, namedRecipients: red.get(`${o.id} ${o.version}`) ?? new Set(), ownerOrgId: o.ownerOrgId, ownerUserId: o.ownerUserId };
      const d = decide(subject, who, community);
      if (d.allowed) delivered.push({ o, reason: d.reason });
      else withheld++;
    }
    if (!page.more || page.objects.length === 0) break;
    after = (page.objects[page.objects.length - 1] as StoredObject).dateAdded;
  }
  // The latest delivered version of each object (a version withheld is never shown by an older one's absence).
  const latest = new Map<string, { o: StoredObject; reason: string }>();
  for (const d of delivered) {
    const cur = latest.get(d.o.id);
    if (!cur || d.o.version > cur.o.version) latest.set(d.o.id, d);
  }
  const out = [...latest.values()];
  const entries: EgressEntry[] = out.map(({ o, reason }) => ({
    userId: who.userId, orgId: who.orgId, objectId: o.id, version: o.version, ownerOrgId: o.ownerOrgId, collectionId: collection.id, path: 'export', reason,
  }));
  for (let i = 0; i < entries.length; i += PAGE) await recordEgress(state, entries.slice(i, i + PAGE), now);
  return { collection, objects: out.map(({ o }) => JSON.parse(o.body) as StixObject), withheld };
}
