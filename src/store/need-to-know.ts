/**
 * Need-to-know in the data layer: the restriction every query for a principal carries, and the
 * SQL filter and address test built from it. Platform admins and analysts see everything; an
 * organisation's members see only addresses inside its constituency (its prefixes, and addresses
 * whose origin AS it holds). The ranges are bound as parameters, never spliced in. Who gets which
 * restriction is decided above, in auth/need-to-know.ts.
 */
import type { EventParams } from './types.js';
import { cidrBounds, ipv4Bounds } from '../net/cidr.js';
import { parseIpBigint } from '../net/ip.js';

export type Restriction =
  | { readonly kind: 'all' }
  | { readonly kind: 'constituency'; readonly orgId: string; readonly cidrs: readonly string[]; readonly asns: readonly number[] };

export const UNRESTRICTED: Restriction = { kind: 'all' };

/** Bounds of each constituency's prefixes as numbers, computed once per restriction object. */
const boundsOf = new WeakMap<Restriction, { lo: bigint; hi: bigint }[]>();

/**
 * SQL condition restricting `ipCol` (IPv6) and optionally `asnCol` (UInt32) to the restriction,
 * IPv4 prefixes on `ip4Col` (the address as a UInt32, 0 for IPv6) where the table has one,
 * adding its parameters to `params` under names starting with `prefix`. '1' when unrestricted;
 * '0' for a constituency with nothing in it (sees nothing, rather than everything). Name the
 * columns so that no SELECT alias shadows them (ClickHouse resolves aliases first in WHERE).
 */
export function addressFilter(r: Restriction, ipCol: string, asnCol: string | null, params: EventParams, prefix = 'ntk', ip4Col?: string): string {
  if (r.kind === 'all') return '1';
  const terms: string[] = [];
  r.cidrs.forEach((c, i) => {
    const [lo, hi] = cidrBounds(c);
    const v4 = ip4Col !== undefined ? ipv4Bounds(lo, hi) : undefined;
    if (v4 !== undefined) {
      // An IPv4 range on the address as a number (0 for IPv6, hence never a range from 0).
      params[`${prefix}_lo${i}`] = v4[0];
      params[`${prefix}_hi${i}`] = v4[1];
      terms.push(`(${ip4Col} BETWEEN {${prefix}_lo${i}:UInt32} AND {${prefix}_hi${i}:UInt32})`);
      return;
    }
    params[`${prefix}_lo${i}`] = lo;
    params[`${prefix}_hi${i}`] = hi;
    // A range on the column itself, so a primary key or skip index on it can be used.
    terms.push(`(${ipCol} BETWEEN {${prefix}_lo${i}:IPv6} AND {${prefix}_hi${i}:IPv6})`);
  });
  if (asnCol && r.asns.length > 0) {
    params[`${prefix}_asns`] = [...r.asns];
    terms.push(`${asnCol} IN {${prefix}_asns:Array(UInt32)}`);
  }
  return terms.length ? `(${terms.join(' OR ')})` : '0';
}

/** Whether one address (with its origin AS) is visible under the restriction; for single-host pages. */
export function addressAllowed(r: Restriction, ip: string, asn: number): boolean {
  if (r.kind === 'all') return true;
  if (asn !== 0 && r.asns.includes(asn)) return true;
  const a = parseIpBigint(ip);
  if (!a) return false;
  const v = a.family === 4 ? (0xffffn << 32n) | a.value : a.value;
  let bounds = boundsOf.get(r);
  if (!bounds) {
    bounds = r.cidrs.map((c) => {
      const [lo, hi] = cidrBounds(c).map((h) => BigInt(`0x${h.replace(/:/g, '')}`)) as [bigint, bigint];
      return { lo, hi };
    });
    boundsOf.set(r, bounds);
  }
  return bounds.some((b) => v >= b.lo && v <= b.hi);
}
