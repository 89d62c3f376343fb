/**
 * TLP:RED goes only to the users named for one object version. A naming counts only when it was
 * made by the version's owner (its user, or a user of its organisation): nobody can name
 * themselves a recipient of someone else's RED object.
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { checkVersionRef } from './consent.js';

type Q = Pick<StateStore, 'query'>;

/**
 * User ids of `users` (ids or usernames). `strict` (a caller who sees every user): NOT_FOUND names
 * the first one missing, at `field.i`. Otherwise a name that matches no user is left out without
 * a word, so the answer cannot tell an unknown name from a user the caller may not see.
 */
export async function resolveUsers(state: Q, users: readonly string[], field: string, opts: { strict: boolean } = { strict: true }): Promise<string[]> {
  if (users.length === 0) return [];
  const found = await state.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE id = ANY ($1::text[]) OR username = ANY ($1::text[])', [[...users]]);
  if (opts.strict) {
    users.forEach((u, i) => {
      if (!found.some((f) => f.id === u || f.username === u)) throw new SakimoriError('NOT_FOUND', `no user ${u}`, { field: `${field}.${i}` });
    });
  }
  return found.map((f) => f.id);
}

/** Of `ids`, the users a caller of `orgId` may see: its organisation's users, and itself. */
export async function usersVisibleTo(state: Q, ids: readonly string[], viewer: { readonly orgId: string | null; readonly userId: string }): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await state.query<{ id: string }>('SELECT id FROM users WHERE id = ANY ($1::text[]) AND (id = $2 OR ($3::text IS NOT NULL AND org_id = $3))', [[...ids], viewer.userId, viewer.orgId]);
  const visible = new Set(rows.map((r) => r.id));
  return ids.filter((id) => visible.has(id));
}

/**
 * Names `users` (ids or usernames) as recipients; returns the user ids named. Not `strict`,
 * names that match no user are skipped (see `resolveUsers`).
 */
export async function nameRedRecipients(state: Q, objectId: string, version: string, users: readonly string[], by: string, opts: { strict: boolean } = { strict: true }): Promise<string[]> {
  checkVersionRef(objectId, version);
  if (users.length === 0) throw new SakimoriError('BAD_REQUEST', 'name at least one user', { field: 'users' });
  const ids = await resolveUsers(state, users, 'users', opts);
  if (ids.length === 0) return [];
  await state.query(
    'INSERT INTO share_red_recipients (object_id, version, user_id, named_by) SELECT $1, $2, unnest($3::text[]), $4 ON CONFLICT DO NOTHING',
    [objectId, version, ids, by],
  );
  return ids;
}

export interface Naming { readonly userId: string; readonly namedBy: string; readonly namedByOrg: string | null }

/** Namings of these versions, with the namer's organisation: `id|version` → namings. */
export async function namingsFor(state: Q, versions: readonly { id: string; version: string }[]): Promise<Map<string, Naming[]>> {
  const out = new Map<string, Naming[]>();
  if (versions.length === 0) return out;
  const rows = await state.query<{ object_id: string; version: string; user_id: string; named_by: string; org_id: string | null }>(
    `SELECT r.object_id, r.version, r.user_id, r.named_by, n.org_id FROM share_red_recipients r
     JOIN unnest($1::text[], $2::text[]) AS v(id, version) ON r.object_id = v.id AND r.version = v.version
     LEFT JOIN users n ON n.id = r.named_by`,
    [versions.map((v) => v.id), versions.map((v) => v.version)],
  );
  for (const r of rows) {
    const k = `${r.object_id}|${r.version}`;
    const l = out.get(k) ?? [];
    l.push({ userId: r.user_id, namedBy: r.named_by, namedByOrg: r.org_id });
    out.set(k, l);
  }
  return out;
}
