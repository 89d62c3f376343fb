import { describe, expect, it } from 'vitest';
import { isoMicros } from './native-events.js';

describe('isoMicros', () => {
  it('reads the time stamps honeypots write, to the microsecond', () => {
    expect(isoMicros('2018-05-06T17:44:05.866769Z')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000 + 866769);
    expect(isoMicros('2018-05-06T17:44:05.8Z')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000 + 800000);
    expect(isoMicros('2018-05-06T17:44:05.123456789Z')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000 + 123456);
    expect(isoMicros('2018-05-06 17:44:05')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000);
    expect(isoMicros('2018-05-06T19:44:05.000001+02:00')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000 + 1);
    expect(isoMicros('2018-05-06T12:14:05-0530')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000);
    expect(isoMicros('1969-12-31T23:59:59.5Z')).toBe(-500000);
    expect(isoMicros('Sun, 06 May 2018 17:44:05 GMT')).toBe(Date.UTC(2018, 4, 6, 17, 44, 5) * 1000);
    expect(() => isoMicros('yesterday')).toThrow(/not a time/);
  });
});
