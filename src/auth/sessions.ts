/**
 * Console sign-in: password check with throttling, then a session whose random token goes to the
 * browser in an HttpOnly cookie; only its SHA-256 is stored. Each session has a CSRF token that
 * state-changing requests must send back in a header (the cookie alone is not enough).
 *
 * Throttling, by source address (an IPv6 source by its /64, which one host can fill), so that
 * nobody elsewhere can lock an account out: after `maxFailures` failures in a row for a username
 * from one source, each further try from there waits 2, 4, 8 … seconds after the last failure, at
 * most `windowMinutes`; a success there starts afresh. Across usernames (password spraying) one
 * source may fail 4 × `maxFailures` times per `windowMinutes`. A try refused for either reason is
 * answered before the password is checked and counts nothing; the error's `where.retryAfter` is
 * the wait in seconds. Attempts from one source are taken one at a time, so a burst in parallel
 * cannot get past the count.
 */
import { forgetPrincipals } from './principal-cache.js';
import { createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { verifyPassword } from './password.js';
import { parseIpBigint } from '../net/ip.js';
import { scopesOfRole, type Principal, type Role } from './principal.js';

export interface ThrottleOptions { maxFailures: number; windowMinutes: number }
export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 5, windowMinutes: 15 };
export const SESSION_HOURS = 12;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
// A fixed hash to compare against when the user does not exist, so timing does not tell.
const DUMMY = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface LoginResult { token: string; csrfToken: string; expiresAt: Date; principal: Principal }

/** `now`: the time of the attempt (tests); by default the clock, read when it is checked and when it is answered. */
export async function login(state: Pick<StateStore, 'query'>, username: string, password: string, clientIp: string, t: ThrottleOptions = DEFAULT_THROTTLE, now?: Date): Promise<LoginResult> {
  const u = await checkPassword(state, username, password, clientIp, t, now);
  return openSession(state, u, clientIp, now);
}

/**
 * The password check of a sign-in, throttled and counted as above, without opening a session:
 * also what HTTP Basic authentication (the TAXII server) goes through.
 */
export async function checkPassword(state: Pick<StateStore, 'query'>, username: string, password: string, clientIp: string, t: ThrottleOptions = DEFAULT_THROTTLE, now?: Date): Promise<{ id: string; username: string; role: Role; orgId: string | null }> {
  const source = throttleSource(clientIp);
  const u = await oneAtATime(source, async () => {
    const wait = await throttleWait(state, username, source, t, now ?? new Date());
    if (wait > 0) throw new SakimoriError('AUTH_THROTTLED', `try again in ${wait} s`, { retryAfter: wait });
    const [row] = await state.query<{ id: string; username: string; password_hash: string; role: Role; org_id: string | null; disabled: boolean }>(
      'SELECT id, username, password_hash, role, org_id, disabled FROM users WHERE username = $1', [username],
    );
    const ok = (await verifyPassword(password, row?.password_hash ?? DUMMY)) && row !== undefined && !row.disabled;
    // client_ip holds the source as throttled (an IPv6 /64), which is what the counts compare.
    // The time is that of the answer: a wait counts from it, not from before a slow hash.
    await state.query('INSERT INTO login_attempts (username, client_ip, ok, at) VALUES ($1, $2, $3, $4)', [username, source, ok, now ?? new Date()]);
    if (!ok || !row) throw new SakimoriError('AUTH_FAILED');
    return row;
  });
  return { id: u.id, username: u.username, role: u.role, orgId: u.org_id };
}

/** How far back failures of a (username, source) count: beyond the longest wait, or waiting it out would start afresh. */
const PAIR_MEMORY_MS = 24 * 3_600_000;

/** Seconds this source must wait before trying `username` again; 0: it may try now. */
async function throttleWait(state: Pick<StateStore, 'query'>, username: string, source: string, t: ThrottleOptions, now: Date): Promise<number> {
  const windowMs = t.windowMinutes * 60_000;
  const [pair] = await state.query<{ n: number; last: Date | null }>(
    `SELECT count(*)::int AS n, max(at) AS last FROM login_attempts
     WHERE username = $1 AND client_ip = $2 AND NOT ok AND at > $3 AND at <= $4
       AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = $1 AND client_ip = $2 AND ok AND at <= $4), '-infinity'::timestamptz)`,
    [username, source, new Date(now.getTime() - Math.max(PAIR_MEMORY_MS, 2 * windowMs)), now],
  );
  let until = 0;
  if (pair && pair.last && pair.n >= t.maxFailures) {
    until = new Date(pair.last).getTime() + Math.min(2 ** (pair.n - t.maxFailures + 1) * 1000, windowMs);
  }
  // Spraying: the source's failures in the window, whatever the username; when the cap is
  // reached, it waits until the oldest of the last `cap` failures leaves the window.
  const [nth] = await state.query<{ at: Date }>(
    `SELECT at FROM login_attempts WHERE client_ip = $1 AND NOT ok AND at > $2 AND at <= $3 ORDER BY at DESC OFFSET $4 LIMIT 1`,
    [source, new Date(now.getTime() - windowMs), now, t.maxFailures * 4 - 1],
  );
  if (nth) until = Math.max(until, new Date(nth.at).getTime() + windowMs);
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** The address attempts are counted by: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64. */
export function throttleSource(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  const a = parseIpBigint(ip);
  if (!a || a.family === 4) return ip;
  const top = a.value >> 64n;
  return `${[48n, 32n, 16n, 0n].map((shift) => ((top >> shift) & 0xffffn).toString(16)).join(':')}::/64`;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call for `key` has finished (one check-then-record at a time). */
async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
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
  forgetPrincipals();
  await state.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}
