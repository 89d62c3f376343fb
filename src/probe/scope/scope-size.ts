/**
 * How large a scope may be without saying so: more than a /16 of IPv4 or a /48 of IPv6 is far
 * beyond what one organisation usually owns, so a scope like 0.0.0.0/0 (a typo, or a survey of
 * the whole Internet) needs an explicit confirmation.
 */
import { CidrSet } from '../../net/cidr-set.js';
import type { CidrRange } from '../../net/cidr.js';

export const LARGE_V4 = 2 ** 16;
export const LARGE_V6 = 2n ** 80n;

export interface ScopeSize { readonly v4: number; readonly v6: bigint; readonly large: boolean }

/** Addresses the CIDRs cover (overlaps counted once), per family, and whether that is large. */
export function scopeSize(cidrs: readonly CidrRange[]): ScopeSize {
  const set = new CidrSet(cidrs);
  return { v4: set.size4, v6: set.size6, large: set.size4 > LARGE_V4 || set.size6 > LARGE_V6 };
}

/** "4,294,967,296 IPv4 addresses and 2^80 IPv6 addresses": powers of two beyond 2^32 as such, they have too many digits to read. */
export function describeSize(size: ScopeSize): string {
  const count = (n: bigint): string => {
    const bits = n.toString(2);
    return n > 2n ** 32n && /^10*$/.test(bits) ? `2^${bits.length - 1}` : n.toLocaleString('en-US');
  };
  const parts = [
    ...(size.v4 > 0 ? [`${count(BigInt(size.v4))} IPv4 addresses`] : []),
    ...(size.v6 > 0n ? [`${count(size.v6)} IPv6 addresses`] : []),
  ];
  return parts.join(' and ') || 'no addresses';
}
