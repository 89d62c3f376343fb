/**
 * `share publish`: the indicators generated from stored observations, put into a collection
 * through the object store (docs/sharing.md), by a principal that may write it. The indicators'
 * state is saved only once their objects are stored, so a failed publish is simply run again.
 * A dry run stores nothing and says what would be published and what was excluded, and why.
 */
import type { AppContext } from '../../app/context.js';
import type { Principal } from '../../auth/principal.js';
import { SakimoriError } from '../../errors.js';
import { parseTime, parseWindow, type TimeWindow } from '../../analyze/time-window.js';
import { writableCollection } from '../taxii/collections.js';
import { putObjects } from '../taxii/object-store.js';
import type { Tlp } from '../stix/tlp.js';
import { generateIndicators, objectsOf, type GenerateCounts } from './generate.js';
import { saveIndicators } from './indicator-state.js';
import { dryRun } from '../policy/dry-run.js';

export interface PublishRequest {
  readonly collection: string;
  readonly tlp: Tlp;
  readonly window: TimeWindow;
  readonly dryRun: boolean;
  readonly now?: Date;
}

export interface PublishResult extends GenerateCounts {
  readonly collection: { id: string; title: string };
  readonly dryRun: boolean;
  readonly tlp: Tlp;
  readonly from: string;
  readonly to: string;
  /** Objects (versions) sent to the collection, or that would be. */
  readonly objects: number;
  readonly stored: number;
  readonly failures: { id: string; message: string }[];
  /** The first indicators that would be published (a dry run's sample). */
  readonly sample: { id: string; pattern: string; confidence: number; validUntil: string; labels: string[] }[];
  /**
   * A dry run's answer to "who would receive it" (the policy's dry run, policy/dry-run.ts) for the
   * indicators: all carry the same marking and audience, so the first one stands for them. Null
   * when not a dry run or nothing would be published.
   */
  readonly recipients: { organisations: { orgId: string; name: string; reason: string }[]; users: { userId: string; username: string; reason: string }[]; victimFields: number } | null;
}

/** Objects per object-store call: one transaction each. */
const CHUNK = 5000;

export async function publishIndicators(
  ctx: Pick<AppContext, 'events' | 'state' | 'fingerprinter' | 'config'>,
  who: Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>,
  req: PublishRequest,
  progress?: (stage: string, done: number, total: number) => void,
): Promise<PublishResult> {
  const collection = await writableCollection(ctx.state, req.collection, who);
  const g = await generateIndicators(
    { events: ctx.events, state: ctx.state, fingerprints: ctx.fingerprinter.fingerprints },
    { scope: collection.id, window: req.window, tlp: req.tlp, now: req.now ?? new Date(), dryRun: true, withObjects: false, dosMinPackets: ctx.config.darknet.dos.minPackets, ...(progress ? { progress } : {}) },
  );
  // Objects are built a chunk of indicators at a time: a million never sit in memory at once.
  const first = objectsOf(g.hub, g.next, 0, CHUNK);
  const timings = { ...g.timings };
  let stored = 0;
  const failures: { id: string; message: string }[] = [];
  if (!req.dryRun) {
    const t0 = performance.now();
    let built = 0;
    for (let i = 0; i === 0 || i < g.next.length; i += CHUNK) {
      const chunk = i === 0 ? first : objectsOf(g.hub, g.next, i, i + CHUNK);
      const r = await putObjects(ctx.state, collection.id, chunk, { userId: who.userId, orgId: who.orgId });
      stored += r.successes.length;
      built += chunk.length;
      failures.push(...r.failures.slice(0, Math.max(0, 100 - failures.length)));
      progress?.('objects stored', built, g.objectCount);
    }
    timings['put-objects'] = Math.round(performance.now() - t0);
    const t1 = performance.now();
    await saveIndicators(ctx.state, g.next);
    timings['save-state'] = Math.round(performance.now() - t1);
  }
  const sample = first.filter((o) => o.type === 'indicator').slice(0, 20).map((o) => ({
    id: o.id, pattern: String(o['pattern']), confidence: Number(o['confidence']), validUntil: String(o['valid_until']),
    labels: Array.isArray(o['labels']) ? o['labels'].map(String) : [],
  }));
  const firstIndicator = first.find((o) => o.type === 'indicator');
  const [who0] = req.dryRun && firstIndicator
    ? await dryRun(ctx.state, { objects: [firstIndicator], owner: { orgId: who.orgId, userId: who.userId }, audience: collection.read, anonymous: new Set([g.hub.id]) })
    : [];
  const recipients = who0
    ? { organisations: who0.organisations, users: who0.users.map((u) => ({ userId: u.userId, username: u.username, reason: u.reason })), victimFields: who0.victimFields.length }
    : null;
  return {
    recipients,
    collection: { id: collection.id, title: collection.title }, dryRun: req.dryRun, tlp: req.tlp,
    from: req.window.from.toISOString(), to: req.window.to.toISOString(),
    sources: g.sources, created: g.created, updated: g.updated, revoked: g.revoked, unchanged: g.unchanged, excluded: g.excluded,
    objects: g.objectCount, stored, failures, sample, timings,
  };
}

const DAY_MS = 86_400_000;

/** The window of a publish: `--from`/`--to` (days or times); `to` defaults to the end of today (UTC), `from` to 7 days before `to`. */
export function publishWindow(from: string | undefined, to: string | undefined, now = new Date()): TimeWindow {
  const end = to ? parseTime(to, 'to') : new Date((Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS);
  return parseWindow(from, end.toISOString(), { from: new Date(end.getTime() - 7 * DAY_MS), to: end });
}
