/**
 * The STIX of one victim report as a recipient may receive it: the attack-technical part always,
 * the released victim part once released, through the policy's one way out (`release()`:
 * decide() with the victims' rule, and the egress audit). The function the REST route, exports
 * and the console call alike. The organisation's consent to a report is recorded, at release, as
 * the policy's consent to each released victim object version, so the policy lets exactly those
 * through and holds anything else victim-identifying.
 */
import type { StateStore } from '../../store/types.js';
import type { StixObject } from '../stix/types.js';
import type { PolicyRecipient } from '../policy/decide.js';
import type { EgressPath } from '../policy/egress-audit.js';
import { release } from '../policy/release.js';
import { recordConsent } from '../policy/consent.js';
import { versionOf } from '../policy/dry-run.js';
import { hubIdentity } from '../indicators/hub-identity.js';
import { hubCryptoPan } from './hub-key.js';
import { reportRow, type ReportRow } from './reports.js';
import { technicalStix, victimStix } from './released-stix.js';

const NONE: ReadonlySet<string> = new Set();
type Q = Pick<StateStore, 'query'>;

async function objectsOf(state: Q, r: ReportRow): Promise<{ hub: StixObject; technical: StixObject[]; victim: StixObject[] }> {
  const hub = await hubIdentity(state);
  return {
    hub,
    technical: technicalStix(r, { hubIdentityId: hub.id }),
    victim: r.state === 'released' ? victimStix(r, await hubCryptoPan(state), { hubIdentityId: hub.id }) : [],
  };
}

/** At release: the organisation's consent to the report, as consent to each victim object version it releases. */
export async function consentReleasedObjects(state: Q, id: string): Promise<void> {
  const r = await reportRow(state, id);
  if (r.state !== 'released') return;
  const { victim } = await objectsOf(state, r);
  for (const o of victim) {
    await recordConsent(state, { objectId: o.id, version: versionOf(o), orgId: r.owner_org_id, userId: r.consented_by ?? r.owner_user_id, note: `victim report ${r.id}` });
  }
}

export async function victimReportStixFor(state: Q, id: string, to: PolicyRecipient, path: EgressPath): Promise<StixObject[]> {
  const r = await reportRow(state, id);
  const { hub, technical, victim } = await objectsOf(state, r);
  const versions = [...technical, ...victim].map((o) => ({ id: o.id, version: versionOf(o), ownerOrgId: r.owner_org_id, ownerUserId: r.owner_user_id, body: o }));
  const out = await release(state, versions, { audience: NONE, to, path, collectionId: null, anonymous: new Set([hub.id]) });
  return out.length ? [hub, ...out.map((x) => x.object.body)] : [];
}
