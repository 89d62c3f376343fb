/**
 * The observables read from the honeypots, as evidence per indicator: URLs, hosts (normalised,
 * the same host stored in two spellings counted once) and file hashes, each with its exclusion
 * when it may not be published.
 */
import type { HoneypotObservables } from './honeypot-observables.js';
import type { HoneypotEvidence } from './honeypot-indicator-objects.js';
import { hashExclusion, hostExclusion, normaliseHost, urlExclusion, type HoneypotExclusion, type HoneypotExclusionSets } from './observable-exclusions.js';

export interface JudgedEvidence {
  readonly evidence: HoneypotEvidence;
  readonly excluded: HoneypotExclusion | undefined;
  /** For a hash: the URLs it came from (to relate their indicators to its malware object). */
  readonly urls: readonly string[];
}

const earlier = (a: Date, b: Date): Date => (a < b ? a : b);
const later = (a: Date, b: Date): Date => (a > b ? a : b);

export function judgeObservables(o: HoneypotObservables, sets: HoneypotExclusionSets): { list: JudgedEvidence[]; invalid: number } {
  const list: JudgedEvidence[] = [];
  let invalid = 0;
  for (const u of o.urls) {
    const delivered = u.sha256.length > 0;
    list.push({
      evidence: { kind: 'url', value: u.url, sources: u.sources, sessions: u.sessions, delivered, firstSeen: new Date(u.firstSeen), lastSeen: new Date(u.lastSeen) },
      excluded: urlExclusion(u.url, delivered, sets), urls: [],
    });
  }
  const hosts = new Map<string, { e: HoneypotEvidence; ip: boolean }>();
  for (const h of o.hosts) {
    const n = normaliseHost(h.host);
    if (!n) { invalid++; continue; }
    const e: HoneypotEvidence = { kind: 'host', value: n.host, sources: h.sources, sessions: h.sessions, delivered: h.files > 0, firstSeen: new Date(h.firstSeen), lastSeen: new Date(h.lastSeen) };
    const had = hosts.get(n.host);
    // Two spellings of one host: their sources may overlap, so the larger count, not the sum.
    hosts.set(n.host, had ? {
      ip: n.ip,
      e: {
        ...e, sources: Math.max(had.e.sources, e.sources), sessions: Math.max(had.e.sessions, e.sessions), delivered: had.e.delivered || e.delivered,
        firstSeen: earlier(had.e.firstSeen, e.firstSeen), lastSeen: later(had.e.lastSeen, e.lastSeen),
      },
    } : { e, ip: n.ip });
  }
  for (const { e, ip } of hosts.values()) list.push({ evidence: e, excluded: hostExclusion({ host: e.value, ip }, sets), urls: [] });
  for (const h of o.hashes) {
    list.push({
      evidence: { kind: 'hash', value: h.sha256, sources: h.sources, sessions: h.sessions, delivered: true, firstSeen: new Date(h.firstSeen), lastSeen: new Date(h.lastSeen) },
      excluded: hashExclusion(h.sha256), urls: h.urls,
    });
  }
  return { list, invalid };
}
