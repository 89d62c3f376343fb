/**
 * CIDRs, one name per meaning:
 * - `parseCidr`: strict (host bits must be zero, as PostgreSQL `cidr` demands; throws
 *   SCOPE_INVALID) → a numeric range; IPv4 is a 32-bit number, IPv6 a 128-bit bigint; an
 *   IPv4-mapped network (::ffff:a.b.c.d/n≥96) is the IPv4 network it carries, so that it cannot
 *   slip past an IPv4 scope or exclusion. Used by scopes, the audit log, `CidrSet`.
 * - `splitCidr`: lenient (host bits allowed, a bare address is a /32 or /128) → its address text,
 *   prefix length and family; undefined when it is not one. Used to validate monitors' CIDRs.
 * - `rangeToCidrs`, `splitRange`: "a - b" ranges (and CIDRs, host bits cleared) → CIDR text.
 * - `cidrBounds`: [start, end] in the IPv6 column's text form; `ipv4Bounds`; `cidrWithin`.
 */
import { isIP } from 'node:net';
import { SakimoriError } from '../errors.js';
import { formatBigintIp, formatIPv4, formatIPv6, parseIp, parseIpBigint } from './ip.js';

export interface CidrRange4 { readonly family: 4; readonly lo: number; readonly hi: number; readonly text: string }
export interface CidrRange6 { readonly family: 6; readonly lo: bigint; readonly hi: bigint; readonly text: string }
export type CidrRange = CidrRange4 | CidrRange6;

const MAPPED_PREFIX = 0xffffn << 32n;
const V6_ALL = (1n << 128n) - 1n;

/** `a.b.c.d/n`, `x::/n` or a bare address (a /32 or /128). Host bits must be zero, as PostgreSQL `cidr` demands. */
export function parseCidr(text: string): CidrRange {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash < 0 ? t : t.slice(0, slash);
  const p = parseIp(addrText);
  if (p === null) throw new SakimoriError('SCOPE_INVALID', `not an IP network: "${text}"`, { cidr: text });
  const max = p.family === 4 ? 32 : 128;
  const lenText = slash < 0 ? String(max) : t.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > max) {
    throw new SakimoriError('SCOPE_INVALID', `bad prefix length in "${text}" (0–${max})`, { cidr: text });
  }
  const len = Number(lenText);
  if (p.family === 4) {
    const size = 2 ** (32 - len);
    if (p.value % size !== 0) throw new SakimoriError('SCOPE_INVALID', `"${text}" has bits set after the prefix; did you mean ${formatIPv4(p.value - (p.value % size))}/${len}?`, { cidr: text });
    return { family: 4, lo: p.value, hi: p.value + size - 1, text: `${formatIPv4(p.value)}/${len}` };
  }
  const hostMask = (1n << BigInt(128 - len)) - 1n;
  if ((p.value & hostMask) !== 0n) throw new SakimoriError('SCOPE_INVALID', `"${text}" has bits set after the prefix`, { cidr: text });
  // An IPv4-mapped network is the IPv4 network it names.
  if (len >= 96 && p.value >> 32n === 0xffffn) {
    const lo = Number(p.value & 0xffffffffn);
    return { family: 4, lo, hi: lo + 2 ** (128 - len) - 1, text: `${formatIPv4(lo)}/${len - 96}` };
  }
  return { family: 6, lo: p.value, hi: p.value | hostMask, text: `${formatIPv6(p.value)}/${len}` };
}

export { MAPPED_PREFIX, V6_ALL };

