/**
 * One-time sign-in links, as Jupyter prints them: `serve` and `demo` print a URL with a random
 * token; opening it gives a session as the instance's local platform admin (`local-admin`, a user
 * without a password, created on first use). A token works once and for a limited time; the owner
 * of the data directory asks the running server for a new one (`sakimori signin-link`). Only a
 * hash of each token is kept, in the server's memory. Disabling `local-admin` turns links off.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { openSession, type LoginResult } from './sessions.js';

export const LOCAL_ADMIN = 'local-admin';
/** A password hash no password verifies against (verifyPassword needs the scrypt form). */
const NO_PASSWORD = '!';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export class SignInLinks {
  private readonly live = new Map<string, number>();

  constructor(private readonly ttlMs = 24 * 3_600_000, private readonly now: () => number = Date.now) {}

  /** A new token; it stops working after one use or `ttlMs`. */
  issue(): string {
    const token = randomBytes(24).toString('base64url');
    for (const [h, until] of this.live) if (until <= this.now()) this.live.delete(h);
    this.live.set(sha256(token), this.now() + this.ttlMs);
    return token;
  }

  /** True once per issued token within its time. */
  consume(token: string): boolean {
    const h = sha256(token);
    const until = this.live.get(h);
    this.live.delete(h);
    return until !== undefined && until > this.now();
  }
}

/** The session a sign-in link opens: the local platform admin, made on first use. */
export async function linkSession(state: Pick<StateStore, 'query'>, clientIp: string): Promise<LoginResult> {
  await state.query(
    `INSERT INTO users (id, username, password_hash, role) VALUES ($1, $2, $3, 'platform-admin') ON CONFLICT (username) DO NOTHING`,
    [randomUUID(), LOCAL_ADMIN, NO_PASSWORD],
  );
  const [u] = await state.query<{ id: string; role: string; disabled: boolean }>('SELECT id, role, disabled FROM users WHERE username = $1', [LOCAL_ADMIN]);
  if (!u || u.role !== 'platform-admin' || u.disabled) {
    throw new SakimoriError('FORBIDDEN', `sign-in links are turned off: the user ${LOCAL_ADMIN} is disabled or not a platform-admin`);
  }
  return openSession(state, { id: u.id, username: LOCAL_ADMIN, role: 'platform-admin', orgId: null }, clientIp);
}
