/**
 * 1-in-N packet sampling of a flow of `packets` packets, as a router's sampler would leave it:
 * kept = ⌊packets / N⌋ plus one more with chance (packets mod N) / N. The mean is packets / N
 * like a binomial draw (with less spread, which matters little for flows of a few packets,
 * the ones sampling makes vanish). The generator draws `u` from its seeded generator; the
 * query-time thinning of stored flows (detect/thinned-flows.ts) draws it from a hash of the row,
 * so both are deterministic.
 */
export function sampledPackets(packets: number, n: number, u: number): number {
  if (n <= 1) return packets;
  const whole = Math.floor(packets / n);
  return whole + (u * n < packets % n ? 1 : 0);
}

/** The same draw in ClickHouse SQL, with `hash` a UInt64 expression of the row. */
export function sampledPacketsSql(packets: string, n: number, hash: string): string {
  const N = Math.max(1, Math.floor(n));
  return N === 1 ? packets : `(intDiv(${packets}, ${N}) + toUInt64((${hash}) % ${N} < ${packets} % ${N}))`;
}
