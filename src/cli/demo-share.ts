/**
 * The demo's sharing hub: the day's scanners published as STIX indicators (TLP:GREEN) into a
 * collection every demo organisation reads, so the console's Sharing pages, the TAXII server at
 * /taxii2/ and `share export` have something to show. Run again, it stores nothing new (the
 * indicators are versioned by what changed).
 */
import type { AppContext } from '../app/context.js';
import { peerPrincipal } from '../api/auth-plugin.js';
import { listOrgs } from '../orgs/org-store.js';
import { publishIndicators, publishWindow } from '../share/indicators/publish.js';
import { createCollection, getCollection } from '../share/taxii/collections.js';

export const DEMO_COLLECTION = 'scanners';

export async function demoShare(ctx: AppContext, date: string): Promise<{ collection: string; indicators: number; stored: number }> {
  const owner = peerPrincipal();
  const readers = (await listOrgs(ctx.state)).map((o) => o.id);
  const collection = await getCollection(ctx.state, DEMO_COLLECTION).catch(() => null)
    ?? await createCollection(ctx.state, {
      title: 'Scanners seen by the darknet', alias: DEMO_COLLECTION,
      description: "Indicators of the day's scanning sources, with their tool tags and decaying confidence", read: readers, write: [],
    }, owner);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  // As of the end of the demo's day: its scanners would have decayed past their validity by now.
  const r = await publishIndicators(ctx, owner, { collection: collection.id, tlp: 'green', window: publishWindow(date, next), dryRun: false, now: new Date(`${next}T00:00:00Z`) });
  return { collection: collection.title, indicators: r.created + r.updated, stored: r.stored };
}
