import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { compareTimestamps } from '../share/stix/timestamps.js';
import { auditReleased, release, type Released } from '../share/policy/release.js';
import { collectionAccess, getCollection, type Collection } from '../share/taxii/collections.js';
import { readObjects, type StoredObject } from '../share/taxii/object-store.js';
import { access } from './auth-plugin.js';
import { SHARE_OBJECTS, type ShareObjectSummary } from './contract/share-objects.js';
import { serveRoute } from './serve-route.js';

/** A collection the principal may read; any other is "not found", so its existence does not leak. */
async function readable(ctx: AppContext, req: FastifyRequest, ref: string): Promise<Collection> {
  const p = access(req).principal;
  const c = await getCollection(ctx.state, ref).catch(() => null);
  if (!c || !collectionAccess(c, p).canRead) throw new SakimoriError('NOT_FOUND', `no collection ${ref} that you may read`, { collection: ref });
  return c;
}

function releaseTo(req: FastifyRequest, c: Collection) {
  const p = access(req).principal;
  // The console shows it to a person; a key's client takes it away: the audit names which.
  return { audience: new Set(c.read), to: { userId: p.userId, orgId: p.orgId, role: p.role }, path: p.via === 'session' ? 'console' as const : 'rest' as const, collectionId: c.id };
}

/** What an object is, in a few words: its name, its value or its pattern. */
function labelOf(body: string): { label: string; revoked: boolean } {
  try {
    const o = JSON.parse(body) as Record<string, unknown>;
    const label = [o['name'], o['value'], o['pattern'], o['opinion'], o['content']].find((v): v is string => typeof v === 'string') ?? '';
    return { label: label.slice(0, 300), revoked: o['revoked'] === true };
  } catch {
    return { label: '', revoked: false };
  }
}

const summary = (o: StoredObject): ShareObjectSummary => ({ id: o.id, type: o.type, version: o.version, dateAdded: o.dateAdded, tlp: o.tlp, ownerOrgId: o.ownerOrgId, ...labelOf(o.body) });

/** The console's object browser and REST clients: every object passes the sharing policy and is audited. */
export const shareObjectRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, SHARE_OBJECTS.list, async (req) => {
    const c = await readable(ctx, req, req.query.collection);
    const want = req.query.limit;
    const picked: Released<StoredObject>[] = [];
    let after: string | null = req.query.after ?? null;
    let more = true;
    // Read past what the policy holds back until the page is full or the collection ends.
    while (picked.length < want && more) {
      const page = await readObjects(ctx.state, c.id, { addedAfter: after, versions: ['last'], limit: Math.max(want, 100), ...(req.query.type ? { types: [req.query.type] } : {}) });
      more = page.more;
      const released = new Map((await release(ctx.state, page.objects, { ...releaseTo(req, c), audit: false })).map((r) => [r.object, r]));
      for (const o of page.objects) {
        if (picked.length === want) { more = true; break; }
        after = o.dateAdded;
        const r = released.get(o);
        if (r) picked.push(r);
      }
    }
    // Only what is shown is delivered: audited once the page is cut.
    await auditReleased(ctx.state, picked, releaseTo(req, c));
    const out = picked.map((r) => summary(r.object));
    return { objects: out, next: more ? after : null };
  });
  serveRoute(app, SHARE_OBJECTS.one, async (req) => {
    const c = await readable(ctx, req, req.query.collection);
    const all = await readObjects(ctx.state, c.id, { ids: [req.params.id], versions: ['all'], limit: 1000 });
    const released = (await release(ctx.state, all.objects, releaseTo(req, c))).map((r) => r.object);
    // Versions compare as timestamps at full precision, not as text ('.1Z' is '.10Z').
    const newest = released.reduce<StoredObject | undefined>((a, o) => (!a || compareTimestamps(o.version, a.version) > 0 ? o : a), undefined);
    if (!newest) throw new SakimoriError('NOT_FOUND', `no object ${req.params.id} in this collection that you may receive`, { id: req.params.id });
    return {
      collection: c.id, id: req.params.id,
      versions: released.map((o) => ({ version: o.version, dateAdded: o.dateAdded, tlp: o.tlp })).sort((a, b) => a.dateAdded.localeCompare(b.dateAdded)),
      object: JSON.parse(newest.body) as unknown,
    };
  });
};
