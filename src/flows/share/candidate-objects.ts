/**
 * C&C candidates as STIX 2.1 (issue 17, item 6): per candidate an `infrastructure`
 * (command-and-control), an `indicator` whose pattern matches traffic to the server's service,
 * and the `indicates` relationship between them, all by the hub's identity with the publish's TLP.
 * Attack-technical only (docs/flows.md, "What leaves a carrier"): the server, its service, when
 * it was seen, the score and its parts, and the number of clients as a coarse bucket — never a
 * client's address, the exact count or the evidence flows.
 *
 * Ids are stable per (collection, server, port, proto) (share/indicators/stable-id.ts); with the
 * previous state (published-state.ts) a re-run makes a new version only when something a consumer
 * sees changed. Exclusions are the indicators module's (reserved ranges, our own sensors, warning
 * lists), the carrier's own customers, and scores below the minimum or the decay threshold.
 */
import { CidrSet } from '../../net/cidr-set.js';
import { parseIp } from '../../net/ip.js';
import type { StixObject } from '../../share/stix/types.js';
import { TLP2_IDS, type Tlp } from '../../share/stix/tlp.js';
import { DECAY_MODELS, validUntil } from '../../share/indicators/decay.js';
import { addressExclusion, type ExclusionSets } from '../../share/indicators/exclusions.js';
import { stableId } from '../../share/indicators/stable-id.js';
import type { CncCandidate } from '../detect/candidate.js';
import { candidateKey, clientBucket } from './candidate-key.js';
import { candidatePattern, serviceText } from './candidate-pattern.js';
import type { PublishedCandidate } from './published-state.js';

export const CANDIDATE_EXCLUSIONS = ['invalid', 'reserved', 'own-sensor', 'warning-list', 'internal', 'below-min-score', 'below-threshold', 'expired'] as const;
export type CandidateExclusion = (typeof CANDIDATE_EXCLUSIONS)[number];

export interface CandidateObjectOptions {
  readonly tlp: Tlp;
  /** Candidates scoring below this (0–1, after corroboration) are not published. */
  readonly minScore: number;
  /** The hub's identity (share/indicators/hub-identity.ts): `created_by_ref` of every object. */
  readonly hub: StixObject;
  readonly now: Date;
  /** The collection the objects are for: each has its own ids and versions. Default ''. */
  readonly scope?: string;
  /** Reserved ranges are always excluded; these add our own sensors and the warning lists. */
  readonly exclusions?: ExclusionSets;
  /** The carrier's own prefixes: a customer is a victim to notify, never an indicator to share. */
  readonly internal?: CidrSet;
  /** What was published before in this scope (by canonical key). */
  readonly previous?: ReadonlyMap<string, PublishedCandidate>;
}

export interface CandidateObjectsResult {
  /** The hub's identity, then per candidate its indicator, infrastructure and relationship. */
  readonly objects: StixObject[];
  readonly created: number;
  readonly updated: number;
  readonly revoked: number;
  readonly unchanged: number;
  readonly excluded: Record<CandidateExclusion, number>;
  /** The new states to save once the objects are stored. */
  readonly next: PublishedCandidate[];
}

const KILL_CHAIN = [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }];
const DAY = (d: Date): string => d.toISOString().slice(0, 10);
/** A feature's name (beacon, size-regularity …): anything else — an address, free text — is not published. */
const PART_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
/** Parts to 3 decimals: float noise between runs is not a new version. */
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function emptyCounts(): Record<CandidateExclusion, number> {
  return Object.fromEntries(CANDIDATE_EXCLUSIONS.map((r) => [r, 0])) as Record<CandidateExclusion, number>;
}

function exclusionOf(server: string, o: CandidateObjectOptions): CandidateExclusion | undefined {
  const sets: ExclusionSets = o.exclusions ?? NO_SETS;
  const why = addressExclusion(server, sets);
  if (why === 'reserved' || why === 'own-sensor' || why === 'warning-list') return why;
  const a = parseIp(server);
  if (o.internal && a && o.internal.has(a)) return 'internal';
  return undefined;
}

const NO_SETS: ExclusionSets = { ownSensors: new CidrSet([]), warningLists: new CidrSet([]), dosMinPackets: 0 };

interface Built { indicator: StixObject; infrastructure: StixObject; relationship: StixObject; content: string }

