/**
 * The value syntax of the address-like SCOs: ipv4-addr and ipv6-addr hold an address or a CIDR
 * block (sections 6.8, 6.9), domain-name an RFC 1034/5890 name (6.4), url an RFC 3986 URL (6.15).
 * Shared by validation and by pattern evaluation, which compares these values.
 */
import { parseIPv4, parseIPv6 } from '../../net/ip.js';

/** An address or CIDR block as an inclusive range of one family. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly bits: number;
}

/** `a.b.c.d`, `a.b.c.d/n`, `x::y`, `x::/n` → the range it covers, or why it is not one. Host bits after the prefix are allowed, as STIX examples write them. */
export function parseIpValue(text: string, family: 4 | 6): IpRange | string {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const width = family === 4 ? 32 : 128;
  let value: bigint;
  if (family === 4) {
    const v = parseIPv4(addr);
    if (v < 0) return `"${text}" is not an IPv4 address or CIDR block (a.b.c.d or a.b.c.d/n)`;
    value = BigInt(v);
  } else {
    const v = addr.includes(':') ? parseIPv6(addr) : null;
    if (v === null) return `"${text}" is not an IPv6 address or CIDR block`;
    value = v;
  }
  let bits = width;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > width) return `"${text}" has a prefix length outside 0-${width}`;
    bits = Number(b);
  }
  const host = (1n << BigInt(width - bits)) - 1n;
  return { family, lo: value & ~host, hi: value | host, bits };
}

/** Either family, guessed from the text (a ':' means IPv6). */
export function parseAnyIpValue(text: string): IpRange | string {
  return parseIpValue(text, text.includes(':') ? 6 : 4);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * Why a domain name is not RFC 1034 (letters, digits, hyphens; labels of 1-63 octets, 253 in
 * all) or RFC 5890 (an internationalised name: its U-labels are letters of any script), or null.
 */
export function domainNameProblem(text: string): string | null {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return `"${text}" is not a domain name (1-253 characters)`;
  for (const label of name.split('.')) {
    if (LABEL.test(label)) continue;
    // RFC 5890 U-label: letters, marks and digits of any script, and hyphens, not at either end.
    if (/^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u.test(label) && /[^\x00-\x7f]/.test(label)) continue;
    return `"${text}" is not a domain name: label "${label.slice(0, 70)}" is not 1-63 letters, digits or hyphens`;
  }
  if (/^\d+$/.test(name.split('.').pop() ?? '')) return `"${text}" is not a domain name (the last label is all digits)`;
  return null;
}

/** Why a URL is not an absolute RFC 3986 URL with a scheme, or null. */
export function urlProblem(text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return `"${text.slice(0, 100)}" is not a URL (it has no scheme)`;
  if (/\s/.test(text)) return `"${text.slice(0, 100)}" is not a URL (it contains white space)`;
  if (!URL.canParse(text)) return `"${text.slice(0, 100)}" is not a URL`;
  return null;
}
