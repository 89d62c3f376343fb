/**
 * One pull as the CLI and the server's route run it: connect, then page the remote collection
 * into the local one through the object store, which validates every object and stores each
 * version once. Pulled objects belong to no organisation of ours (the remote published them);
 * the local collection's readers are their audience.
 */
import type { StateStore } from '../../../store/types.js';
import { getCollection } from '../collections.js';
import { putObjects } from '../object-store.js';
import { pullCollection, type PageProgress, type PullSummary } from './pull.js';
import { connect, type RemoteAuth, type RemotePolicy } from './remote.js';

export interface PullRequest {
  readonly url: string;
  readonly collection: string;
  /** The local collection (id or alias). */
  readonly into: string;
  readonly auth: RemoteAuth;
  /** Where the client may connect (share.remoteAllow): loopback, private… addresses are refused unless allowed. */
  readonly policy: RemotePolicy;
  readonly limit?: number;
  /** Who runs it: recorded as the poster of the stored versions. */
  readonly userId: string;
}

export interface PullRunSummary extends PullSummary {
  readonly apiRoot: string;
  readonly localCollection: string;
}

export async function runPull(state: StateStore, req: PullRequest, onPage?: (p: PageProgress) => void, signal?: AbortSignal): Promise<PullRunSummary> {
  const local = await getCollection(state, req.into);
  const remote = await connect(req.url, req);
  const summary = await pullCollection(state, remote, req.collection, local.id,
    (objects) => putObjects(state, local.id, objects, { userId: req.userId, orgId: null }),
    { ...(req.limit ? { limit: req.limit } : {}), ...(onPage ? { onPage } : {}), ...(signal ? { signal } : {}) });
  return { ...summary, apiRoot: remote.apiRoot, localCollection: local.id };
}
