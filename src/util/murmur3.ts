/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain) and the Shodan favicon hash built on it:
 * mmh3.hash(base64.encodebytes(favicon)) — the base64 text with a newline after every 76
 * characters and at the end, hashed with seed 0, as a signed 32-bit integer.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86_32 of the bytes, unsigned (0 … 2^32-1). */
export function murmur3x86_32(data: Uint8Array, seed = 0): number {
  let h = seed >>> 0;
  const n = data.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = (data[i] ?? 0) | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16) | ((data[i + 3] ?? 0) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (data[blocks + 2] ?? 0) << 16;
    if (tail >= 2) k ^= (data[blocks + 1] ?? 0) << 8;
    k ^= data[blocks] ?? 0;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix32(h ^ n);
}

/** MurmurHash3's 32-bit finaliser (fmix32): mixes every input bit into every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The same hash as a signed 32-bit integer (what Python's mmh3.hash returns). */
export function murmur3x86_32Signed(data: Uint8Array, seed = 0): number {
  return murmur3x86_32(data, seed) | 0;
}

/** Python's base64.encodebytes: 76-character lines, each ending in a newline (nothing for no bytes). */
export function base64EncodeBytes(data: Uint8Array): string {
  const b64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += `${b64.slice(i, i + 76)}\n`;
  return out;
}

/** Shodan's http.favicon.hash of the favicon bytes. */
export function faviconHash(data: Uint8Array): number {
  return murmur3x86_32Signed(Buffer.from(base64EncodeBytes(data), 'latin1'));
}
