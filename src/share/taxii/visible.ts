/**
 * Which stored versions a principal receives from a collection: each one passes the one sharing
 * decision (policy/decide.ts) with the collection's readers as its audience. Nothing else
 * decides; the TAXII server and every other reader of the store filter through here.
 */
import { decide, type Community, type PolicyRecipient } from '../policy/decide.js';
import type { Collection } from './collections.js';
import type { StoredObject } from './object-store.js';

/** No organisation serves another until the policy's community (who serves whom) is loaded. */
export const NO_COMMUNITY: Community = { servers: () => new Set<string>() };

const NOBODY: ReadonlySet<string> = new Set();

export function visibleObjects(objects: readonly StoredObject[], collection: Collection, to: PolicyRecipient, community: Community = NO_COMMUNITY): StoredObject[] {
  const audience = new Set(collection.read);
  return objects.filter((o) => decide({ tlp: o.tlp, audience, namedRecipients: NOBODY, ownerOrgId: o.ownerOrgId, ownerUserId: o.ownerUserId }, to, community).allowed);
}
