/** Microseconds of an hour and a day, the units of the aggregates. */
export const HOUR_US = 3_600_000_000;
export const DAY_US = 86_400_000_000;

/**
 * The end of the run of packets from the same source that starts at `a`, in a batch sorted by
 * source (`s32`: the 16-byte addresses as four 32-bit words per packet, `n` packets).
 */
export function sourceRunEnd(s32: Uint32Array, a: number, n: number): number {
  const w0 = s32[a * 4];
  const w1 = s32[a * 4 + 1];
  const w2 = s32[a * 4 + 2];
  const w3 = s32[a * 4 + 3];
  let e = a + 1;
  while (e < n && s32[e * 4 + 3] === w3 && s32[e * 4 + 2] === w2 && s32[e * 4 + 1] === w1 && s32[e * 4] === w0) e++;
  return e;
}
