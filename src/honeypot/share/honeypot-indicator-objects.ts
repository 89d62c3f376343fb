/**
 * Honeypot observables as STIX 2.1 (section 4.7 indicators, attack-technical only): a URL
 * (`[url:value = '…']`), a download host (`[domain-name:value = '…']`, or `[ipv4-addr:…]` /
 * `[ipv6-addr:…]` for an address literal: an attacker's server, never ours) and a file
 * (`[file:hashes.'SHA-256' = '…']`), each with indicator_types malicious-activity, a kill chain
 * phase, a confidence from how many sources and sessions named it, and a validity that decays
 * (MISP's model, share/indicators/decay.ts). A file also gets a malware object (a sample, not a
 * family) that its indicator and the URLs it came from `indicate`. Descriptions carry counts and
 * dates only: no client and no honeypot address.
 */
import { isIP } from 'node:net';
import type { StixObject } from '../../share/stix/types.js';
import { TLP2_IDS, type Tlp } from '../../share/stix/tlp.js';
import { validUntil, type DecayModel } from '../../share/indicators/decay.js';
import { stableId } from '../../share/indicators/stable-id.js';

export const HONEYPOT_OBSERVABLE_KINDS = ['url', 'host', 'hash'] as const;
export type HoneypotObservableKind = (typeof HONEYPOT_OBSERVABLE_KINDS)[number];

/**
 * A dropper URL or host is moved within days to weeks (a VPS is rebuilt, a domain taken down); a
 * file's hash never stops naming that file, but what matters of it fades over months.
 */
export const HONEYPOT_DECAY: Readonly<Record<HoneypotObservableKind, DecayModel>> = {
  url: { lifetimeDays: 30, decaySpeed: 1, threshold: 30 },
  host: { lifetimeDays: 30, decaySpeed: 1, threshold: 30 },
  hash: { lifetimeDays: 365, decaySpeed: 2, threshold: 30 },
};

const PHASE: Readonly<Record<HoneypotObservableKind, string>> = { url: 'delivery', host: 'delivery', hash: 'installation' };
const LABEL: Readonly<Record<HoneypotObservableKind, string>> = { url: 'malicious-url', host: 'download-host', hash: 'malware-sample' };

/** One observable's evidence, as the honeypots saw it in the window. */
export interface HoneypotEvidence {
  readonly kind: HoneypotObservableKind;
  /** The URL, the normalised host, or the SHA-256 (lower-case hex). */
  readonly value: string;
  readonly sources: number;
  readonly sessions: number;
  /** A file came from it (a URL or host that delivered), or it is a file. */
  readonly delivered: boolean;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
}

/**
 * 50 for one source in one session, +10 per further source (up to 4 more), +2 per further session
 * (up to 5 more), +10 when a file arrived: many attackers naming the same thing, and a payload
 * actually delivered, make it less likely a typo or a probe. At most 95: a honeypot can be fed.
 */
export function honeypotConfidence(e: Pick<HoneypotEvidence, 'sources' | 'sessions' | 'delivered'>): number {
  const sources = Math.max(1, e.sources);
  const moreSessions = Math.max(0, e.sessions - sources);
  return Math.min(95, 40 + 10 * Math.min(5, sources) + 2 * Math.min(5, moreSessions) + (e.delivered ? 10 : 0));
}

/** A STIX pattern string literal: backslash and quote escaped (STIX 2.1 patterning, section 9.3). */
export const patternString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function honeypotPattern(kind: HoneypotObservableKind, value: string): string {
  if (kind === 'url') return `[url:value = ${patternString(value)}]`;
  if (kind === 'hash') return `[file:hashes.'SHA-256' = ${patternString(value)}]`;
  const family = isIP(value);
  return `[${family === 6 ? 'ipv6-addr' : family === 4 ? 'ipv4-addr' : 'domain-name'}:value = ${patternString(value)}]`;
}

/** Ids per collection: the same observable in the same collection is the same indicator, a new version each time it changes. */
export const honeypotIndicatorId = (hubId: string, scope: string, kind: HoneypotObservableKind, value: string): string =>
  stableId('indicator', hubId, `${scope}|honeypot|${kind}|${value}`);

