/**
 * `cnc share publish`: C&C candidates into a collection through the hub's object store, by a
 * principal that may write it, optionally raised first by the corroboration other carriers gave
 * this carrier. The published state is saved only once the objects are stored, so a failed
 * publish is simply run again. A dry run stores nothing and says what would be published, what
 * was excluded and why, and who would receive it (the policy's dry run).
 */
import { seesEverything, type Principal } from '../../auth/principal.js';
import { SakimoriError } from '../../errors.js';
import { CidrSet } from '../../net/cidr-set.js';
import type { StateStore } from '../../store/types.js';
import { hubIdentity } from '../../share/indicators/hub-identity.js';
import { loadExclusionSets } from '../../share/indicators/exclusions.js';
import { dryRun, restrictDryRun } from '../../share/policy/dry-run.js';
import type { Tlp } from '../../share/stix/tlp.js';
import { collectionAccess, getCollection } from '../../share/taxii/collections.js';
import { putObjects } from '../../share/taxii/object-store.js';
import type { CncCandidate } from '../detect/candidate.js';
import { candidateObjects, type CandidateExclusion } from './candidate-objects.js';
import { communityKey } from './community-key.js';
import { corroborate } from './corroboration-score.js';
import { corroborationFor, corroborationOrg } from './corroboration-store.js';
import { loadPublished, savePublished } from './published-state.js';

export interface CandidatePublishRequest {
  readonly collection: string;
  readonly tlp: Tlp;
  /** 0–1, after corroboration. */
  readonly minScore: number;
  readonly dryRun: boolean;
  readonly candidates: readonly CncCandidate[];
  /** Raise the scores with the corroboration answered to this carrier (its organisation: a member's own, or named by an operator). */
  readonly corroborate?: boolean;
  readonly org?: string;
  /** The carrier's own prefixes: servers inside are customers, never published. */
  readonly internal?: readonly string[];
  readonly now?: Date;
}

export interface CandidatePublishResult {
  readonly collection: { id: string; title: string };
  readonly dryRun: boolean;
  readonly tlp: Tlp;
  readonly minScore: number;
  readonly candidates: number;
  /** Candidates whose score other carriers raised. */
  readonly corroborated: number;
  readonly created: number;
  readonly updated: number;
  readonly revoked: number;
  readonly unchanged: number;
  readonly excluded: Record<CandidateExclusion, number>;
  readonly objects: number;
  readonly stored: number;
  readonly failures: { id: string; message: string }[];
  readonly sample: { id: string; pattern: string; confidence: number; validUntil: string }[];
  readonly recipients: { organisations: { orgId: string; name: string; reason: string }[]; users: { userId: string; username: string; reason: string }[]; victimFields: number } | null;
}

/** Candidates below this score are not published unless asked (`--min-score`). */
export const DEFAULT_MIN_SCORE = 0.5;

/** Objects per object-store call: one transaction each. */
const CHUNK = 3000;

function internalSet(cidrs: readonly string[] | undefined): CidrSet | undefined {
  if (!cidrs || cidrs.length === 0) return undefined;
  try {
    return new CidrSet(cidrs);
  } catch (e) {
    throw new SakimoriError('BAD_REQUEST', `--internal: ${e instanceof Error ? e.message : String(e)}`, { field: 'internal' });
  }
}

export async function publishCandidates(
  state: StateStore,
  who: Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>,
  req: CandidatePublishRequest,
): Promise<CandidatePublishResult> {
  if (!(req.minScore >= 0 && req.minScore <= 1)) throw new SakimoriError('BAD_REQUEST', 'the minimum score is between 0 and 1', { field: 'minScore' });
  const collection = await getCollection(state, req.collection);
  const access = collectionAccess(collection, who);
  // A collection the caller may not even read is not named to it (need-to-know): as if absent.
  if (!access.canRead && !access.canWrite) throw new SakimoriError('NOT_FOUND', `no collection ${req.collection}`, { collection: req.collection });
  if (!access.canWrite) throw new SakimoriError('FORBIDDEN', `you may not write to collection ${collection.title}`);
  const now = req.now ?? new Date();
  const internal = internalSet(req.internal);
  let candidates = req.candidates;
  let corroborated = 0;
  if (req.corroborate) {
    const orgId = await corroborationOrg(state, who, req.org);
    const key = await communityKey(state);
    const report = await corroborationFor(state, orgId, { now });
    candidates = corroborate(candidates, report.answers, key);
    corroborated = candidates.filter((c, i) => c !== req.candidates[i]).length;
  }
  const hub = await hubIdentity(state);
  const g = candidateObjects(candidates, {
    tlp: req.tlp, minScore: req.minScore, hub, now, scope: collection.id,
    exclusions: await loadExclusionSets(state, 0), previous: await loadPublished(state, collection.id),
    ...(internal ? { internal } : {}),
  });
  let stored = 0;
  const failures: { id: string; message: string }[] = [];
  if (!req.dryRun && g.objects.length > 1) {
    for (let i = 0; i < g.objects.length; i += CHUNK) {
      const r = await putObjects(state, collection.id, g.objects.slice(i, i + CHUNK), { userId: who.userId, orgId: who.orgId });
      stored += r.successes.length;
      failures.push(...r.failures.slice(0, Math.max(0, 100 - failures.length)));
    }
    // A refused indicator keeps its old state: the next run tries it again.
    const refused = new Set(failures.map((f) => f.id));
    await savePublished(state, g.next.filter((p) => !refused.has(p.indicatorId)));
  }
  const indicators = g.objects.filter((o) => o.type === 'indicator');
  const sample = indicators.slice(0, 20).map((o) => ({ id: o.id, pattern: String(o['pattern']), confidence: Number(o['confidence']), validUntil: String(o['valid_until']) }));
  const first = indicators[0];
  const [seen] = req.dryRun && first
    ? await dryRun(state, { objects: [first], owner: { orgId: who.orgId, userId: who.userId }, audience: collection.read, anonymous: new Set([hub.id]) })
    : [];
  // A member learns its own organisation by name and the others counted, as the policy's dry run route answers.
  const w = seen && !seesEverything(who) && who.orgId !== null ? restrictDryRun(seen, who.orgId, who.userId) : seen;
  return {
    collection: { id: collection.id, title: collection.title }, dryRun: req.dryRun, tlp: req.tlp, minScore: req.minScore,
    candidates: req.candidates.length, corroborated, created: g.created, updated: g.updated, revoked: g.revoked, unchanged: g.unchanged,
    excluded: g.excluded, objects: g.objects.length, stored, failures, sample,
    recipients: w ? { organisations: w.organisations, users: w.users.map((u) => ({ userId: u.userId, username: u.username, reason: u.reason })), victimFields: w.victimFields.length } : null,
  };
}
