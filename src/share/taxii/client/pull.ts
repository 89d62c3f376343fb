/**
 * `taxii pull`: a remote collection's objects into a local collection, page by page with
 * `added_after` and `next`. A page's objects are stored before the cursor moves past them, and
 * storing a version already held is a success that stores nothing, so a pull killed at any
 * point resumes at the first page not yet passed and neither loses nor repeats an object. A newer version of
 * an object becomes the one served; an older one arriving late is kept as history only.
 */
import { SakimoriError, isSakimoriError } from '../../../errors.js';
import type { StateStore } from '../../../store/types.js';
import type { StixObject } from '../../stix/types.js';
import { advanceFeed, dropNext, feedFailed, feedFor, type Feed, type PullCursor } from './feeds.js';
import { collectionUrl, taxiiRequest, type TaxiiRemote } from './remote.js';

/** Stores a page into the local collection (the object store's putObjects, validated there). */
export type PageSink = (objects: StixObject[]) => Promise<{ successes: readonly unknown[]; failures: readonly { id: string; message: string }[] }>;

export interface PageProgress {
  readonly page: number;
  readonly objects: number;
  readonly received: number;
  readonly failed: number;
  readonly cursor: PullCursor;
}

export interface PullSummary {
  readonly feedId: string;
  readonly pages: number;
  readonly received: number;
  readonly stored: number;
  readonly failed: number;
  /** The first failures, each with the object's id and why it was refused. */
  readonly failures: { id: string; message: string }[];
  readonly cursor: PullCursor;
}

interface Envelope { more?: unknown; next?: unknown; objects?: unknown }

export interface PullOptions {
  readonly limit?: number;
  readonly onPage?: (p: PageProgress) => void;
  /** Stops after the page being stored (Ctrl-C): the cursor stays at the last stored page. */
  readonly signal?: AbortSignal;
}

function pageUrl(remote: TaxiiRemote, collection: string, cursor: PullCursor, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor.addedAfter) q.set('added_after', cursor.addedAfter);
  if (cursor.next) q.set('next', cursor.next);
  return `${collectionUrl(remote, collection, 'objects/')}?${q.toString()}`;
}

/** The objects of an envelope that are JSON objects with a type and an id; the rest are failures. */
function objectsOf(env: Envelope): { objects: StixObject[]; malformed: { id: string; message: string }[] } {
  const list = Array.isArray(env.objects) ? (env.objects as unknown[]) : [];
  const objects: StixObject[] = [];
  const malformed: { id: string; message: string }[] = [];
  list.forEach((o, i) => {
    if (o && typeof o === 'object' && !Array.isArray(o) && typeof (o as { type?: unknown }).type === 'string' && typeof (o as { id?: unknown }).id === 'string') objects.push(o as StixObject);
    else malformed.push({ id: `objects[${i}]`, message: 'not a STIX object (no type or id)' });
  });
  return { objects, malformed };
}

export async function pullCollection(
  state: StateStore,
  remote: TaxiiRemote,
  remoteCollection: string,
  localCollection: string,
  sink: PageSink,
  opts: PullOptions = {},
): Promise<PullSummary> {
  const limit = opts.limit ?? 1000;
  const feed: Feed = await feedFor(state, remote.apiRoot, remoteCollection, localCollection);
  let cursor: PullCursor = { addedAfter: feed.addedAfter, next: feed.next };
  let pages = 0, received = 0, stored = 0, failed = 0;
  const failures: { id: string; message: string }[] = [];
  try {
    for (;;) {
      if (opts.signal?.aborted) break;
      let answer;
      try {
        answer = await taxiiRequest<Envelope>(pageUrl(remote, remoteCollection, cursor, limit), remote);
      } catch (e) {
        // A `next` the server forgot (expired, server restarted): read again from added_after.
        if (cursor.next && isSakimoriError(e) && (e.where['status'] === 400 || e.where['status'] === 404)) {
          await dropNext(state, feed.id);
          cursor = { addedAfter: cursor.addedAfter, next: null };
          continue;
        }
        throw e;
      }
      const env = answer.body;
      const { objects, malformed } = objectsOf(env);
      const last = answer.headers.get('x-taxii-date-added-last');
      const more = env.more === true;
      const next: PullCursor = more && typeof env.next === 'string' && env.next
        ? { addedAfter: cursor.addedAfter, next: env.next }
        : { addedAfter: last ?? cursor.addedAfter, next: null };
      if (more && !next.next && next.addedAfter === cursor.addedAfter) {
        throw new SakimoriError('TAXII_REMOTE_FAILED', 'the server says there is more but gives neither `next` nor a later X-TAXII-Date-Added-Last', { url: remote.apiRoot });
      }
      const result = objects.length ? await sink(objects) : { successes: [], failures: [] };
      await advanceFeed(state, feed.id, next, objects.length + malformed.length, result.failures.length + malformed.length);
      cursor = next;
      pages++;
      received += objects.length + malformed.length;
      stored += result.successes.length;
      failed += result.failures.length + malformed.length;
      for (const f of [...malformed, ...result.failures]) if (failures.length < 20) failures.push(f);
      opts.onPage?.({ page: pages, objects: objects.length + malformed.length, received, failed, cursor });
      if (!more) break;
    }
  } catch (e) {
    await feedFailed(state, feed.id, e instanceof Error ? e.message : String(e));
    throw e;
  }
  return { feedId: feed.id, pages, received, stored, failed, failures, cursor };
}
