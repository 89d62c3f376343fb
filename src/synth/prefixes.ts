/**
 * The prefixes synthetic data is drawn from (darknets, source networks), with the limits the
 * generators need (IPv4 /1–/32, IPv6 /16–/64); addresses themselves are parsed and formatted by
 * net/ip.ts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseIPv4, parseIPv6, writeIPv6Bytes } from '../net/ip.js';

/** IPv4 prefix as numbers: first address and size (2^(32−len)). */
export interface Prefix4 { base: number; size: number; len: number }
/** IPv6 prefix as 16 bytes and a length (≤ 64 for the darknet and source networks we use). */
export interface Prefix6 { bytes: Uint8Array; len: number }

export function parsePrefix4(cidr: string): Prefix4 {
  const [addr, lenText] = cidr.split('/');
  const len = Number(lenText ?? '32');
  if (!addr || !isIPv4(addr) || !Number.isInteger(len) || len < 1 || len > 32) throw new Error(`not an IPv4 prefix: ${cidr}`);
  const size = 2 ** (32 - len);
  const base = parseIPv4(addr) - (parseIPv4(addr) % size);
  return { base, size, len };
}

/** IPv6 text → 16 bytes; a zone (`%eth0`) is ignored. */
function ipv6ToBytes(s: string): Uint8Array {
  const v = isIPv6(s) ? parseIPv6(s.replace(/%.*$/, '')) : null;
  if (v === null) throw new Error(`not an IPv6 address: ${s}`);
  return writeIPv6Bytes(v, new Uint8Array(16));
}

export function parsePrefix6(cidr: string): Prefix6 {
  const [addr, lenText] = cidr.split('/');
  const len = Number(lenText ?? '128');
  if (!addr || !Number.isInteger(len) || len < 16 || len > 64) throw new Error(`not an IPv6 prefix between /16 and /64: ${cidr}`);
  const bytes = ipv6ToBytes(addr);
  for (let bit = len; bit < 128; bit++) bytes[bit >> 3] = (bytes[bit >> 3] as number) & ~(0x80 >> (bit & 7));
  return { bytes, len };
}

/**
 * IPv4 space a public source never comes from: RFC 6890 special-purpose blocks, multicast,
 * the reserved class E, and the benchmarking block our darknet lives in.
 */
export const NON_PUBLIC_IPV4: readonly string[] = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12',
  '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15',
  '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
];

export function overlaps4(a: Prefix4, b: Prefix4): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}
