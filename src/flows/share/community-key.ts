/**
 * The community key: a secret of the ISAC's carriers under which each hashes its candidates, so
 * the same (server, port, proto) gives the same hash at every carrier and the hub can count
 * agreement without learning the server. Without the key the 2^32 × 65,536 IPv4 candidates
 * cannot be hashed and compared (a plain SHA-256 of "server|port|proto" could be, in hours).
 *
 * One installation generates it (`sakimori cnc share key`), the members import it (`--import`),
 * and it is kept like the hub's other secrets (`share_hub_keys`, migration 020): never logged,
 * never served except to the data directory's owner. A hub that only counts need not hold it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SakimoriError } from '../../errors.js';
import type { StateStore } from '../../store/types.js';

type Q = Pick<StateStore, 'query'>;

const NAME = 'flow-community';
export const COMMUNITY_KEY_BYTES = 32;

export interface CommunityKey {
  readonly key: Uint8Array;
  /** A fingerprint (HMAC of a fixed text): names the key in submissions, reveals nothing of it. */
  readonly keyId: string;
}

export function communityKeyOf(key: Uint8Array): CommunityKey {
  if (key.length !== COMMUNITY_KEY_BYTES) throw new SakimoriError('BAD_REQUEST', `a community key is ${COMMUNITY_KEY_BYTES} bytes (${COMMUNITY_KEY_BYTES * 2} hex digits)`, { field: 'key' });
  return { key, keyId: createHmac('sha256', key).update('sakimori flow community key id').digest('hex').slice(0, 16) };
}

/** HMAC-SHA256(key, canonical "server|port|proto") in hex: what a carrier submits. */
export function candidateHash(k: CommunityKey, canonical: string): string {
  return createHmac('sha256', k.key).update(canonical, 'utf8').digest('hex');
}

async function stored(state: Q): Promise<Uint8Array | undefined> {
  const [row] = await state.query<{ key: Uint8Array }>('SELECT key FROM share_hub_keys WHERE name = $1', [NAME]);
  return row ? new Uint8Array(row.key) : undefined;
}

/** The key, or a clear error when this installation has none yet. */
export async function communityKey(state: Q): Promise<CommunityKey> {
  const key = await stored(state);
  if (!key) throw new SakimoriError('NOT_FOUND', 'no community key: generate one with `sakimori cnc share key`, or import the ISAC\'s with `sakimori cnc share key --import FILE`', { field: 'key' });
  return communityKeyOf(key);
}

/** The key, generated (32 random bytes) when absent; `created` says whether it was just made. */
export async function ensureCommunityKey(state: Q): Promise<CommunityKey & { created: boolean }> {
  // Two first uses at once: the second insert does nothing and both read the one key.
  const made = await state.query<{ name: string }>('INSERT INTO share_hub_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name', [NAME, randomBytes(COMMUNITY_KEY_BYTES)]);
  return { ...(await communityKey(state)), created: made.length > 0 };
}

/** Sets the ISAC's key (hex). Replacing a different key needs `replace`: hashes made under the old one stop matching. */
export async function importCommunityKey(state: Q, hex: string, opts: { replace?: boolean } = {}): Promise<CommunityKey & { created: boolean }> {
  const text = hex.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(text) || text.length !== COMMUNITY_KEY_BYTES * 2) throw new SakimoriError('BAD_REQUEST', `a community key is ${COMMUNITY_KEY_BYTES * 2} hex digits`, { field: 'key' });
  const k = communityKeyOf(Buffer.from(text, 'hex'));
  const old = await stored(state);
  if (old && old.length === k.key.length && timingSafeEqual(old, k.key)) return { ...k, created: false };
  if (old && !opts.replace) throw new SakimoriError('BAD_REQUEST', 'this installation already has another community key; replace it only when the ISAC rotates its key (--replace)', { field: 'key' });
  await state.query('INSERT INTO share_hub_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET key = EXCLUDED.key, created_at = now()', [NAME, Buffer.from(k.key)]);
  return { ...k, created: true };
}
