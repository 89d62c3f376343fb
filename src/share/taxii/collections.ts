/**
 * TAXII collections: a title, an optional alias, and the organisations that may read and write
 * it. Who may do what with a collection is answered here (`collectionAccess`), once, for the
 * TAXII server, the REST routes and the CLI alike: the hub's operators (platform admins,
 * analysts) read every collection; an organisation's users read the collections their
 * organisation reads and write those it writes (with a key or role that may write at all).
 */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import type { Principal } from '../../auth/principal.js';

type Q = Pick<StateStore, 'query'>;

export interface Collection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly alias: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Organisation ids that may read it: the audience of its objects (policy/decide.ts). */
  readonly read: readonly string[];
  readonly write: readonly string[];
}

export interface NewCollection {
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  /** Organisations by id or name. */
  readonly read?: readonly string[];
  readonly write?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Aliases are path segments of their own, never mistaken for an id. */
const ALIAS = /^[a-z0-9][a-z0-9._-]{0,63}$/;

interface Row { id: string; title: string; description: string; alias: string | null; created_at: Date; created_by: string; readers: string[] | null; writers: string[] | null }

const SELECT = `SELECT c.id::text AS id, c.title, c.description, c.alias, c.created_at, c.created_by,
    array_remove(array_agg(a.org_id ORDER BY a.org_id) FILTER (WHERE a.can_read), NULL) AS readers,
    array_remove(array_agg(a.org_id ORDER BY a.org_id) FILTER (WHERE a.can_write), NULL) AS writers
  FROM share_collections c LEFT JOIN share_collection_access a ON a.collection_id = c.id`;

const toCollection = (r: Row): Collection => ({
  id: r.id, title: r.title, description: r.description, alias: r.alias, createdAt: r.created_at.toISOString(), createdBy: r.created_by,
  read: r.readers ?? [], write: r.writers ?? [],
});

async function orgIds(state: Q, refs: readonly string[], field: string): Promise<string[]> {
  const ids: string[] = [];
  for (const ref of refs) {
    const [o] = await state.query<{ id: string }>('SELECT id FROM organisations WHERE id = $1 OR name = $1', [ref]);
    if (!o) throw new SakimoriError('NOT_FOUND', `no organisation ${ref}`, { field, organisation: ref });
    if (!ids.includes(o.id)) ids.push(o.id);
  }
  return ids;
}

export async function createCollection(state: Q, input: NewCollection, by: string | { readonly userId: string }): Promise<Collection> {
  const title = input.title.trim();
  if (title.length === 0 || title.length > 200) throw new SakimoriError('BAD_REQUEST', 'a title of 1 to 200 characters', { field: 'title' });
  const description = (input.description ?? '').trim();
  if (description.length > 2000) throw new SakimoriError('BAD_REQUEST', 'a description of at most 2000 characters', { field: 'description' });
  const alias = input.alias?.trim() || null;
  if (alias !== null && !ALIAS.test(alias)) throw new SakimoriError('BAD_REQUEST', 'an alias is 1 to 64 of a-z 0-9 . _ - starting with a letter or digit', { field: 'alias' });
  if (alias !== null && UUID.test(alias)) throw new SakimoriError('BAD_REQUEST', 'an alias cannot look like a collection id', { field: 'alias' });
  const read = await orgIds(state, input.read ?? [], 'read');
  const write = await orgIds(state, input.write ?? [], 'write');
  if (alias !== null && (await state.query('SELECT 1 FROM share_collections WHERE alias = $1', [alias])).length) {
    throw new SakimoriError('BAD_REQUEST', `a collection with alias ${alias} exists`, { field: 'alias' });
  }
  const id = randomUUID();
  await state.query('INSERT INTO share_collections (id, title, description, alias, created_by) VALUES ($1, $2, $3, $4, $5)', [id, title, description, alias, typeof by === 'string' ? by : by.userId]);
  const orgs = [...new Set([...read, ...write])];
  if (orgs.length) {
    await state.query(
      'INSERT INTO share_collection_access (collection_id, org_id, can_read, can_write) SELECT $1, o, o = ANY($3::text[]), o = ANY($4::text[]) FROM unnest($2::text[]) AS o',
      [id, orgs, read, write],
    );
  }
  return getCollection(state, id);
}

/** A collection by id or alias; NOT_FOUND otherwise. */
export async function getCollection(state: Q, idOrAlias: string): Promise<Collection> {
  const byId = UUID.test(idOrAlias);
  const [r] = await state.query<Row>(`${SELECT} WHERE ${byId ? 'c.id = $1::uuid' : 'c.alias = $1'} GROUP BY c.id`, [byId ? idOrAlias.toLowerCase() : idOrAlias]);
  if (!r) throw new SakimoriError('NOT_FOUND', `no collection ${idOrAlias}`, { collection: idOrAlias });
  return toCollection(r);
}

export async function listCollections(state: Q): Promise<Collection[]> {
  const rows = await state.query<Row>(`${SELECT} GROUP BY c.id ORDER BY c.created_at, c.id`);
  return rows.map(toCollection);
}

export interface CollectionAccess { readonly canRead: boolean; readonly canWrite: boolean }

/** Whether the hub's operators run this principal: they read every collection. */
const operator = (p: Pick<Principal, 'role'>): boolean => p.role === 'platform-admin' || p.role === 'analyst';

export function collectionAccess(c: Collection, p: Pick<Principal, 'role' | 'orgId' | 'scopes'>): CollectionAccess {
  const mayWrite = p.scopes.includes('write');
  if (operator(p)) return { canRead: p.scopes.includes('read'), canWrite: mayWrite };
  if (p.orgId === null) return { canRead: false, canWrite: false };
  return { canRead: p.scopes.includes('read') && c.read.includes(p.orgId), canWrite: mayWrite && c.write.includes(p.orgId) };
}

/**
 * A collection the principal may write, for publish and import. One it may neither read nor write
 * is answered as if it did not exist (its title is not the caller's to learn); one it may read but
 * not write is refused by its title.
 */
export async function writableCollection(state: Q, idOrAlias: string, p: Pick<Principal, 'role' | 'orgId' | 'scopes'>): Promise<Collection> {
  const c = await getCollection(state, idOrAlias);
  const access = collectionAccess(c, p);
  if (access.canWrite) return c;
  if (!access.canRead) throw new SakimoriError('NOT_FOUND', `no collection ${idOrAlias}`, { collection: idOrAlias });
  throw new SakimoriError('FORBIDDEN', `you may not write to collection ${c.title}`);
}

/** The collections a principal may read or write, each with what it may do. */
export async function collectionsFor(state: Q, p: Pick<Principal, 'role' | 'orgId' | 'scopes'>): Promise<{ collection: Collection; access: CollectionAccess }[]> {
  return (await listCollections(state))
    .map((collection) => ({ collection, access: collectionAccess(collection, p) }))
    .filter((c) => c.access.canRead || c.access.canWrite);
}
