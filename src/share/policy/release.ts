/**
 * The one way stored objects leave the hub: each version is decided for its recipient by the
 * policy (`subjectsFor` + `decide`, with the community of who serves whom), and what is let go
 * is written to the egress audit in the same call. TAXII reads, the REST object routes, exports
 * and pushes release through here, so no path can decide without auditing or audit without
 * deciding.
 */
import type { StateStore } from '../../store/types.js';
import { loadCommunity } from './community.js';
import { decide, type PolicyDecision, type PolicyReason, type PolicyRecipient } from './decide.js';
import { recordEgress, type EgressPath } from './egress-audit.js';
import { subjectsFor, type StoredVersion } from './subjects.js';
import { hubIdentity } from '../indicators/hub-identity.js';

type Q = Pick<StateStore, 'query'>;

export interface ReleaseOptions {
  /** The organisations the objects are addressed to (a collection's readers). */
  readonly audience: ReadonlySet<string>;
  readonly to: PolicyRecipient;
  readonly path: EgressPath;
  readonly collectionId: string | null;
  /** Identities that name no victim; default: the hub's own (sightings anonymised to it). */
  readonly anonymous?: ReadonlySet<string>;
  /** Decide only (manifests, counts): nothing is delivered, so nothing is audited. */
  readonly audit?: boolean;
}

export interface Released<T> { readonly object: T; readonly reason: PolicyReason }

/** The policy's decision on each version for the recipient, in the order given (nothing audited). */
export async function decideAll(state: Q, versions: readonly StoredVersion[], opts: Pick<ReleaseOptions, 'audience' | 'to' | 'anonymous'>): Promise<PolicyDecision[]> {
  if (versions.length === 0) return [];
  const anonymous = opts.anonymous ?? new Set([(await hubIdentity(state)).id]);
  const [community, subjects] = await Promise.all([loadCommunity(state), subjectsFor(state, versions, { audience: opts.audience, anonymous })]);
  return subjects.map((s) => decide(s, opts.to, community));
}

/** The versions the recipient may receive, in the order given, each with the policy's reason. */
export async function release<T extends StoredVersion>(state: Q, versions: readonly T[], opts: ReleaseOptions): Promise<Released<T>[]> {
  const decisions = await decideAll(state, versions, opts);
  const out: Released<T>[] = [];
  decisions.forEach((d, i) => {
    const v = versions[i];
    if (d.allowed && v) out.push({ object: v, reason: d.reason });
  });
  if (opts.audit !== false) await auditReleased(state, out, opts);
  return out;
}

/** Writes released versions to the egress audit: for a path that decides first and delivers a part later (a page cut short, a push). */
export async function auditReleased(state: Q, released: readonly Released<StoredVersion>[], opts: Pick<ReleaseOptions, 'to' | 'path' | 'collectionId'>): Promise<void> {
  if (!released.length) return;
  await recordEgress(state, released.map(({ object, reason }) => ({
    userId: opts.to.userId, orgId: opts.to.orgId, objectId: object.id, version: object.version, ownerOrgId: object.ownerOrgId,
    collectionId: opts.collectionId, path: opts.path, reason,
  })));
}
