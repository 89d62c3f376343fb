/**
 * The STIX of one victim report as a recipient may receive it: the attack-technical part always,
 * the released victim part once released, each object through the one policy decision and every
 * delivery written to the egress audit (docs/sharing.md). The function the REST route, exports
 * and the console call alike.
 */
import type { StateStore } from '../../store/types.js';
import type { StixObject } from '../stix/types.js';
import { tlpOfMarkings } from '../stix/tlp.js';
import { decide, type PolicyRecipient } from '../policy/decide.js';
import { loadCommunity } from '../policy/community.js';
import { recordEgress, type EgressPath } from '../policy/egress-audit.js';
import { hubIdentity } from '../indicators/hub-identity.js';
import { hubCryptoPan } from './hub-key.js';
import { reportRow } from './reports.js';
import { technicalStix, victimStix } from './released-stix.js';

const NONE: ReadonlySet<string> = new Set();

export async function victimReportStixFor(state: Pick<StateStore, 'query'>, id: string, to: PolicyRecipient, path: EgressPath): Promise<StixObject[]> {
  const r = await reportRow(state, id);
  const hub = await hubIdentity(state);
  const objects = [
    ...technicalStix(r, { hubIdentityId: hub.id }),
    ...(r.state === 'released' ? victimStix(r, await hubCryptoPan(state), { hubIdentityId: hub.id }) : []),
  ];
  const community = await loadCommunity(state);
  const out: StixObject[] = [];
  const entries = [];
  for (const o of objects) {
    const d = decide({ tlp: tlpOfMarkings(o.object_marking_refs), audience: NONE, namedRecipients: NONE, ownerOrgId: r.owner_org_id, ownerUserId: r.owner_user_id }, to, community);
    if (!d.allowed) continue;
    out.push(o);
    entries.push({ userId: to.userId, orgId: to.orgId, objectId: o.id, version: o.modified ?? o.created ?? '', ownerOrgId: r.owner_org_id, collectionId: null, path, reason: d.reason });
  }
  await recordEgress(state, entries);
  return out.length ? [hub, ...out] : [];
}
