/**
 * Collections as the REST API and the CLI show them, for one principal: the ones it may read or
 * write, each with what it may do; creating one is for platform admins. Both halves of
 * `sakimori taxii collection` (on the stores, through a server) answer from here.
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import type { Principal } from '../../auth/principal.js';
import { collectionAccess, collectionsFor, createCollection, type Collection, type NewCollection } from './collections.js';

export interface CollectionView extends Collection { readonly canRead: boolean; readonly canWrite: boolean }

type Q = Pick<StateStore, 'query'>;

export async function collectionViews(state: Q, p: Principal): Promise<CollectionView[]> {
  return (await collectionsFor(state, p)).map(({ collection, access }) => ({ ...collection, ...access }));
}

export async function addCollection(state: Q, p: Principal, input: NewCollection): Promise<CollectionView> {
  if (!p.scopes.includes('admin')) throw new SakimoriError('FORBIDDEN', 'only platform admins create collections', { scope: 'admin' });
  const c = await createCollection(state, input, p);
  return { ...c, ...collectionAccess(c, p) };
}
