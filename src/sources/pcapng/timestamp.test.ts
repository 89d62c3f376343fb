import { describe, expect, it } from 'vitest';
import { timestampMicros, unitsPerSecond } from './timestamp.js';

const split = (units: bigint): [number, number] => [Number(units >> 32n), Number(units & 0xffffffffn)];
const clock = (tsresol: number, offsetSeconds = 0) => ({ unitsPerSecond: unitsPerSecond(tsresol), offsetSeconds });

describe('pcapng timestamps', () => {
  it('reads if_tsresol in both forms: 10^-n and 2^-n seconds', () => {
    expect([6, 9, 0, 0x80, 0x80 | 10, 0x80 | 20].map(unitsPerSecond)).toEqual([1e6, 1e9, 1, 1, 1024, 1048576]);
  });

  it('is exact to the microsecond for µs, ns and ps clocks where a double product would not be', () => {
    const ns = 1_700_000_000_123_456_789n;
    expect(timestampMicros(...split(ns), clock(9))).toBe(1_700_000_000_123_456);
    expect(timestampMicros(...split(1_700_000_000_123_456n), clock(6))).toBe(1_700_000_000_123_456);
    // Nanoseconds since 1970 overflow 2^64 in 2554 (picoseconds after 213 days); a 2^64 − 1 value must still come out whole.
    expect(timestampMicros(0xffffffff, 0xffffffff, clock(12))).toBe(Math.floor(Number(0xffffffffffffffffn / 1_000_000n)));
  });

  it('converts coarser and binary clocks, and adds if_tsoffset seconds (which may be negative)', () => {
    expect(timestampMicros(0, 1_700_000_000, clock(0))).toBe(1_700_000_000_000_000);
    expect(timestampMicros(0, 3 * 1024 + 512, clock(0x80 | 10))).toBe(3_500_000);
    expect(timestampMicros(0, 5, clock(6, 1_700_000_000))).toBe(1_700_000_000_000_005);
    expect(timestampMicros(0, 5_000_000, clock(6, -2))).toBe(3_000_000);
  });

  it('is exact to the microsecond for every if_tsresol a writer may use: coarse decimal, binary, finer than ns', () => {
    // Reference: the 64-bit count of units, converted with bigints (floor of units·10^6 / units per second).
    for (const tsresol of [0, 1, 3, 5, 6, 7, 9, 10, 12, 0x80 | 1, 0x80 | 10, 0x80 | 20, 0x80 | 24, 0x80 | 30, 0x80 | 32, 0x80 | 40]) {
      const per = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
      const wrong: string[] = [];
      for (let k = 0; k < 3000; k++) {
        // Beyond 2^64 units since 1970 (picoseconds: after 213 days) a writer must use if_tsoffset.
        const base = per * 1_800_000_000n < 1n << 64n ? 1_700_000_000n : 0n;
        const seconds = base + BigInt(k) * 1931n;
        const units = seconds * per + ((BigInt(k) * 982_451_653n + 12_345n) % per);
        const want = Number((units * 1_000_000n) / per);
        const got = timestampMicros(...split(units), clock(tsresol));
        if (got !== want) wrong.push(`${units}: ${got} instead of ${want}`);
      }
      expect(wrong.slice(0, 3), `if_tsresol ${tsresol}`).toEqual([]);
    }
  });
});
