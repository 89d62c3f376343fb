import { describe, expect, it } from 'vitest';
import { kaplanMeier, medianDays, survivalAt } from './kaplan-meier.js';

describe('Kaplan–Meier', () => {
  // The textbook example (Kaplan & Meier style, 10 subjects, + = censored): 3, 4+, 5.7+, 6.5, 6.5, 8.4+, 10, 10+, 12, 15.
  const obs = [
    { days: 3, resolved: true }, { days: 4, resolved: false }, { days: 5.7, resolved: false }, { days: 6.5, resolved: true }, { days: 6.5, resolved: true },
    { days: 8.4, resolved: false }, { days: 10, resolved: true }, { days: 10, resolved: false }, { days: 12, resolved: true }, { days: 15, resolved: true },
  ];
  it('matches the hand computation with censoring and ties', () => {
    const km = kaplanMeier(obs);
    const at = (t: number): number => survivalAt(km, t);
    expect(at(2)).toBe(1);
    expect(at(3)).toBeCloseTo(0.9, 10);
    expect(at(6.5)).toBeCloseTo(0.9 * (1 - 2 / 7), 10); // 7 at risk at 6.5
    expect(at(10)).toBeCloseTo(0.9 * (5 / 7) * (1 - 1 / 4), 10); // 4 at risk at 10 (event counted before the tie's censoring)
    expect(at(12)).toBeCloseTo(0.9 * (5 / 7) * (3 / 4) * (1 / 2), 10);
    expect(at(15)).toBe(0);
    expect(medianDays(km)).toBe(10); // S(10) = 0.482 is the first value at or below one half
  });
  it('stays at 1 with no events, and has no median when fewer than half resolve', () => {
    const km = kaplanMeier([{ days: 5, resolved: false }, { days: 9, resolved: false }, { days: 2, resolved: true }]);
    expect(survivalAt(km, 100)).toBeCloseTo(2 / 3, 10);
    expect(medianDays(km)).toBeNull();
    expect(kaplanMeier([])).toEqual([]);
  });
});
