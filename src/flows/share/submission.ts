/**
 * What a carrier sends the hub for corroboration: per candidate, the keyed hash of its canonical
 * (server, port, proto), the coarse client bucket and the UTC day it was last seen — nothing else
 * (docs/flows.md, "What leaves a carrier"). The address, the exact client count, the score and
 * the evidence stay with the carrier.
 */
import type { CncCandidate } from '../detect/candidate.js';
import { candidateKey, clientBucket, CLIENT_BUCKETS, type ClientBucket } from './candidate-key.js';
import { candidateHash, type CommunityKey } from './community-key.js';

export interface SubmissionEntry {
  readonly hash: string;
  readonly bucket: ClientBucket;
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
}

export interface Submission {
  readonly keyId: string;
  readonly entries: readonly SubmissionEntry[];
}

export interface SubmissionBuild {
  readonly submission: Submission;
  /** The carrier's own map back from hash to candidate key (kept locally, never sent). */
  readonly keys: ReadonlyMap<string, string>;
  /** Candidates not submitted: the server is not an address, or the port or protocol is out of range. */
  readonly skipped: number;
}

const utcDay = (iso: string): string | undefined => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined;
};

const rank = (b: ClientBucket): number => CLIENT_BUCKETS.indexOf(b);

export function buildSubmission(candidates: readonly CncCandidate[], key: CommunityKey, opts: { minScore?: number } = {}): SubmissionBuild {
  const byHashDay = new Map<string, SubmissionEntry>();
  const keys = new Map<string, string>();
  let skipped = 0;
  for (const c of candidates) {
    if (opts.minScore !== undefined && !(c.score >= opts.minScore)) continue;
    const k = candidateKey(c);
    const day = utcDay(c.lastSeen);
    if (k === undefined || day === undefined) { skipped++; continue; }
    const hash = candidateHash(key, k);
    keys.set(hash, k);
    const bucket = clientBucket(c.clients);
    const prev = byHashDay.get(`${hash}|${day}`);
    // The same server twice in one input (two detection windows): its larger bucket.
    if (!prev || rank(bucket) > rank(prev.bucket)) byHashDay.set(`${hash}|${day}`, { hash, bucket, day });
  }
  return { submission: { keyId: key.keyId, entries: [...byHashDay.values()] }, keys, skipped };
}
