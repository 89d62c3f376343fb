/** How an interface counts time: units per second (if_tsresol) and an offset in seconds (if_tsoffset). */
export interface IfaceClock {
  unitsPerSecond: number;
  offsetSeconds: number;
}

const TWO32 = 4294967296;

/**
 * A 64-bit timestamp (hi, lo) in interface units → microseconds since the epoch, truncated.
 * Exact for every if_tsresol (10^-n and 2^-n seconds) while the result fits a double: no
 * product beyond 2^53 is formed, the 64-bit count is split into whole seconds (or microseconds)
 * and a remainder first.
 */
export function timestampMicros(hi: number, lo: number, clock: IfaceClock): number {
  const u = clock.unitsPerSecond;
  let micros: number;
  if (u === 1e6) micros = hi * TWO32 + lo;
  else if (u > 1e6 && u % 1e6 === 0) {
    // Finer decimal (ns, ps …): D units per µs; hi·2³² / D = (h1·D + h2)·2³² / D, h2 < D.
    const div = u / 1e6;
    const h1 = Math.floor(hi / div);
    const h2 = hi - h1 * div;
    micros = h1 * TWO32 + Math.floor((h2 * TWO32 + lo) / div);
  } else if (1e6 % u === 0) {
    // Coarser units that divide a second into whole µs (10^-n, n < 6; 2^-n, n ≤ 6).
    micros = (hi * TWO32 + lo) * (1e6 / u);
  } else if (u < TWO32) {
    // Binary fractions 2^-n, 6 < n < 32: whole seconds and the remainder, each exact.
    const perHi = TWO32 / u; // a power of two: exact
    const s = Math.floor(lo / u);
    micros = (hi * perHi + s) * 1e6 + Math.floor(((lo - s * u) * 1e6) / u);
  } else {
    // Binary fractions 2^-n, n ≥ 32.
    const hiPerSecond = u / TWO32;
    const s = Math.floor(hi / hiPerSecond);
    micros = s * 1e6 + Math.floor((((hi - s * hiPerSecond) * TWO32 + lo) * 1e6) / u);
  }
  return micros + clock.offsetSeconds * 1e6;
}

/** The if_tsresol option byte: bit 7 clear = 10^-n s, set = 2^-n s. */
export function unitsPerSecond(tsresol: number): number {
  return tsresol & 0x80 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol;
}
