/**
 * Indicators from the darknet's scanners (issue 16, item 5): the sources of a window that are
 * scanners and may be published become new indicators or new versions of the ones already
 * published (same id, later `modified`); indicators outside the window get a new version when
 * peers' feedback changed them. Nothing is written in a dry run.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import type { Fingerprint } from '../../classify/fingerprints.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import type { StixObject } from '../stix/types.js';
import type { Tlp } from '../stix/tlp.js';
import { DECAY_MODELS, validUntil } from './decay.js';
import { addressExclusion, emptyExclusionCounts, loadExclusionSets, sourceExclusion, type ExclusionReason } from './exclusions.js';
import { adjustedConfidence, peerFeedback, revokedByPeers, type PeerFeedback } from './feedback.js';
import { hubIdentity } from './hub-identity.js';
import { indicatorBundleObjects, isMalwareTag, toolObject } from './indicator-objects.js';
import { loadIndicators, saveIndicators, type IndicatorState } from './indicator-state.js';
import { scannerSources, type ScannerSource } from './scanner-sources.js';
import { stableId } from './stable-id.js';

export interface GenerateOptions {
  /** The collection the indicators are for: each has its own indicators (ids, versions, marking). */
  readonly scope: string;
  readonly window: TimeWindow;
  readonly tlp: Tlp;
  readonly now: Date;
  readonly dryRun: boolean;
  /** Backscatter packets from which a source is a DoS victim (darknet.dos.minPackets). */
  readonly dosMinPackets: number;
  /** Called between stages (a terminal shows them). */
  readonly progress?: (stage: string, done: number, total: number) => void;
  /**
   * Build every object now (default). A publish of a million indicators passes false and builds
   * them a chunk at a time with `objectsOf`, so they are never all in memory at once.
   */
  readonly withObjects?: boolean;
}

/** What a generation counted: the sources read, what became of their indicators, what was excluded and why, where the time went. Publish reports the same. */
export interface GenerateCounts {
  readonly sources: number;
  readonly created: number;
  readonly updated: number;
  readonly revoked: number;
  readonly unchanged: number;
  readonly excluded: Record<ExclusionReason, number>;
  /** Milliseconds per stage: where the time goes. */
  readonly timings: Record<string, number>;
}

export interface GenerateResult extends GenerateCounts {
  readonly hub: StixObject;
  /** The new versions to publish: hub identity, tool objects, indicators and their relationships (empty when built later). */
  readonly objects: StixObject[];
  /** How many objects the new versions make (whether built now or not). */
  readonly objectCount: number;
  /** The indicators' new states (saved unless a dry run; publish saves them once stored). */
  readonly next: readonly IndicatorState[];
}

export interface GenerateDeps {
  readonly events: EventsStore;
  readonly state: StateStore;
  readonly fingerprints: readonly Fingerprint[];
}

/** Our own evidence as a confidence: a tag's posterior, or the days a plain scanner was seen. */
export function baseConfidence(s: Pick<ScannerSource, 'tags' | 'days'>): number {
  const tagged = Math.max(0, ...s.tags.map((t) => t.confidence));
  if (s.tags.length > 0) return Math.max(50, Math.round(95 * tagged));
  return 50 + Math.min(25, 5 * (Math.max(1, s.days) - 1));
}

const sameTime = (a: Date | null, b: Date | null): boolean => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

/** Whether a consumer would see a difference between two states of an indicator. */
function changed(a: IndicatorState, b: IndicatorState): boolean {
  return !sameTime(a.firstSeen, b.firstSeen) || !sameTime(a.lastSeen, b.lastSeen) || !sameTime(a.validUntil, b.validUntil)
    || a.confidence !== b.confidence || a.revoked !== b.revoked || a.tlp !== b.tlp || a.cls !== b.cls
    || a.packets !== b.packets || a.daysSeen !== b.daysSeen || a.tags.join(',') !== b.tags.join(',');
}

/** The feedback and decay applied to an indicator's evidence. */
function settle(s: Omit<IndicatorState, 'confidence' | 'validUntil' | 'revoked'>, fb: PeerFeedback | undefined, wasRevoked: boolean): IndicatorState {
  const peerSightings = fb?.sightings ?? 0;
  const peerObjections = fb?.objections ?? 0;
  const confidence = adjustedConfidence(s.baseConfidence, peerSightings, peerObjections);
  // A revocation is final (STIX 2.1 section 3.6): nothing un-revokes it.
  const revoked = wasRevoked || revokedByPeers(peerObjections);
  return { ...s, peerSightings, peerObjections, confidence, revoked, validUntil: validUntil(confidence, s.lastSeen, DECAY_MODELS[s.kind]) };
}

