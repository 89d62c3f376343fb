/**
 * Which stored versions a principal receives from a collection: each one goes out through the
 * policy's one way out, `release()` (policy/release.ts: the sharing decision with the
 * collection's readers as the audience, the victims' rule, and the egress audit in one call).
 * Nothing else decides; the TAXII server and every other reader of the store filter through here.
 */
import type { StateStore } from '../../store/types.js';
import type { PolicyRecipient } from '../policy/decide.js';
import type { EgressPath } from '../policy/egress-audit.js';
import { release } from '../policy/release.js';
import type { Collection } from './collections.js';
import type { StoredObject } from './object-store.js';

export async function visibleObjects(state: Pick<StateStore, 'query'>, objects: readonly StoredObject[], collection: Collection, to: PolicyRecipient, path: EgressPath = 'taxii'): Promise<StoredObject[]> {
  if (objects.length === 0) return [];
  const out = await release(state, to, objects, { audience: new Set(collection.read), path, collectionId: collection.id });
  return out.map((r) => r.version);
}
