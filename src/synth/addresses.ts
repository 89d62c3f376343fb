import { isIPv4, isIPv6 } from 'node:net';

/** IPv4 prefix as numbers: first address and size (2^(32−len)). */
export interface Prefix4 { base: number; size: number; len: number }
/** IPv6 prefix as 16 bytes and a length (≤ 64 for the darknet and source networks we use). */
export interface Prefix6 { bytes: Uint8Array; len: number }

export function ipv4ToNumber(s: string): number {
  const p = s.split('.').map(Number);
  return (((p[0] as number) << 24) | ((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number)) >>> 0;
}

export function ipv4Text(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function parsePrefix4(cidr: string): Prefix4 {
  const [addr, lenText] = cidr.split('/');
  const len = Number(lenText ?? '32');
  if (!addr || !isIPv4(addr) || !Number.isInteger(len) || len < 1 || len > 32) throw new Error(`not an IPv4 prefix: ${cidr}`);
  const size = 2 ** (32 - len);
  const base = ipv4ToNumber(addr) - (ipv4ToNumber(addr) % size);
  return { base, size, len };
}

export function ipv6ToBytes(s: string): Uint8Array {
  if (!isIPv6(s)) throw new Error(`not an IPv6 address: ${s}`);
  const out = new Uint8Array(16);
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[i * 2] = v >> 8; out[i * 2 + 1] = v & 255; });
  return out;
}

/** RFC 5952 text (lower case, longest zero run compressed). */
export function ipv6Text(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[off + i * 2] as number) << 8) | (b[off + i * 2 + 1] as number));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
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
