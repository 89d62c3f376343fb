/**
 * `sakimori share honeypot` and POST /api/v1/honeypot/share: the honeypots' malicious URLs,
 * download hosts and file hashes of a window into a collection as indicators (attack-technical:
 * no client address, no honeypot address), by a principal that may write it. Ids are stable per
 * collection and observable, so a re-publish makes a new version only when something a consumer
 * sees changed (previous-versions.ts); evidence accumulates across windows (the earliest
 * valid_from, the highest confidence, the latest valid_until). An observable published before and
 * excluded now (its host put on a warning list, found to be ours) is revoked. A dry run stores
 * nothing and says what would be published, what was excluded and why, and who would receive it.
 */
import type { Principal } from '../../auth/principal.js';
import type { EventsStore, StateStore } from '../../store/types.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import type { StixObject } from '../../share/stix/types.js';
import type { Tlp } from '../../share/stix/tlp.js';
import { canonicalJson } from '../../share/stix/jcs.js';
import { hubIdentity } from '../../share/indicators/hub-identity.js';
import { loadExclusionSets } from '../../share/indicators/exclusions.js';
import { writableCollection } from '../../share/taxii/collections.js';
import { putObjects } from '../../share/taxii/object-store.js';
import { dryRun } from '../../share/policy/dry-run.js';
import { BUILT_IN_BENIGN_DOMAINS, DomainList } from './benign-domains.js';
import { honeypotObservables } from './honeypot-observables.js';
import { judgeObservables } from './honeypot-evidence.js';
import { honeypotSet, HONEYPOT_EXCLUSIONS, type HoneypotExclusion } from './observable-exclusions.js';
import {
  honeypotConfidence, honeypotIndicator, honeypotIndicatorId, honeypotValidUntil, indicates, sampleMalware, sampleMalwareId,
  type HoneypotObservableKind,
} from './honeypot-indicator-objects.js';
import { previousVersions, type PreviousVersion } from './previous-versions.js';

export interface HoneypotShareRequest {
  readonly collection: string;
  readonly tlp: Tlp;
  readonly window: TimeWindow;
  readonly dryRun: boolean;
  /** Names added to the built-in benign domains for this publish. */
  readonly benignDomains?: readonly string[];
  readonly now?: Date;
}

export interface HoneypotShareResult {
  collection: { id: string; title: string };
  dryRun: boolean;
  tlp: Tlp;
  from: string;
  to: string;
  /** Observables read from the window: URLs, hosts, file hashes. */
  observables: { urls: number; hosts: number; hashes: number };
  created: number;
  updated: number;
  revoked: number;
  unchanged: number;
  excluded: Record<HoneypotExclusion, number>;
  objects: number;
  stored: number;
  failures: { id: string; message: string }[];
  sample: { id: string; pattern: string; confidence: number; validUntil: string; labels: string[] }[];
  recipients: { organisations: { orgId: string; name: string; reason: string }[]; users: { userId: string; username: string; reason: string }[]; victimFields: number } | null;
}

/** Objects per object-store call: one transaction each. */
const CHUNK = 3000;

/** A consumer's view of an object: everything but its `modified`. */
const content = (o: Readonly<Record<string, unknown>>): string => canonicalJson({ ...o, modified: null });
const after = (p: PreviousVersion, now: Date): Date => (p.modified.getTime() >= now.getTime() ? new Date(p.modified.getTime() + 1) : now);

