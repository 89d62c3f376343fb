/**
 * Who a credential (an API key, a session token) stands for, remembered for a second. A burst of
 * requests with one credential — a client firing 200 searches at once — then costs one state-store
 * lookup instead of 200 in a row on the main thread, which held up every other organisation's
 * requests behind them. The lookup itself is shared while it runs. Whatever revokes access in this
 * process (revoking a key, signing out, disabling a user, a new password) forgets everything at
 * once; a change made by another process against a shared PostgreSQL applies within TTL_MS.
 */
import { createHash } from 'node:crypto';
import type { Principal } from './principal.js';

const TTL_MS = 1000;
const MAX = 10_000;
const remembered = new Map<string, { until: number; p: Promise<Principal | undefined> }>();

export function cachedPrincipal(kind: 'key' | 'session' | 'basic', token: string, load: () => Promise<Principal | undefined>, now = Date.now()): Promise<Principal | undefined> {
  const id = `${kind}:${createHash('sha256').update(token).digest('hex')}`;
  const hit = remembered.get(id);
  if (hit && hit.until > now) return hit.p.then((p) => (p?.keyExpiresAt && p.keyExpiresAt.getTime() <= Date.now() ? undefined : p));
  if (remembered.size >= MAX) remembered.clear();
  const p = load();
  remembered.set(id, { until: now + TTL_MS, p });
  // A failed lookup (a store error) is not remembered.
  p.catch(() => remembered.delete(id));
  return p;
}

/** Forget every remembered credential: access was just taken away somewhere. */
export function forgetPrincipals(): void {
  remembered.clear();
}
