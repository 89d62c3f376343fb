/**
 * `share export`: a collection's objects as the principal running it may receive them. The
 * latest version of each object goes out through the policy's one way out (`release()`:
 * `decide()` with the collection's readers as audience and the victims' rule, written to the
 * egress audit on path `export`); a latest version withheld is not replaced by an older one.
 */
import type { Principal } from '../../auth/principal.js';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { collectionAccess, getCollection, type Collection } from '../taxii/collections.js';
import { readObjects } from '../taxii/object-store.js';
import { release } from '../policy/release.js';
import type { StixObject } from '../stix/types.js';
import { hubIdentity } from '../indicators/hub-identity.js';

const PAGE = 5000;

export interface CollectionExport {
  readonly collection: Collection;
  readonly objects: StixObject[];
  /** Objects whose latest version the principal may not receive. */
  readonly withheld: number;
}

export type Recipient = Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>;

export async function exportCollection(state: StateStore, who: Recipient, collectionRef: string): Promise<CollectionExport> {
  const collection = await getCollection(state, collectionRef);
  if (!collectionAccess(collection, who).canRead) throw new SakimoriError('FORBIDDEN', `you may not read collection ${collection.title}`);
  // Sightings that name only the hub as where they were seen are the anonymised form.
  const anonymous = new Set([(await hubIdentity(state)).id]);
  const audience = new Set(collection.read);
  const objects: StixObject[] = [];
  let withheld = 0;
  let after: string | null = null;
  for (;;) {
    const page = await readObjects(state, collection.id, { addedAfter: after, versions: ['last'], limit: PAGE });
    const out = await release(state, page.objects, { audience, to: who, path: 'export', collectionId: collection.id, anonymous });
    withheld += page.objects.length - out.length;
    for (const r of out) objects.push(JSON.parse(r.object.body) as StixObject);
    if (!page.more || page.objects.length === 0) break;
    after = page.objects[page.objects.length - 1]?.dateAdded ?? null;
  }
  return { collection, objects, withheld };
}
