/**
 * `share match --collection ID`: the peers' indicators of a collection matched against our
 * darknet and survey, the sightings published back into it, and the peers' feedback on our own
 * indicators there (sightings, opinions, notes posted over TAXII) recorded for the next publish.
 */
import type { AppContext } from '../../app/context.js';
import type { Principal } from '../../auth/principal.js';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { collectionAccess, getCollection } from '../taxii/collections.js';
import { putObjects, readObjects } from '../taxii/object-store.js';
import type { StixObject } from '../stix/types.js';
import type { Tlp } from '../stix/tlp.js';
import { recordFeedback } from './feedback.js';
import { hubIdentity } from './hub-identity.js';
import { matchPeerIndicators } from './sightings.js';

export interface MatchSummary {
  readonly collection: { id: string; title: string };
  readonly dryRun: boolean;
  readonly peerIndicators: number;
  readonly unmatchable: number;
  readonly sighted: number;
  /** New sighting versions published (or that would be). */
  readonly sightings: number;
  readonly stored: number;
  readonly failures: { id: string; message: string }[];
  readonly feedback: number;
}

const PAGE = 5000;

/** The latest version of every object in a collection. */
export async function latestObjects(state: Pick<StateStore, 'query'>, collectionId: string): Promise<StixObject[]> {
  const out: StixObject[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await readObjects(state, collectionId, { addedAfter: after, versions: ['last'], limit: PAGE });
    for (const o of page.objects) out.push(JSON.parse(o.body) as StixObject);
    if (!page.more || page.objects.length === 0) return out;
    after = page.objects[page.objects.length - 1]?.dateAdded ?? null;
  }
}

export async function matchCollection(
  ctx: Pick<AppContext, 'events' | 'state'>,
  who: Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>,
  req: { collection: string; dryRun: boolean; tlp: Tlp; now?: Date },
): Promise<MatchSummary> {
  const collection = await getCollection(ctx.state, req.collection);
  const access = collectionAccess(collection, who);
  if (!access.canRead || (!req.dryRun && !access.canWrite)) throw new SakimoriError('FORBIDDEN', `you may not ${access.canRead ? 'write to' : 'read'} collection ${collection.title}`);
  const hub = await hubIdentity(ctx.state);
  const objects = await latestObjects(ctx.state, collection.id);
  const m = await matchPeerIndicators({ events: ctx.events, state: ctx.state }, hub.id, objects, { now: req.now ?? new Date(), tlp: req.tlp });
  let stored = 0;
  const failures: { id: string; message: string }[] = [];
  let feedback = 0;
  if (!req.dryRun) {
    if (m.objects.length > 0) {
      const r = await putObjects(ctx.state, collection.id, [hub, ...m.objects], { userId: who.userId, orgId: who.orgId });
      stored = r.successes.length;
      failures.push(...r.failures);
      await m.save();
    }
    feedback = await recordFeedback(ctx.state, objects, hub.id);
  }
  return {
    collection: { id: collection.id, title: collection.title }, dryRun: req.dryRun, peerIndicators: m.peerIndicators,
    unmatchable: m.unmatchable, sighted: m.sighted, sightings: m.objects.length, stored, failures, feedback,
  };
}