function build(c: CncCandidate, key: string, ids: { indicator: string; infrastructure: string; relationship: string }, t: {
  created: Date; modified: Date; firstSeen: Date; lastSeen: Date; until: Date; confidence: number; score: number; revoked: boolean;
}, o: CandidateObjectOptions): Built {
  const [server = '', port = '0', proto = '0'] = key.split('|');
  const service = serviceText(Number(port), Number(proto));
  const bucket = clientBucket(c.clients);
  const marking = [TLP2_IDS[o.tlp]];
  const hubId = o.hub.id;
  const parts = Object.fromEntries(Object.entries(c.parts).filter(([k, v]) => PART_NAME.test(k) && Number.isFinite(v)).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round3(v)]));
  const created = t.created.toISOString(), modified = t.modified.toISOString();
  const firstSeen = t.firstSeen.toISOString();
  const lastSeen = (t.lastSeen > t.firstSeen ? t.lastSeen : t.firstSeen).toISOString();
  const partsText = Object.entries(parts).map(([k, v]) => `${k} ${v}`).join(', ');
  const revoked = t.revoked ? { revoked: true } : {};
  const indicator: StixObject = {
    type: 'indicator', spec_version: '2.1', id: ids.indicator, created, modified, created_by_ref: hubId,
    name: `C&C server ${server} ${service}`,
    description: `Suspected botnet C&C server ${server} (${service}), found in a carrier's flow records: contacted by ${bucket} internal client(s) `
      + `between ${DAY(t.firstSeen)} and ${DAY(t.lastSeen)}; score ${round3(t.score)}${partsText ? ` (${partsText})` : ''}.`,
    indicator_types: ['malicious-activity'],
    pattern: candidatePattern(server, Number(port), Number(proto)), pattern_type: 'stix', pattern_version: '2.1',
    valid_from: firstSeen, valid_until: t.until.toISOString(),
    confidence: t.confidence, labels: ['c2', 'flow-detection'], kill_chain_phases: KILL_CHAIN,
    external_references: [{ source_name: 'sakimori', external_id: `c2:${key}` }],
    x_sakimori_score_parts: parts, x_sakimori_client_bucket: bucket,
    ...revoked, object_marking_refs: marking,
  };
  const infrastructure: StixObject = {
    type: 'infrastructure', spec_version: '2.1', id: ids.infrastructure, created, modified, created_by_ref: hubId,
    name: `C&C ${server} ${service}`, infrastructure_types: ['command-and-control'], kill_chain_phases: KILL_CHAIN,
    first_seen: firstSeen, last_seen: lastSeen, ...revoked, object_marking_refs: marking,
  };
  const relationship: StixObject = {
    type: 'relationship', spec_version: '2.1', id: ids.relationship, created, modified, created_by_ref: hubId,
    relationship_type: 'indicates', source_ref: ids.indicator, target_ref: ids.infrastructure, ...revoked, object_marking_refs: marking,
  };
  return { indicator, infrastructure, relationship, content: contentOf(indicator, infrastructure) };
}

function contentOf(indicator: StixObject, infrastructure: StixObject): string {
  const strip = (x: StixObject): Record<string, unknown> => Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'modified'));
  return JSON.stringify({ indicator: strip(indicator), infrastructure: strip(infrastructure) });
}

function idsOf(hubId: string, scope: string, key: string): { indicator: string; infrastructure: string; relationship: string } {
  const name = `c2|${scope}|${key}`;
  const indicator = stableId('indicator', hubId, name);
  const infrastructure = stableId('infrastructure', hubId, name);
  return { indicator, infrastructure, relationship: stableId('relationship', hubId, `${indicator}|indicates|${infrastructure}`) };
}

/** A revoked version of what was published (STIX 2.1 section 3.6: final). */
function revokedVersion(prev: PublishedCandidate, modified: Date, hubId: string): StixObject[] {
  const was = JSON.parse(prev.content) as { indicator: StixObject; infrastructure: StixObject };
  const m = modified.toISOString();
  const indicator = { ...was.indicator, modified: m, revoked: true };
  const infrastructure = { ...was.infrastructure, modified: m, revoked: true };
  const relationship: StixObject = {
    type: 'relationship', spec_version: '2.1', id: stableId('relationship', hubId, `${indicator.id}|indicates|${infrastructure.id}`),
    created: prev.created.toISOString(), modified: m, created_by_ref: hubId, relationship_type: 'indicates',
    source_ref: indicator.id, target_ref: infrastructure.id, revoked: true, object_marking_refs: indicator['object_marking_refs'] ?? [],
  };
  return [indicator, infrastructure, relationship];
}