export async function generateIndicators(deps: GenerateDeps, o: GenerateOptions): Promise<GenerateResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string): void => {
    const n = performance.now();
    timings[stage] = Math.round(n - t);
    t = n;
  };
  const hub = await hubIdentity(deps.state);
  const sources = await scannerSources(deps.events, deps.fingerprints, o.window);
  lap('read-darknet');
  o.progress?.('sources read', sources.length, sources.length);
  const sets = await loadExclusionSets(deps.state, o.dosMinPackets);
  const known = await loadIndicators(deps.state, o.scope);
  const feedback = await peerFeedback(deps.state);
  lap('read-state');

  const excluded = emptyExclusionCounts();
  const next: IndicatorState[] = [];
  let created = 0, updated = 0, revoked = 0, unchanged = 0;
  const touched = new Set<string>();
  const modifiedAfter = (prev: IndicatorState | undefined): Date => (prev && prev.modified.getTime() >= o.now.getTime() ? new Date(prev.modified.getTime() + 1) : o.now);
  for (const s of sources) {
    const why = sourceExclusion(s, sets);
    if (why) { excluded[why]++; continue; }
    const prev = known.get(s.ip);
    if (prev?.revoked) { touched.add(s.ip); unchanged++; continue; }
    const id = prev?.id ?? stableId('indicator', hub.id, o.scope === '' ? s.ip : `${o.scope}|${s.ip}`);
    const base = baseConfidence(s);
    const evidence = {
      scope: o.scope, value: s.ip, id, kind: 'scanner' as const,
      created: prev?.created ?? o.now, modified: prev?.modified ?? o.now,
      firstSeen: prev && prev.firstSeen < s.firstSeen ? prev.firstSeen : s.firstSeen,
      lastSeen: prev && prev.lastSeen > s.lastSeen ? prev.lastSeen : s.lastSeen,
      daysSeen: Math.max(prev?.daysSeen ?? 0, s.days), packets: Math.max(prev?.packets ?? 0, s.packets),
      cls: s.cls, tags: [...new Set([...(prev?.tags ?? []), ...s.tags.map((x) => x.tag)])].sort(),
      baseConfidence: Math.max(prev?.baseConfidence ?? 0, base), peerSightings: 0, peerObjections: 0, tlp: o.tlp,
    };
    const settled = settle(evidence, feedback.get(id), false);
    touched.add(s.ip);
    if (!prev) {
      if (settled.validUntil === null) { excluded['below-threshold']++; continue; }
      // Already past its validity: a consumer would drop it at once.
      if (settled.validUntil.getTime() <= o.now.getTime()) { excluded.expired++; continue; }
      next.push(settled);
      created++;
    } else if (changed(prev, settled)) {
      next.push({ ...settled, modified: modifiedAfter(prev) });
      updated++;
      if (settled.revoked) revoked++;
    } else unchanged++;
  }
  // Indicators not seen in this window (or excluded now): a new version only when peers'
  // feedback changed them, or revoked when the address was put on a warning list or found to be
  // ours since it was published.
  for (const prev of known.values()) {
    if (touched.has(prev.value) || prev.revoked) continue;
    const nowExcluded = addressExclusion(prev.value, sets) !== undefined;
    const settled = settle(prev, feedback.get(prev.id), nowExcluded);
    if (changed(prev, settled)) {
      next.push({ ...settled, modified: modifiedAfter(prev) });
      updated++;
      if (settled.revoked) revoked++;
    }
  }
  lap('decide');
  o.progress?.('indicators decided', next.length, next.length);

  const objects = o.withObjects === false ? [] : objectsOf(hub, next, 0, next.length);
  const objectCount = o.withObjects === false ? headObjects(hub, next).length + next.reduce((n, s) => n + 1 + s.tags.filter(isMalwareTag).length, 0) : objects.length;
  lap('objects');
  if (!o.dryRun) await saveIndicators(deps.state, next);
  lap('save-state');
  return {
    hub, objects, objectCount, sources: sources.length, created, updated, revoked,
    unchanged, excluded, next, timings,
  };
}

/** The hub's identity and the tool (malware) objects the indicators refer to. */
function headObjects(hub: StixObject, next: readonly IndicatorState[]): StixObject[] {
  const tags = new Set(next.flatMap((s) => s.tags));
  return [hub, ...[...tags].sort().flatMap((tag) => toolObject(tag, hub.id) ?? [])];
}

/**
 * The objects of indicators `next[from, to)`: each indicator with its relationships, after the
 * hub identity and tool objects when `from` is 0 (they come first, so every reference resolves).
 */
export function objectsOf(hub: StixObject, next: readonly IndicatorState[], from: number, to: number): StixObject[] {
  const out = from === 0 ? headObjects(hub, next) : [];
  for (let i = from; i < Math.min(to, next.length); i++) out.push(...indicatorBundleObjects(next[i] as IndicatorState, hub.id as string));
  return out;
}
