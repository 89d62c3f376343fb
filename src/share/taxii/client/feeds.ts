/** The feeds the client pulls and their persisted cursors (state migration 021). */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../../store/types.js';

type Q = Pick<StateStore, 'query'>;

export interface PullCursor {
  /** The remote's X-TAXII-Date-Added-Last of the last complete read, as it sent it. */
  readonly addedAfter: string | null;
  /** The remote's `next` while a paged read is under way (it belongs to `addedAfter`). */
  readonly next: string | null;
}

export interface Feed extends PullCursor {
  readonly id: string;
  readonly apiRoot: string;
  readonly remoteCollection: string;
  readonly localCollection: string;
  readonly pages: number;
  readonly objectsReceived: number;
  readonly objectsFailed: number;
  readonly createdAt: string;
  readonly lastPullAt: string | null;
  readonly lastError: string | null;
}

interface Row {
  id: string; api_root: string; remote_collection: string; local_collection: string;
  added_after: string | null; next_cursor: string | null; pages: string | number;
  objects_received: string | number; objects_failed: string | number;
  created_at: Date; last_pull_at: Date | null; last_error: string | null;
}

const feedOf = (r: Row): Feed => ({
  id: r.id, apiRoot: r.api_root, remoteCollection: r.remote_collection, localCollection: r.local_collection,
  addedAfter: r.added_after, next: r.next_cursor, pages: Number(r.pages),
  objectsReceived: Number(r.objects_received), objectsFailed: Number(r.objects_failed),
  createdAt: r.created_at.toISOString(), lastPullAt: r.last_pull_at?.toISOString() ?? null, lastError: r.last_error,
});

/** The feed of this remote collection into this local one, made on first use. */
export async function feedFor(state: Q, apiRoot: string, remoteCollection: string, localCollection: string): Promise<Feed> {
  await state.query(
    `INSERT INTO share_feeds (id, api_root, remote_collection, local_collection) VALUES ($1, $2, $3, $4)
     ON CONFLICT (api_root, remote_collection, local_collection) DO NOTHING`,
    [randomUUID(), apiRoot, remoteCollection, localCollection],
  );
  const [r] = await state.query<Row>('SELECT * FROM share_feeds WHERE api_root = $1 AND remote_collection = $2 AND local_collection = $3', [apiRoot, remoteCollection, localCollection]);
  if (!r) throw new Error('feed row vanished after insert');
  return feedOf(r);
}

export async function listFeeds(state: Q): Promise<Feed[]> {
  return (await state.query<Row>('SELECT * FROM share_feeds ORDER BY created_at, id')).map(feedOf);
}

/** Moves the cursor past a page once its objects are stored. */
export async function advanceFeed(tx: Q, feedId: string, cursor: PullCursor, received: number, failed: number): Promise<void> {
  await tx.query(
    `UPDATE share_feeds SET added_after = $2, next_cursor = $3, pages = pages + 1, objects_received = objects_received + $4,
       objects_failed = objects_failed + $5, last_pull_at = now(), last_error = NULL WHERE id = $1`,
    [feedId, cursor.addedAfter, cursor.next, received, failed],
  );
}

/** Forgets a `next` the remote no longer accepts: the read restarts from `addedAfter`. */
export async function dropNext(state: Q, feedId: string): Promise<void> {
  await state.query('UPDATE share_feeds SET next_cursor = NULL WHERE id = $1', [feedId]);
}

export async function feedFailed(state: Q, feedId: string, message: string): Promise<void> {
  await state.query('UPDATE share_feeds SET last_error = $2, last_pull_at = now() WHERE id = $1', [feedId, message.slice(0, 2000)]);
}
