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
  const aesKey = Buffer.from(key.subarray(0, 16));
  const pad = aesEcb(aesKey, Buffer.from(key.subarray(16, 32)));
  const padBig = bytesToBigint(pad);

  /**
   * One AES block per bit: the blocks do not depend on one another (only on the original
   * address), so all of them go through the cipher in one ECB call.
   */
  const otpBits = (addr: bigint, bits: number): bigint => {
    const blocks = Buffer.alloc(16 * bits);
    for (let i = 0; i < bits; i++) {
      // The first i bits of the address (placed at the top of the 128-bit block), the pad below them.
      const keep = i === 0 ? 0n : ((1n << BigInt(i)) - 1n) << BigInt(128 - i);
      const block = ((addr << BigInt(128 - bits)) & keep) | (padBig & ~keep & MASK128);
      writeIPv6Bytes(block, blocks, i * 16);
    }
    const out = aesEcb(aesKey, blocks);
    let otp = 0n;
    for (let i = 0; i < bits; i++) otp = (otp << 1n) | BigInt((out[i * 16] as number) >> 7);
    return otp;
  };

  const anonymizeV4 = (addr: number): number => Number((BigInt(addr >>> 0) ^ otpBits(BigInt(addr >>> 0), 32)) & 0xffffffffn);
  const anonymizeV6 = (addr: bigint): bigint => (addr ^ otpBits(addr, 128)) & MASK128;
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

function aesEcb(key: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
