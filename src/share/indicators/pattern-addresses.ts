/**
 * The address blocks an indicator's pattern names, through the STIX pattern matcher: the IP
 * terms `matchTerms` finds (addresses and CIDRs, `=`, `IN`, `ISSUBSET`, on ipv4-addr/ipv6-addr
 * or a traffic end), each kept only when `evaluate` says that an observation of one address in
 * it (or traffic to or from it) satisfies the pattern on its own. So
 * `[ipv4-addr:value = 'a'] AND [ipv4-addr:value = 'b']`
 * (two observations needed) names no block, and a pattern that also needs a port or a file hash
 * names none either: what sightings and host pages can stand behind with an address alone.
 */
import { formatBigintIp, type BigintIp } from '../../net/ip.js';
import { evaluate, matchTerms, parsePattern, type ObservationExpression } from '../stix/pattern/index.js';

export interface AddressBlock {
  readonly family: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
  /** Normalised ("198.51.100.0/24", "2001:db8::1/128"). */
  readonly cidr: string;
}

const MAX_PATTERN = 10_000;
/** Patterns repeat across versions and pages: parsed once (a bounded cache, cleared when full). */
const cache = new Map<string, readonly AddressBlock[] | undefined>();

function standsAlone(p: ObservationExpression, family: 4 | 6, address: bigint, now: number): boolean {
  const value = formatBigintIp(family, address);
  // The address, and traffic to and from it: a C&C pattern on a traffic end names its server too.
  const objects = [{ type: family === 4 ? 'ipv4-addr' : 'ipv6-addr', id: 'a', value }, { type: 'network-traffic', id: 't', src_ref: 'a', dst_ref: 'a' }];
  const e = evaluate(p, [{ time: now, objects }]);
  // Not evaluable or incomplete: the matcher cannot say no, so the block stays named.
  return !e.evaluable || e.matched || !e.complete;
}

/** The blocks a pattern names (see above); undefined when it names none we can match. */
export function addressBlocks(pattern: string, now = Date.now()): readonly AddressBlock[] | undefined {
  if (pattern.length > MAX_PATTERN) return undefined;
  if (cache.has(pattern)) return cache.get(pattern);
  const parsed = parsePattern(pattern);
  let out: AddressBlock[] | undefined;
  if (parsed.ok) {
    const { terms, exhaustive } = matchTerms(parsed.pattern);
    // Not exhaustive: a match could need no address at all, so addresses do not stand for it.
    const blocks = exhaustive ? terms.flatMap((t) => (t.kind === 'ip' ? [{ family: t.family, lo: t.lo, hi: t.hi, cidr: t.cidr }] : [])) : [];
    out = blocks.filter((b) => standsAlone(parsed.pattern, b.family, b.lo, now));
    if (out.length === 0) out = undefined;
  }
  if (cache.size >= 4096) cache.clear();
  cache.set(pattern, out);
  return out;
}

/** Whether a pattern names the address (inside one of its blocks). */
export function namesAddress(pattern: string, ip: BigintIp): boolean {
  return (addressBlocks(pattern) ?? []).some((b) => b.family === ip.family && b.lo <= ip.value && ip.value <= b.hi);
}