export async function publishHoneypotIndicators(
  stores: { events: EventsStore; state: StateStore },
  who: Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>,
  req: HoneypotShareRequest,
): Promise<HoneypotShareResult> {
  const { state } = stores;
  const collection = await writableCollection(state, req.collection, who);
  const now = req.now ?? new Date();
  const hub = await hubIdentity(state);
  const hubId = hub.id;
  const observed = await honeypotObservables(stores.events, req.window);
  const sets = {
    shared: await loadExclusionSets(state, 0),
    honeypots: honeypotSet(observed.honeypotAddresses),
    benign: new DomainList([...BUILT_IN_BENIGN_DOMAINS, ...(req.benignDomains ?? [])]),
  };
  const { list, invalid } = judgeObservables(observed, sets);
  const excluded = Object.fromEntries(HONEYPOT_EXCLUSIONS.map((r) => [r, 0])) as Record<HoneypotExclusion, number>;
  excluded.invalid += invalid;
  const idOf = (kind: HoneypotObservableKind, value: string): string => honeypotIndicatorId(hubId, collection.id, kind, value);
  const prev = await previousVersions(state, collection.id, list.map((j) => idOf(j.evidence.kind, j.evidence.value)));

  const objects: StixObject[] = [hub];
  let created = 0, updated = 0, revoked = 0, unchanged = 0;
  /** Indicators live in the collection after this publish (new, new version or unchanged), by kind|value. */
  const live = new Set<string>();
  const fresh: { sha256: string; id: string; created: Date; urls: readonly string[] }[] = [];
  for (const j of list) {
    const e = j.evidence;
    const id = idOf(e.kind, e.value);
    const p = prev.get(id);
    // A revocation is final (STIX 2.1 section 3.6).
    if (p?.revoked) { unchanged++; continue; }
    if (j.excluded) {
      excluded[j.excluded]++;
      if (p) {
        objects.push({ ...p.body, modified: after(p, now).toISOString(), revoked: true } as StixObject);
        updated++;
        revoked++;
      }
      continue;
    }
    const confidence = Math.max(p?.confidence ?? 0, honeypotConfidence(e));
    const until = honeypotValidUntil(e, confidence);
    if (until === null) { excluded['below-threshold']++; continue; }
    const validUntil = p?.validUntil && p.validUntil > until ? p.validUntil : until;
    // Already past its validity: a consumer would drop it at once.
    if (!p && validUntil.getTime() <= now.getTime()) { excluded.expired++; continue; }
    const firstSeen = p && p.validFrom < e.firstSeen ? p.validFrom : e.firstSeen;
    const base = { id, created: p?.created ?? now, modified: p?.modified ?? now, firstSeen, validUntil, confidence, revoked: false };
    let o = honeypotIndicator(e, base, hubId, req.tlp);
    live.add(`${e.kind}|${e.value}`);
    if (p) {
      if (content(o) === content(p.body)) { unchanged++; continue; }
      o = honeypotIndicator(e, { ...base, modified: after(p, now) }, hubId, req.tlp);
      updated++;
    } else created++;
    objects.push(o);
    if (e.kind === 'hash') fresh.push({ sha256: e.value, id, created: base.created, urls: j.urls });
  }
  // A new or changed file indicator: its malware object, and what indicates it (the file, the URLs it came from).
  for (const f of fresh) {
    const malwareId = sampleMalwareId(hubId, collection.id, f.sha256);
    objects.push(sampleMalware(f.sha256, malwareId, f.created, hubId, req.tlp), indicates(f.id, malwareId, f.created, hubId, req.tlp));
    for (const url of f.urls) if (live.has(`url|${url}`)) objects.push(indicates(idOf('url', url), malwareId, f.created, hubId, req.tlp));
  }

  let stored = 0;
  const failures: { id: string; message: string }[] = [];
  if (!req.dryRun && objects.length > 1) {
    for (let i = 0; i < objects.length; i += CHUNK) {
      const r = await putObjects(state, collection.id, objects.slice(i, i + CHUNK), { userId: who.userId, orgId: who.orgId });
      stored += r.successes.length;
      failures.push(...r.failures.slice(0, Math.max(0, 100 - failures.length)));
    }
  }
  const indicators = objects.filter((o) => o.type === 'indicator');
  const sample = indicators.slice(0, 20).map((o) => ({
    id: o.id, pattern: String(o['pattern']), confidence: Number(o['confidence']), validUntil: String(o['valid_until']),
    labels: Array.isArray(o['labels']) ? o['labels'].map(String) : [],
  }));
  const first = indicators[0];
  const [seen] = req.dryRun && first
    ? await dryRun(state, { objects: [first], owner: { orgId: who.orgId, userId: who.userId }, audience: collection.read, anonymous: new Set([hubId]) })
    : [];
  return {
    collection: { id: collection.id, title: collection.title }, dryRun: req.dryRun, tlp: req.tlp,
    from: req.window.from.toISOString(), to: req.window.to.toISOString(),
    observables: { urls: observed.urls.length, hosts: observed.hosts.length, hashes: observed.hashes.length },
    created, updated, revoked, unchanged, excluded, objects: objects.length > 1 ? objects.length : 0, stored, failures, sample,
    recipients: seen ? { organisations: seen.organisations, users: seen.users.map((u) => ({ userId: u.userId, username: u.username, reason: u.reason })), victimFields: seen.victimFields.length } : null,
  };
}
