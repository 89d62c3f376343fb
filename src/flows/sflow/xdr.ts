/** XDR (RFC 4506) as sFlow v5 uses it: big-endian 32-bit words, opaque data padded to 4 bytes. */
import { u32be } from '../../sources/record-parser.js';

export { u32be };

/** An unsigned 64-bit `hyper` as a double (exact below 2^53). */
export function u64be(d: Uint8Array, p: number): number {
  return u32be(d, p) * 4294967296 + u32be(d, p + 4);
}

/** Where the next item starts after opaque data of `len` bytes at `body`, never beyond `end`. */
export function afterOpaque(body: number, len: number, end: number): number {
  const next = body + len + ((4 - (len % 4)) % 4);
  return next < end ? next : end;
}
