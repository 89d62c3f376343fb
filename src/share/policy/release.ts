/**
 * The one way out: of some stored object versions, the ones a recipient may receive, decided by
 * `decide()` with the victims' rule (subjectsFor), and written to the egress audit in the same
 * call. Paths out (TAXII reads, REST, exports, digests, reports, the console) call this rather
 * than `decide()` directly, so none can deliver without the audit.
 */
import type { StateStore } from '../../store/types.js';
import { decide, type PolicyDecision, type PolicyRecipient } from './decide.js';
import { loadCommunity } from './community.js';
import { recordEgress, type EgressPath } from './egress-audit.js';
import { subjectsFor, type StoredVersion } from './subjects.js';

export interface ReleaseOptions {
  readonly audience: ReadonlySet<string>;
  readonly path: EgressPath;
  readonly collectionId?: string | null;
  readonly anonymous?: ReadonlySet<string>;
}

export interface Released<V extends StoredVersion> { readonly version: V; readonly decision: PolicyDecision }

export async function release<V extends StoredVersion>(state: Pick<StateStore, 'query'>, to: PolicyRecipient, versions: readonly V[], opts: ReleaseOptions): Promise<Released<V>[]> {
  const [subjects, community] = await Promise.all([subjectsFor(state, versions, opts), loadCommunity(state)]);
  const out: Released<V>[] = [];
  subjects.forEach((s, i) => {
    const d = decide(s, to, community);
    const v = versions[i];
    if (d.allowed && v) out.push({ version: v, decision: d });
  });
  await recordEgress(state, out.map(({ version: v, decision }) => ({
    userId: to.userId, orgId: to.orgId, objectId: v.id, version: v.version, ownerOrgId: v.ownerOrgId,
    collectionId: opts.collectionId ?? null, path: opts.path, reason: decision.reason,
  })));
  return out;
}
