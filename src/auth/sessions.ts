/**
 * Console sign-in: password check with throttling, then a session whose random token goes to the
 * browser in an HttpOnly cookie; only its SHA-256 is stored. Each session has a CSRF token that
 * state-changing requests must send back in a header (the cookie alone is not enough).
 *
 * Throttling: at most `maxFailures` failed attempts per username and 4× that per client address
 * within `windowMinutes`; further attempts are refused before the password is even checked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { verifyPassword } from './password.js';
import { scopesOfRole, type Principal, type Role } from './principal.js';

export interface ThrottleOptions { maxFailures: number; windowMinutes: number }
export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 5, windowMinutes: 15 };
export const SESSION_HOURS = 12;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
// A fixed hash to compare against when the user does not exist, so timing does not tell.
const DUMMY = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface LoginResult { token: string; csrfToken: string; expiresAt: Date; principal: Principal }

export async function login(state: Pick<StateStore, 'query'>, username: string, password: string, clientIp: string, t: ThrottleOptions = DEFAULT_THROTTLE, now = new Date()): Promise<LoginResult> {
  const since = new Date(now.getTime() - t.windowMinutes * 60_000);
  const [f] = await state.query<{ byUser: number; byIp: number }>(
    `SELECT count(*) FILTER (WHERE username = $1)::int AS "byUser", count(*) FILTER (WHERE client_ip = $2)::int AS "byIp"
     FROM login_attempts WHERE NOT ok AND at > $3 AND (username = $1 OR client_ip = $2)`,
    [username, clientIp, since],
  );
  if ((f?.byUser ?? 0) >= t.maxFailures || (f?.byIp ?? 0) >= t.maxFailures * 4) {
    throw new SakimoriError('AUTH_THROTTLED', `wait up to ${t.windowMinutes} minutes`, { username });
  }
  const [u] = await state.query<{ id: string; username: string; password_hash: string; role: Role; org_id: string | null; disabled: boolean }>(
    'SELECT id, username, password_hash, role, org_id, disabled FROM users WHERE username = $1', [username],
  );
  const ok = (await verifyPassword(password, u?.password_hash ?? DUMMY)) && u !== undefined && !u.disabled;
  await state.query('INSERT INTO login_attempts (username, client_ip, ok, at) VALUES ($1, $2, $3, $4)', [username, clientIp, ok, now]);
  if (!ok || !u) throw new SakimoriError('AUTH_FAILED');
  return openSession(state, { id: u.id, username: u.username, role: u.role, orgId: u.org_id }, clientIp, now);
}

/** A new session for a user already authenticated (password, or a one-time sign-in link). */
export async function openSession(state: Pick<StateStore, 'query'>, u: { id: string; username: string; role: Role; orgId: string | null }, clientIp: string, now = new Date()): Promise<LoginResult> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await state.query('INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, client_ip, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [sha256(token), u.id, csrfToken, expiresAt, clientIp, now]);
  return { token, csrfToken, expiresAt, principal: { userId: u.id, username: u.username, role: u.role, orgId: u.orgId, via: 'session', scopes: scopesOfRole(u.role), csrfToken } };
}

export async function sessionPrincipal(state: Pick<StateStore, 'query'>, token: string, now = new Date()): Promise<Principal | undefined> {
  const [r] = await state.query<{ user_id: string; username: string; role: Role; org_id: string | null; csrf_token: string }>(
    `SELECT s.user_id, u.username, u.role, u.org_id, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
    [sha256(token), now],
  );
  if (!r) return undefined;
  return { userId: r.user_id, username: r.username, role: r.role, orgId: r.org_id, via: 'session', scopes: scopesOfRole(r.role), csrfToken: r.csrf_token };
}

export async function logout(state: Pick<StateStore, 'query'>, token: string): Promise<void> {
  await state.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}
