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
    // Picoseconds since 1970 overflow 2^64 in 2554; a 2^64 − 1 value must still come out whole.
    expect(timestampMicros(0xffffffff, 0xffffffff, clock(12))).toBe(Math.floor(Number(0xffffffffffffffffn / 1_000_000n)));
  });

  it('converts coarser and binary clocks, and adds if_tsoffset seconds (which may be negative)', () => {
    expect(timestampMicros(0, 1_700_000_000, clock(0))).toBe(1_700_000_000_000_000);
    expect(timestampMicros(0, 3 * 1024 + 512, clock(0x80 | 10))).toBe(3_500_000);
    expect(timestampMicros(0, 5, clock(6, 1_700_000_000))).toBe(1_700_000_000_000_005);
    expect(timestampMicros(0, 5_000_000, clock(6, -2))).toBe(3_000_000);
  });
});
