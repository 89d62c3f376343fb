/**
 * What a push may send: the remote is a recipient like any other, decided by the one policy as
 * a member of the organisation that runs it (`--to`), or as nobody's member when none is named
 * (then only TLP:CLEAR leaves). Objects held for a victim's consent never leave. Every object
 * sent is written to the egress audit (path `taxii`).
 */
import type { Principal } from '../../../auth/principal.js';
import { getOrg } from '../../../orgs/org-store.js';
import type { StateStore } from '../../../store/types.js';
import { recordEgress } from '../../policy/egress-audit.js';
import { decideAll } from '../../policy/release.js';
import type { StoredObject } from '../object-store.js';
import type { MayLeave } from './run-push.js';
import type { TaxiiRemote } from './remote.js';

type Q = Pick<StateStore, 'query'>;

const remoteUser = (remote: TaxiiRemote): string => `taxii:${remote.apiRoot}`;

export async function pushPolicy(state: Q, to: string | null, _by: Pick<Principal, 'userId'>): Promise<{ mayLeave: MayLeave; delivered: (objects: readonly StoredObject[], remote: TaxiiRemote) => Promise<void> }> {
  const orgId = to === null ? null : (await getOrg(state, to)).id;
  const reasons = new Map<string, string>();
  // Decided before sending, audited once the remote has them (a failed push delivered nothing).
  const mayLeave: MayLeave = async (objects, collection, remote) => {
    const decisions = await decideAll(state, objects, { audience: new Set(collection.read), to: { userId: remoteUser(remote), orgId, role: 'org-member' } });
    decisions.forEach((d, i) => { const o = objects[i]; if (d.allowed && o) reasons.set(`${o.id}|${o.version}`, d.reason); });
    return decisions;
  };
  const delivered = async (objects: readonly StoredObject[], remote: TaxiiRemote): Promise<void> => {
    await recordEgress(state, objects.map((o) => ({
      userId: remoteUser(remote), orgId, objectId: o.id, version: o.version, ownerOrgId: o.ownerOrgId, collectionId: null, path: 'taxii' as const,
      reason: reasons.get(`${o.id}|${o.version}`) ?? 'allowed',
    })));
  };
  return { mayLeave, delivered };
}