/** CIDR text → normalised form ("192.0.2.0/24", "2001:db8::/32"); undefined when it is not one. */
export function splitCidr(text: string): { ip: string; bits: number; family: 4 | 6 } | undefined {
  const m = /^\s*([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?\s*$/.exec(text);
  if (!m) return undefined;
  const ip = (m[1] as string).toLowerCase();
  const family = isIP(ip);
  if (family !== 4 && family !== 6) return undefined;
  const max = family === 4 ? 32 : 128;
  const bits = m[2] === undefined ? max : Number(m[2]);
  if (bits > max) return undefined;
  return { ip, bits, family };
}

/** "a - b" or "a-b" or a CIDR → CIDR blocks; undefined when it is neither. */
export function rangeToCidrs(text: string): string[] | undefined {
  const t = text.trim();
  const slash = /^([^/\s]+)\/(\d{1,3})$/.exec(t);
  if (slash) {
    const ip = parseIpBigint(slash[1] as string);
    const bits = Number(slash[2]);
    if (!ip || bits > (ip.family === 4 ? 32 : 128)) return undefined;
    const width = ip.family === 4 ? 32 : 128;
    const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
    return [`${formatBigintIp(ip.family, ip.value & mask)}/${bits}`];
  }
  const dash = /^(\S+)\s*-\s*(\S+)$/.exec(t);
  if (!dash) return undefined;
  const a = parseIpBigint(dash[1] as string);
  const b = parseIpBigint(dash[2] as string);
  if (!a || !b || a.family !== b.family || a.value > b.value) return undefined;
  return splitRange(a.family, a.value, b.value);
}

/** An inclusive range split into the fewest CIDR blocks (at most 257). */
export function splitRange(family: 4 | 6, start: bigint, end: bigint): string[] {
  const width = family === 4 ? 32 : 128;
  const out: string[] = [];
  let cur = start;
  while (cur <= end) {
    // The largest block aligned at `cur` that does not pass `end`.
    let size = 0;
    while (size < width && (cur & ((1n << BigInt(size + 1)) - 1n)) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= end) size++;
    out.push(`${formatBigintIp(family, cur)}/${width - size}`);
    cur += 1n << BigInt(size);
    if (out.length > 256) break; // a sane RIR range never needs more; stop a pathological one
  }
  return out;
}

/** [start, end] of a CIDR in the IPv6 column's form (IPv4 mapped into ::ffff:0:0/96); BAD_REQUEST when it is not one. */
export function cidrBounds(cidr: string): [string, string] {
  const [c] = rangeToCidrs(cidr) ?? [];
  const [ipText, bitsText] = (c ?? '').split('/');
  const ip = ipText ? parseIpBigint(ipText) : undefined;
  if (!c || !ip || bitsText === undefined) throw new SakimoriError('BAD_REQUEST', `not a CIDR: ${cidr}`, { cidr });
  const width = ip.family === 4 ? 32 : 128;
  const host = (1n << BigInt(width - Number(bitsText))) - 1n;
  const base = ip.family === 4 ? 0xffffn << 32n : 0n;
  const hex = (v: bigint): string => v.toString(16).padStart(32, '0').replace(/(.{4})(?!$)/g, '$1:');
  return [hex(base | ip.value), hex(base | ip.value | host)];
}

/** An IPv4-mapped range ([start, end] as cidrBounds gives them) as numbers; undefined for IPv6 or a range from 0.0.0.0. */
export function ipv4Bounds(lo: string, hi: string): [number, number] | undefined {
  const a = BigInt(`0x${lo.replace(/:/g, '')}`);
  const b = BigInt(`0x${hi.replace(/:/g, '')}`);
  if (a >> 32n !== 0xffffn || b >> 32n !== 0xffffn) return undefined;
  const n = Number(a & 0xffffffffn);
  return n === 0 ? undefined : [n, Number(b & 0xffffffffn)];
}

/** Is every address of `cidr` inside one of `outer`? (Both as `cidrBounds` reads them.) */
export function cidrWithin(cidr: string, outer: readonly string[]): boolean {
  const big = (h: string): bigint => BigInt(`0x${h.replace(/:/g, '')}`);
  const [lo, hi] = cidrBounds(cidr).map(big) as [bigint, bigint];
  return outer.some((o) => {
    const [olo, ohi] = cidrBounds(o).map(big) as [bigint, bigint];
    return olo <= lo && hi <= ohi;
  });
}
