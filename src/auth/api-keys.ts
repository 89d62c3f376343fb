/**
 * API keys: `sk_<prefix>_<secret>`, shown once at creation; only the SHA-256 of the whole key is
 * stored (the prefix identifies it in lists). A key acts for its user with at most the scopes it
 * was given (never more than the user's role allows), until it expires or is revoked.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { SCOPES, scopesOfRole, type Principal, type Role, type Scope } from './principal.js';
import { getUser } from './users.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
type Q = Pick<StateStore, 'query'>;

export interface ApiKeyInfo { id: string; prefix: string; name: string; user: string; scopes: Scope[]; createdAt: string; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null }

export async function createApiKey(state: Q, userIdOrName: string, name: string, scopes: readonly string[], expiresAt?: Date): Promise<{ key: string; info: ApiKeyInfo }> {
  const user = await getUser(state, userIdOrName);
  const allowed = scopesOfRole(user.role);
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) throw new SakimoriError('BAD_REQUEST', `unknown scope ${s} (read, write, admin)`, { field: 'scopes' });
    if (!allowed.includes(s as Scope)) throw new SakimoriError('FORBIDDEN', `role ${user.role} cannot grant scope ${s}`, { field: 'scopes' });
  }
  if (scopes.length === 0) throw new SakimoriError('BAD_REQUEST', 'at least one scope', { field: 'scopes' });
  const prefix = randomBytes(6).toString('base64url');
  const key = `sk_${prefix}_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await state.query('INSERT INTO api_keys (id, key_hash, prefix, name, user_id, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [id, sha256(key), prefix, name, user.id, [...scopes], expiresAt ?? null]);
  const [info] = await listApiKeys(state, { id });
  return { key, info: info as ApiKeyInfo };
}

export async function listApiKeys(state: Q, filter: { userId?: string; id?: string } = {}): Promise<ApiKeyInfo[]> {
  const rows = await state.query<{ id: string; prefix: string; name: string; username: string; scopes: Scope[]; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null }>(
    `SELECT k.id, k.prefix, k.name, u.username, k.scopes, k.created_at, k.expires_at, k.revoked_at, k.last_used_at
     FROM api_keys k JOIN users u ON u.id = k.user_id
     WHERE ($1::text IS NULL OR k.user_id = $1) AND ($2::text IS NULL OR k.id = $2) ORDER BY k.created_at`,
    [filter.userId ?? null, filter.id ?? null],
  );
  const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
  return rows.map((r) => ({ id: r.id, prefix: r.prefix, name: r.name, user: r.username, scopes: r.scopes, createdAt: r.created_at.toISOString(), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), lastUsedAt: iso(r.last_used_at) }));
}

export async function revokeApiKey(state: Q, idOrPrefix: string, byUserId?: string): Promise<void> {
  const rows = await state.query<{ id: string }>(
    'UPDATE api_keys SET revoked_at = now() WHERE (id = $1 OR prefix = $1) AND revoked_at IS NULL AND ($2::text IS NULL OR user_id = $2) RETURNING id',
    [idOrPrefix, byUserId ?? null],
  );
  if (rows.length === 0) throw new SakimoriError('NOT_FOUND', `no active API key ${idOrPrefix}`, { key: idOrPrefix });
}

export async function apiKeyPrincipal(state: Q, key: string, now = new Date()): Promise<Principal | undefined> {
  if (!/^sk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/.test(key)) return undefined;
  const [r] = await state.query<{ id: string; user_id: string; username: string; role: Role; org_id: string | null; scopes: Scope[] }>(
    `SELECT k.id, k.user_id, u.username, u.role, u.org_id, k.scopes FROM api_keys k JOIN users u ON u.id = k.user_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2) AND NOT u.disabled`,
    [sha256(key), now],
  );
  if (!r) return undefined;
  await state.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [r.id, now]);
  // A key never exceeds what its user's role allows now (the role may have changed since).
  const allowed = scopesOfRole(r.role);
  return { userId: r.user_id, username: r.username, role: r.role, orgId: r.org_id, via: 'api-key', scopes: r.scopes.filter((s) => allowed.includes(s)) };
}
