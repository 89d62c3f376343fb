import { EXACT_LIMIT, SKETCH_BITS } from '../../schema/sketch.js';

/** IPv6 column rendered as text, IPv4-mapped addresses as plain dotted quads. */
export function ipText(col: string): string {
  return `replaceRegexpOne(IPv6NumToString(${col}), '^::ffff:([0-9.]+)$', '\\\\1')`;
}

/**
 * The 64-bit key of a source address (an IPv6 column) in the bitmaps of darknet_hour_sets: an
 * IPv4(-mapped) address is its 32-bit number, so a bitmap of IPv4 sources is a plain 32-bit
 * roaring bitmap; an IPv6 address is a 63-bit SipHash with the top bit set (two of a million
 * IPv6 sources collide with a chance of about 10⁻⁷). Arithmetic on the 128-bit value: `if`
 * evaluates both branches, and toIPv4 refuses IPv6.
 */
export function sourceKey(col: string): string {
  return `if(bitShiftRight(CAST(${col}, 'UInt128'), 32) = 65535, toUInt64(bitAnd(CAST(${col}, 'UInt128'), 4294967295)), bitOr(sipHash64(${col}), 9223372036854775808))`;
}

/** ClickHouse DateTime64 literal parameters are passed as 'YYYY-MM-DD hh:mm:ss.ffffff' UTC. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** ClickHouse 'YYYY-MM-DD hh:mm:ss[.ffffff]' (UTC) → ISO 8601. */
export function isoFromCh(s: string): string {
  return `${s.replace(' ', 'T')}${s.includes('.') ? '' : '.000'}Z`.replace(/(\.\d{3})\d*Z$/, '$1Z');
}

export const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 47: 'gre', 50: 'esp', 132: 'sctp' };

export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

/**
 * The distinct count estimated from a HyperLogLog sketch column merged with `maxMap` (a tuple of
 * register numbers and ranks over 2^SKETCH_BITS registers; see ingest/batch-aggregates): linear
 * counting while it is accurate (small sets), the HyperLogLog estimate above.
 */
export function sketchEstimate(merged: string): string {
  const m = 2 ** SKETCH_BITS;
  const empty = `(${m} - length(tupleElement(${merged}, 1)))`;
  const raw = `(${(0.7213 / (1 + 1.079 / m)) * m * m} / (${empty} + arraySum(arrayMap(r -> exp2(-r), tupleElement(${merged}, 2)))))`;
  return `toUInt64(round(if(${empty} > 0 AND ${raw} <= ${2.5 * m}, ${m} * log(${m} / ${empty}), ${raw})))`;
}

/**
 * The distinct ports (proto × port codes) or darknet addresses of the darknet_source_day rows
 * grouped, as shown everywhere (host page, reports, CLI): exact while the merged list of distinct
 * values (migration 010) is not full, i.e. up to EXACT_LIMIT, otherwise the sketch's estimate
 * (about 1.6 % standard error, see docs/darknet.md), and never more than the packets counted
 * (`packets`: the sum of packets of the same rows, as an expression or alias of the query). Rows
 * written before migration 010 (`exact_sets` 0) are read from the sketch, capped the same way.
 */
export function distinctCount(kind: 'ports' | 'dsts', packets: string): string {
  const set = `groupUniqArrayArray(${EXACT_LIMIT + 1})(${kind === 'ports' ? 'port_set' : 'dst_set'})`;
  return `toUInt64(if(min(exact_sets) = 1 AND length(${set}) <= ${EXACT_LIMIT}, length(${set}), least(${sketchEstimate(`maxMap(${kind})`)}, ${packets})))`;
}
