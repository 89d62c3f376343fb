/** How an interface counts time: units per second (if_tsresol) and an offset in seconds (if_tsoffset). */
export interface IfaceClock {
  unitsPerSecond: number;
  offsetSeconds: number;
}

/**
 * A 64-bit timestamp (hi, lo) in interface units → microseconds since the epoch, truncated.
 * Exact for microsecond and for decimal resolutions finer than a microsecond (ns, ps …): no
 * 64-bit product is formed, hi·2³² is split as hi·q·D + hi·r with D = units per microsecond.
 */
export function timestampMicros(hi: number, lo: number, clock: IfaceClock): number {
  const u = clock.unitsPerSecond;
  let micros: number;
  if (u === 1e6) micros = hi * 4294967296 + lo;
  else if (u > 1e6 && u % 1e6 === 0) {
    const div = u / 1e6;
    const q = Math.floor(4294967296 / div);
    const r = 4294967296 - q * div;
    micros = hi * q + Math.floor((hi * r + lo) / div);
  } else micros = Math.floor(((hi * 4294967296 + lo) * 1e6) / u);
  return micros + clock.offsetSeconds * 1e6;
}

/** The if_tsresol option byte: bit 7 clear = 10^-n s, set = 2^-n s. */
export function unitsPerSecond(tsresol: number): number {
  return tsresol & 0x80 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol;
}
