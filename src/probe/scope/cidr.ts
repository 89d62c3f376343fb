/**
 * CIDR parsing and address normalisation for the scope guard. IPv4 is a 32-bit number, IPv6 a
 * 128-bit bigint; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is treated as the IPv4 address it
 * carries, so that it cannot slip past an IPv4 scope or exclusion.
 */
import { SakimoriError } from '../../errors.js';
import { formatIPv4, formatIPv6, parseIp, type ParsedIp } from '../../enrich/ip-text.js';

export type Addr = ParsedIp;

export interface CidrRange4 { readonly family: 4; readonly lo: number; readonly hi: number; readonly text: string }
export interface CidrRange6 { readonly family: 6; readonly lo: bigint; readonly hi: bigint; readonly text: string }
export type CidrRange = CidrRange4 | CidrRange6;

const MAPPED_PREFIX = 0xffffn << 32n;
const V6_ALL = (1n << 128n) - 1n;

/** Parses an address, unwrapping IPv4-mapped IPv6; undefined when it is not an address. */
export function parseAddr(text: string): Addr | undefined {
  const p = parseIp(text.trim());
  if (p === null) return undefined;
  if (p.family === 6 && p.value >> 32n === 0xffffn) return { family: 4, value: Number(p.value & 0xffffffffn) };
  return p;
}

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

export function formatAddr(a: Addr): string {
  return a.family === 4 ? formatIPv4(a.value) : formatIPv6(a.value);
}

export { MAPPED_PREFIX, V6_ALL, formatIPv6 };
