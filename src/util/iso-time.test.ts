import { describe, expect, it } from 'vitest';
import { isoMicrosFast } from './iso-time.js';
import { seededRandom } from './seeded-random.js';

describe('isoMicrosFast', () => {
  it('reads the common forms to the microsecond', () => {
    const base = Date.UTC(2018, 4, 6, 17, 44, 5) * 1000;
    expect(isoMicrosFast('2018-05-06T17:44:05.866769Z')).toBe(base + 866769);
    expect(isoMicrosFast('2018-05-06T17:44:05.8Z')).toBe(base + 800000);
    expect(isoMicrosFast('2018-05-06T17:44:05,123456789Z')).toBe(base + 123456);
    expect(isoMicrosFast('2018-05-06 17:44:05')).toBe(base);
    expect(isoMicrosFast('2018-05-06t17:44:05z')).toBe(base);
    expect(isoMicrosFast('2018-05-06T19:44:05.000001+02:00')).toBe(base + 1);
    expect(isoMicrosFast('2018-05-06T12:14:05-0530')).toBe(base);
    expect(isoMicrosFast('1969-12-31T23:59:59.5Z')).toBe(-500000);
    expect(isoMicrosFast('2020-02-29T00:00:00Z')).toBe(Date.UTC(2020, 1, 29) * 1000);
  });

  it('leaves every other form to the general parser (NaN)', () => {
    for (const s of ['2018-02-30T00:00:00Z', '2019-02-29T00:00:00Z', '2018-05-06T24:00:00Z', '2018-05-06T23:59:60Z', '2018-05-06T17:44:05.Z',
      '2018-05-06', '2018-05-06T17:44Z', '2018-13-06T17:44:05Z', '2018-05-06T17:44:05+02', '2018-05-06T17:44:05+02:00x', 'Sun, 06 May 2018 17:44:05 GMT',
      '2018-05-06T17:44:05.1234567890Z', '2018-05-06X17:44:05Z', '２０１８-05-06T17:44:05Z', '']) {
      expect(isoMicrosFast(s), s).toBeNaN();
    }
  });

  it('agrees with Date.parse on every text both read (seeded variations)', () => {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const d2 = (n: number): string => String(n).padStart(2, '0');
    let compared = 0;
    for (let k = 0; k < 20000; k++) {
      const s = `${pick(['1970', '1999', '2000', '2018', '2024', '2099'])}-${d2(Math.floor(rnd() * 14))}-${d2(Math.floor(rnd() * 33))}${pick(['T', ' ', 't'])}`
        + `${d2(Math.floor(rnd() * 26))}:${d2(Math.floor(rnd() * 61))}:${d2(Math.floor(rnd() * 61))}${pick(['', '.5', '.123', '.123456', '.1234567', ','])}`
        + pick(['Z', '', '+09:00', '-0530', '+2', 'z', ' ']);
      const fast = isoMicrosFast(s);
      if (Number.isNaN(fast)) continue;
      // Date.parse reads no zone as local time and stops at milliseconds: compare in UTC, to the millisecond.
      const slow = Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);
      expect(Math.floor(fast / 1000), s).toBe(slow);
      compared++;
    }
    expect(compared).toBeGreaterThan(2000);
  });
});
