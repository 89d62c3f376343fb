/**
 * Prefix-preserving address pseudonymisation, Crypto-PAn (Xu, Fan, Ammar, Moon: "Prefix-preserving
 * IP address anonymization", ICNP 2002), with AES-128 as the pseudorandom function. Two addresses
 * sharing a k-bit prefix map to two addresses sharing a k-bit prefix, so a peer can still see "same
 * /24" without learning which /24. The map is one-way for us: no inverse is kept.
 *
 * Key: 32 bytes; the first 16 are the AES key, the last 16 encrypted under it give the pad (as the
 * reference implementation does). Bit i of the result is bit i of the address XOR the first bit of
 * AES(address's first i bits, followed by the pad's bits from i on). IPv6 is the same over 128 bits.
 */
import { createCipheriv } from 'node:crypto';
import { formatIPv4, formatIPv6, parseIpUnmapped, writeIPv6Bytes } from '../../net/ip.js';

export const CRYPTOPAN_KEY_BYTES = 32;

export interface CryptoPan {
  /** Text address of either family → its pseudonym (IPv4-mapped IPv6 is treated as IPv4); undefined when `text` is no address. */
  anonymize(text: string): string | undefined;
  anonymizeV4(addr: number): number;
  anonymizeV6(addr: bigint): bigint;
}

export function cryptoPan(key: Uint8Array): CryptoPan {
  if (key.length !== CRYPTOPAN_KEY_BYTES) throw new RangeError(`a Crypto-PAn key has ${CRYPTOPAN_KEY_BYTES} bytes, not ${key.length}`);
  // ECB without padding keeps no state between whole blocks: one cipher serves every call.
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(key.subarray(0, 16)), null);
  cipher.setAutoPadding(false);
  const pad = cipher.update(Buffer.from(key.subarray(16, 32)));

  /**
   * The one-time pad bits of an address of `bytes.length` bytes: one AES block per bit. The
   * blocks depend only on the original address, never on one another, so all go through the
   * cipher in one call.
   */
  const otp = (bytes: Uint8Array): Uint8Array => {
    const bits = bytes.length * 8;
    const blocks = Buffer.alloc(16 * bits);
    for (let i = 0; i < bits; i++) {
      // The address's first i bits at the top of the block, the pad's bits below them.
      const b = blocks.subarray(i * 16, i * 16 + 16);
      pad.copy(b);
      const whole = i >> 3, rest = i & 7;
      for (let j = 0; j < whole; j++) b[j] = bytes[j] as number;
      if (rest) {
        const mask = (0xff << (8 - rest)) & 0xff;
        b[whole] = ((bytes[whole] as number) & mask) | ((pad[whole] as number) & ~mask & 0xff);
      }
    }
    const out = cipher.update(blocks);
    const result = new Uint8Array(bytes.length);
    for (let i = 0; i < bits; i++) if ((out[i * 16] as number) & 0x80) result[i >> 3] = (result[i >> 3] as number) | (0x80 >> (i & 7));
    return result;
  };
  const xor = (bytes: Uint8Array): Uint8Array => {
    const o = otp(bytes);
    for (let i = 0; i < bytes.length; i++) o[i] = (o[i] as number) ^ (bytes[i] as number);
    return o;
  };

  const anonymizeV4 = (addr: number): number => {
    const a = addr >>> 0;
    const o = xor(Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255));
    return (((o[0] as number) << 24) | ((o[1] as number) << 16) | ((o[2] as number) << 8) | (o[3] as number)) >>> 0;
  };
  const anonymizeV6 = (addr: bigint): bigint => {
    const o = xor(writeIPv6Bytes(addr & MASK128, new Uint8Array(16)));
    let v = 0n;
    for (const x of o) v = (v << 8n) | BigInt(x);
    return v;
  };
  return {
    anonymizeV4,
    anonymizeV6,
    anonymize(text) {
      const p = parseIpUnmapped(text);
      if (!p) return undefined;
      return p.family === 4 ? formatIPv4(anonymizeV4(p.value)) : formatIPv6(anonymizeV6(p.value));
    },
  };
}

const MASK128 = (1n << 128n) - 1n;
