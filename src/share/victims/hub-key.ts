/**
 * The hub's Crypto-PAn key: 32 random bytes made once per installation and kept in the state
 * store (migration 020), so a victim's address maps to the same pseudonym in every release and
 * peers can relate releases by prefix. It is never logged or served.
 */
import { randomBytes } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import { CRYPTOPAN_KEY_BYTES, cryptoPan, type CryptoPan } from './cryptopan.js';

type Q = Pick<StateStore, 'query'>;

export async function hubCryptoPan(state: Q): Promise<CryptoPan> {
  // Two first uses at once: the second insert does nothing and both read the one key.
  await state.query(`INSERT INTO share_hub_keys (name, key) VALUES ('cryptopan', $1) ON CONFLICT (name) DO NOTHING`, [randomBytes(CRYPTOPAN_KEY_BYTES)]);
  const [row] = await state.query<{ key: Uint8Array }>(`SELECT key FROM share_hub_keys WHERE name = 'cryptopan'`);
  if (!row || row.key.length !== CRYPTOPAN_KEY_BYTES) throw new Error('the hub\'s Crypto-PAn key is missing or damaged');
  return cryptoPan(row.key);
}
