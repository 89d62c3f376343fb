/**
 * IP addresses: text ↔ numbers ↔ bytes, one name per meaning.
 *
 * - `parseIp`: text → `ParsedIp` (IPv4 an unsigned 32-bit number, IPv6 a 128-bit bigint), so
 *   that range arithmetic stays exact; `parseIpUnmapped` also turns ::ffff:a.b.c.d into IPv4.
 * - `parseIpBigint`: text → `BigintIp` (both families as a bigint); `formatBigintIp` back.
 * - `normalizeIp`: text given by a user → the same address as text (trimmed, no brackets, lower
 *   case), or undefined.
 * - `formatIPv4`, `formatIPv6`, `formatIPv6Bytes`, `formatIp`: numbers or bytes → text (RFC 5952).
 */
import { isIP } from 'node:net';

/** Normalises an IPv4 or IPv6 address given by a user; undefined when it is not one. */
export function normalizeIp(s: string): string | undefined {
  const v = s.trim().replace(/^\[|\]$/g, '');
  return isIP(v) === 0 ? undefined : v.toLowerCase();
}

/** `a.b.c.d` → 0..2^32-1, or -1 when the text is not a dotted-quad IPv4 address. */
export function parseIPv4(text: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
      if (digits > 0 && part === 0) return -1;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** Textual IPv6 (with `::` and an optional trailing dotted quad) → bigint, or null. */
export function parseIPv6(text: string): bigint | null {
  if (text.length < 2 || text.length > 45 || text.indexOf(':') < 0) return null;
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return null;
  const head = doubleColon >= 0 ? text.slice(0, doubleColon) : text;
  const tail = doubleColon >= 0 ? text.slice(doubleColon + 2) : '';
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups: number[] = [];
  const all = doubleColon >= 0 ? [headGroups, tailGroups] : [headGroups];
  const parsed: number[][] = [];
  for (let g = 0; g < all.length; g++) {
    const list = all[g];
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const piece = list[i];
      const isLast = g === all.length - 1 && i === list.length - 1;
      if (isLast && piece.indexOf('.') >= 0) {
        const v4 = parseIPv4(piece);
        if (v4 < 0) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return null;
      out.push(parseInt(piece, 16));
    }
    parsed.push(out);
  }
  const headOut = parsed[0];
  const tailOut = parsed.length > 1 ? parsed[1] : [];
  const missing = 8 - headOut.length - tailOut.length;
  if (doubleColon >= 0 ? missing < 1 : missing !== 0) return null;
  groups.push(...headOut);
  for (let i = 0; i < missing; i++) groups.push(0);
  groups.push(...tailOut);
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

export type ParsedIp = { family: 4; value: number } | { family: 6; value: bigint };

/** Either family; null when the text is neither. */
export function parseIp(text: string): ParsedIp | null {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : { family: 6, value: v6 };
}

/** Parses an address, unwrapping IPv4-mapped IPv6 (::ffff:a.b.c.d); undefined when it is not an address. */
export function parseIpUnmapped(text: string): ParsedIp | undefined {
  const p = parseIp(text.trim());
  if (p === null) return undefined;
  if (p.family === 6 && p.value >> 32n === 0xffffn) return { family: 4, value: Number(p.value & 0xffffffffn) };
  return p;
}

/** An address of either family as a bigint (IPv4 as 0..2^32-1). */
export interface BigintIp { family: 4 | 6; value: bigint }

/** Text (trimmed) → `BigintIp`; undefined when it is not an address. */
export function parseIpBigint(text: string): BigintIp | undefined {
  const t = text.trim();
  if (isIP(t) === 4) return { family: 4, value: BigInt(parseIPv4(t) >>> 0) };
  if (isIP(t) === 6) {
    const v = parseIPv6(t);
    return v === null ? undefined : { family: 6, value: v };
  }
  return undefined;
}

/** `BigintIp`'s family and value → text. */
export function formatBigintIp(family: 4 | 6, v: bigint): string {
  return family === 4 ? formatIPv4(Number(v)) : formatIPv6(v);
}

export const IPV6_MAX = (1n << 128n) - 1n;
export const IPV4_MAX = 0xffffffff;

/** For messages and tests: 32-bit number → dotted quad. */
export function formatIPv4(ip: number): string {
  const v = ip >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** 128-bit value → RFC 5952 text (longest zero run compressed, lower case). */
export function formatIPv6(v: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** 16 bytes in network order (at `off`) → RFC 5952 text (lower case, longest zero run compressed). */
export function formatIPv6Bytes(b: Uint8Array, off = 0): string {
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

/** Either family → text. */
export function formatIp(a: ParsedIp): string {
  return a.family === 4 ? formatIPv4(a.value) : formatIPv6(a.value);
}

/** 128-bit bigint → 16 bytes in network order, written into `out` at `offset`. */
export function writeIPv6Bytes(value: bigint, out: Uint8Array, offset = 0): Uint8Array {
  let v = value;
  for (let i = 15; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Text → 16 bytes in network order (IPv4 text becomes ::ffff:a.b.c.d), for callers and tests. */
export function ipBytes(text: string): Uint8Array {
  const parsed = parseIp(text);
  if (parsed === null) throw new RangeError(`not an IP address: ${text}`);
  const value = parsed.family === 4 ? (0xffffn << 32n) | BigInt(parsed.value) : parsed.value;
  return writeIPv6Bytes(value, new Uint8Array(16));
}