export function candidateObjects(candidates: readonly CncCandidate[], o: CandidateObjectOptions): CandidateObjectsResult {
  const scope = o.scope ?? '';
  const hubId = o.hub.id;
  const excluded = emptyCounts();
  const objects: StixObject[] = [o.hub];
  const next: PublishedCandidate[] = [];
  let created = 0, updated = 0, revoked = 0, unchanged = 0;
  const touched = new Set<string>();
  const modifiedAfter = (prev: PublishedCandidate | undefined): Date => (prev && prev.modified.getTime() >= o.now.getTime() ? new Date(prev.modified.getTime() + 1) : o.now);

  // The best-scoring entry of each (server, port, proto): an input may list one twice.
  const best = new Map<string, CncCandidate>();
  for (const c of candidates) {
    const key = candidateKey(c);
    const first = Date.parse(c.firstSeen), last = Date.parse(c.lastSeen);
    if (key === undefined || !Number.isFinite(first) || !Number.isFinite(last) || !Number.isFinite(c.score)) { excluded.invalid++; continue; }
    const had = best.get(key);
    if (!had || c.score > had.score) best.set(key, c);
  }

  for (const [key, c] of best) {
    const server = key.split('|')[0] ?? '';
    const why = exclusionOf(server, o);
    if (why) { excluded[why]++; continue; }
    if (c.score < o.minScore) { excluded['below-min-score']++; continue; }
    const prev = o.previous?.get(key);
    touched.add(key);
    if (prev?.revoked) { unchanged++; continue; }
    const firstSeen = new Date(Math.min(Date.parse(c.firstSeen), prev?.firstSeen.getTime() ?? Infinity));
    const lastSeen = new Date(Math.max(Date.parse(c.lastSeen), prev?.lastSeen.getTime() ?? -Infinity));
    const score = Math.min(1, Math.max(0, c.score));
    const confidence = Math.round(100 * score);
    const until = validUntil(confidence, lastSeen, DECAY_MODELS.c2);
    if (until === null) { excluded['below-threshold']++; continue; }
    if (until.getTime() <= o.now.getTime()) { excluded.expired++; continue; }
    const ids = idsOf(hubId, scope, key);
    const createdAt = prev?.created ?? o.now;
    // valid_until after valid_from (STIX 2.1 section 4.7).
    const safeUntil = until.getTime() > firstSeen.getTime() ? until : new Date(firstSeen.getTime() + 1000);
    const times = { created: createdAt, firstSeen, lastSeen, until: safeUntil, confidence, score, revoked: false };
    const probe = build(c, key, ids, { ...times, modified: prev?.modified ?? o.now }, o);
    if (prev && probe.content === prev.content) { unchanged++; continue; }
    const modified = prev ? modifiedAfter(prev) : o.now;
    const b = prev ? build(c, key, ids, { ...times, modified }, o) : probe;
    objects.push(b.indicator, b.infrastructure, b.relationship);
    next.push({ scope, key, indicatorId: ids.indicator, created: createdAt, modified, firstSeen, lastSeen, confidence, revoked: false, content: b.content });
    if (prev) updated++; else created++;
  }

  // Published before, not in this run: revoked when its server is now excluded (put on a warning
  // list, found to be ours); otherwise left to decay.
  for (const prev of o.previous?.values() ?? []) {
    if (touched.has(prev.key) || prev.revoked) continue;
    if (exclusionOf(prev.key.split('|')[0] ?? '', o) === undefined) continue;
    const modified = modifiedAfter(prev);
    const objs = revokedVersion(prev, modified, hubId);
    objects.push(...objs);
    const [indicator, infrastructure] = objs as [StixObject, StixObject];
    next.push({ ...prev, modified, revoked: true, content: contentOf(indicator, infrastructure) });
    revoked++;
  }
  return { objects, created, updated, revoked, unchanged, excluded, next };
}