export const sampleMalwareId = (hubId: string, scope: string, sha256: string): string => stableId('malware', hubId, `${scope}|honeypot-sample|${sha256}`);

const day = (d: Date): string => d.toISOString().slice(0, 10);

function describe(e: HoneypotEvidence): { name: string; description: string } {
  const seen = `${e.sources} source(s) in ${e.sessions} session(s) between ${day(e.firstSeen)} and ${day(e.lastSeen)}`;
  if (e.kind === 'url') {
    return { name: `Malicious URL ${e.value}`, description: `A URL attackers had the hub's honeypots fetch or named there${e.delivered ? ' (a file came from it)' : ''}: ${seen}. Recorded, never fetched by the hub.` };
  }
  if (e.kind === 'host') {
    return { name: `Download host ${e.value}`, description: `The host of URLs attackers had the hub's honeypots fetch or named there${e.delivered ? ' (files came from it)' : ''}: ${seen}.` };
  }
  return { name: `Malware sample SHA-256 ${e.value}`, description: `A file attackers had the hub's honeypots download or pushed to them: ${seen}.` };
}

export interface IndicatorVersion {
  readonly id: string;
  readonly created: Date;
  readonly modified: Date;
  readonly firstSeen: Date;
  readonly validUntil: Date;
  readonly confidence: number;
  readonly revoked: boolean;
}

export function honeypotIndicator(e: HoneypotEvidence, v: IndicatorVersion, hubId: string, tlp: Tlp): StixObject {
  // valid_until must be later than valid_from (STIX 2.1 section 4.7).
  const until = v.validUntil.getTime() > v.firstSeen.getTime() ? v.validUntil : new Date(v.firstSeen.getTime() + 1000);
  return {
    type: 'indicator', spec_version: '2.1', id: v.id,
    created: v.created.toISOString(), modified: v.modified.toISOString(), created_by_ref: hubId,
    ...describe(e),
    indicator_types: ['malicious-activity'],
    pattern: honeypotPattern(e.kind, e.value), pattern_type: 'stix', pattern_version: '2.1',
    valid_from: v.firstSeen.toISOString(), valid_until: until.toISOString(),
    kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: PHASE[e.kind] }],
    confidence: v.confidence,
    labels: ['honeypot', LABEL[e.kind]],
    ...(v.revoked ? { revoked: true } : {}),
    external_references: [{ source_name: 'sakimori', external_id: `honeypot-${e.kind}:${e.value}` }],
    object_marking_refs: [TLP2_IDS[tlp]],
  };
}

/** `valid_until` from the evidence; null when its confidence is below the threshold from the start. */
export function honeypotValidUntil(e: HoneypotEvidence, confidence: number): Date | null {
  return validUntil(confidence, e.lastSeen, HONEYPOT_DECAY[e.kind]);
}

/** A file's malware object (a sample: is_family false) with the same marking as its indicator. */
export function sampleMalware(sha256: string, id: string, created: Date, hubId: string, tlp: Tlp): StixObject {
  const at = created.toISOString();
  return {
    type: 'malware', spec_version: '2.1', id, created: at, modified: at, created_by_ref: hubId,
    name: `Honeypot sample ${sha256.slice(0, 16)}`, is_family: false,
    description: `The file with SHA-256 ${sha256}, downloaded by or pushed to the hub's honeypots.`,
    object_marking_refs: [TLP2_IDS[tlp]],
  };
}

export function indicates(indicatorId: string, malwareId: string, created: Date, hubId: string, tlp: Tlp): StixObject {
  const at = created.toISOString();
  return {
    type: 'relationship', spec_version: '2.1', id: stableId('relationship', hubId, `${indicatorId}|indicates|${malwareId}`),
    created: at, modified: at, created_by_ref: hubId, relationship_type: 'indicates',
    source_ref: indicatorId, target_ref: malwareId, object_marking_refs: [TLP2_IDS[tlp]],
  };
}
