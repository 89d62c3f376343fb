/**
 * One push as the CLI and the server's route run it: the newest version of every object in a
 * local collection that the sharing policy lets the remote receive, in envelopes under the
 * remote's limit. What the policy holds back is counted by reason, never sent.
 */
import type { StateStore } from '../../../store/types.js';
import { getCollection, type Collection } from '../collections.js';
import { readObjects, type StoredObject } from '../object-store.js';
import { pushObjects, type OutgoingObject, type PushSummary } from './push.js';
import { connect, type RemoteAuth, type RemotePolicy, type TaxiiRemote } from './remote.js';

export interface PushRequest {
  readonly url: string;
  readonly collection: string;
  /** The local collection (id or alias). */
  readonly from: string;
  readonly auth: RemoteAuth;
  /** Where the client may connect (share.remoteAllow): loopback, private… addresses are refused unless allowed. */
  readonly policy: RemotePolicy;
}

/** The policy's answer for each object of a page going to the remote; `reason` names why one is held back. */
export type MayLeave = (objects: readonly StoredObject[], collection: Collection, remote: TaxiiRemote) => Promise<readonly { readonly allowed: boolean; readonly reason: string }[]>;

export interface PushRunSummary extends PushSummary {
  readonly apiRoot: string;
  readonly considered: number;
  /** Objects the policy kept from the remote, by reason. */
  readonly withheld: Readonly<Record<string, number>>;
}

export async function runPush(state: StateStore, req: PushRequest, mayLeave: MayLeave, onSent?: (objects: readonly StoredObject[], remote: TaxiiRemote) => Promise<void>, onEnvelope?: (done: number, total: number) => void): Promise<PushRunSummary> {
  const local = await getCollection(state, req.from);
  const remote = await connect(req.url, req);
  const going: StoredObject[] = [];
  const withheld: Record<string, number> = {};
  let considered = 0;
  for (let after: string | null = null; ;) {
    const page = await readObjects(state, local.id, { addedAfter: after, versions: ['last'], limit: 1000 });
    const decisions = await mayLeave(page.objects, local, remote);
    page.objects.forEach((o, i) => {
      considered++;
      const d = decisions[i] ?? { allowed: false, reason: 'undecided' };
      if (d.allowed) going.push(o);
      else withheld[d.reason] = (withheld[d.reason] ?? 0) + 1;
    });
    const last = page.objects.at(-1);
    if (!page.more || !last) break;
    after = last.dateAdded;
  }
  const out: OutgoingObject[] = going.map((o) => ({ id: o.id, version: o.version, body: o.body }));
  const summary = await pushObjects(remote, req.collection, out, onEnvelope ? { onEnvelope } : {});
  if (onSent) await onSent(going, remote);
  return { ...summary, apiRoot: remote.apiRoot, considered, withheld };
}
