/**
 * API keys: `sk_<prefix>_<secret>`, shown once at creation; only the SHA-256 of the whole key is
 * stored (the prefix identifies it in lists). A key acts for its user with at most the scopes it
 * was given (never more than the user's role allows), until it expires or is revoked.
 *
 * Minting through the API (`mintApiKey`) needs a session, the owner's socket or an `admin` key;
 * a new key never has more scopes than its caller, nor a later expiry than the calling key, and
 * a key minted by a key is revoked with it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { SCOPES, scopesOfRole, type Principal, type Role, type Scope } from './principal.js';
import { getUser } from './users.js';
import { forgetPrincipals } from './principal-cache.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
type Q = Pick<StateStore, 'query'>;

export interface ApiKeyInfo { id: string; prefix: string; name: string; user: string; scopes: Scope[]; createdAt: string; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null }

export async function createApiKey(state: Q, userIdOrName: string, name: string, scopes: readonly string[], expiresAt?: Date, parentId?: string): Promise<{ key: string; info: ApiKeyInfo }> {
  const user = await getUser(state, userIdOrName);
  const allowed = scopesOfRole(user.role);
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) throw new SakimoriError('BAD_REQUEST', `unknown scope ${s} (read, write, admin)`, { field: 'scopes' });
    if (!allowed.includes(s as Scope)) throw new SakimoriError('FORBIDDEN', `role ${user.role} cannot grant scope ${s}`, { field: 'scopes' });
  }
  if (scopes.length === 0) throw new SakimoriError('BAD_REQUEST', 'at least one scope', { field: 'scopes' });
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new SakimoriError('BAD_TIME', 'expiresAt is not a time', { field: 'expiresAt' });
  const prefix = randomBytes(6).toString('base64url');
  const key = `sk_${prefix}_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await state.query('INSERT INTO api_keys (id, key_hash, prefix, name, user_id, scopes, expires_at, parent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [id, sha256(key), prefix, name, user.id, [...scopes], expiresAt ?? null, parentId ?? null]);
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

/**
 * May this caller create or revoke keys? A session (the user signed in), the owner's socket or an
 * `admin` key; a plain read or write key may not (it could otherwise outlive its own revocation).
 */
export function assertKeyManager(caller: Principal): void {
  if (caller.via === 'api-key' && !caller.scopes.includes('admin')) {
    throw new SakimoriError('FORBIDDEN', 'API keys are managed from a signed-in session or with an admin-scoped key', { scope: 'admin' });
  }
}

/**
 * A key for `forUser` (default: the caller itself; another user only with scope `admin`), with
 * scopes ⊆ the caller's and, when the caller is a key, an expiry no later than the caller's and
 * the caller as its parent.
 */
export async function mintApiKey(state: Q, caller: Principal, input: { name: string; scopes: readonly string[]; expiresAt?: Date; forUser?: string }): Promise<{ key: string; info: ApiKeyInfo }> {
  assertKeyManager(caller);
  const forUser = input.forUser ?? caller.userId;
  if (forUser !== caller.userId && !caller.scopes.includes('admin')) throw new SakimoriError('FORBIDDEN', 'only an admin creates keys for other users', { field: 'user' });
  if (caller.via === 'peer' && input.forUser === undefined) throw new SakimoriError('BAD_REQUEST', 'name the user the key acts for', { field: 'user' });
  for (const s of input.scopes) {
    if ((SCOPES as readonly string[]).includes(s) && !caller.scopes.includes(s as Scope)) {
      throw new SakimoriError('FORBIDDEN', `a key cannot grant scope ${s}, which its caller does not have`, { field: 'scopes' });
    }
  }
  let expiresAt = input.expiresAt;
  if (caller.via === 'api-key' && caller.keyExpiresAt) {
    if (!expiresAt) expiresAt = caller.keyExpiresAt;
    else if (expiresAt.getTime() > caller.keyExpiresAt.getTime()) {
      throw new SakimoriError('FORBIDDEN', `a key cannot outlive the key that creates it (${caller.keyExpiresAt.toISOString()})`, { field: 'expiresAt' });
    }
  }
  return createApiKey(state, forUser, input.name, input.scopes, expiresAt, caller.via === 'api-key' ? caller.keyId : undefined);
}

/** Revokes a key and every key minted from it, at any depth. `byUserId`: only that user's keys. */
export async function revokeApiKey(state: Q, idOrPrefix: string, byUserId?: string): Promise<void> {
  const rows = await state.query<{ id: string }>(
    'UPDATE api_keys SET revoked_at = now() WHERE (id = $1 OR prefix = $1) AND revoked_at IS NULL AND ($2::text IS NULL OR user_id = $2) RETURNING id',
    [idOrPrefix, byUserId ?? null],
  );
  if (rows.length === 0) throw new SakimoriError('NOT_FOUND', `no active API key ${idOrPrefix}`, { key: idOrPrefix });
  forgetPrincipals();
  await state.query(
    `WITH RECURSIVE minted AS (
       SELECT id FROM api_keys WHERE parent_id = ANY($1::text[])
       UNION SELECT k.id FROM api_keys k JOIN minted m ON k.parent_id = m.id
     )
     UPDATE api_keys SET revoked_at = now() WHERE id IN (SELECT id FROM minted) AND revoked_at IS NULL`,
    [rows.map((r) => r.id)],
  );
}

const lastUseWritten = new Map<string, number>();

export async function apiKeyPrincipal(state: Q, key: string, now = new Date()): Promise<Principal | undefined> {
  if (!/^sk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/.test(key)) return undefined;
  const [r] = await state.query<{ id: string; user_id: string; username: string; role: Role; org_id: string | null; scopes: Scope[]; expires_at: Date | null }>(
    `SELECT k.id, k.user_id, u.username, u.role, u.org_id, k.scopes, k.expires_at FROM api_keys k JOIN users u ON u.id = k.user_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2) AND NOT u.disabled`,
    [sha256(key), now],
  );
  if (!r) return undefined;
  // Last use to the minute: a write per request would make every call (even one refused by the
  // rate limits right after) cost a state-store write.
  const written = lastUseWritten.get(r.id);
  if (written === undefined || now.getTime() - written >= 60_000) {
    lastUseWritten.set(r.id, now.getTime());
    if (lastUseWritten.size > 10_000) lastUseWritten.clear();
    await state.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [r.id, now]);
  }
  // A key never exceeds what its user's role allows now (the role may have changed since).
  const allowed = scopesOfRole(r.role);
  return { userId: r.user_id, username: r.username, role: r.role, orgId: r.org_id, via: 'api-key', scopes: r.scopes.filter((s) => allowed.includes(s)), keyId: r.id, keyExpiresAt: r.expires_at };
}
