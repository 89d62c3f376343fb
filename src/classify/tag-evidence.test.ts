import { describe, expect, it } from 'vitest';
import { binomialTail, carriesTag, tagPosterior } from './tag-evidence.js';

describe('tag decision', () => {
  it('needs one match and the minimum share of the packets the test applies to', () => {
    expect(carriesTag(0.5, 1001, 1001)).toBe(true);
    expect(carriesTag(0.5, 3, 1000)).toBe(false);
    expect(carriesTag(0.5, 0, 0)).toBe(false);
    expect(carriesTag(0.5, 5, 10)).toBe(true);
  });
});

describe('tag confidence: the posterior probability that the source runs the tool', () => {
  const PRIOR = 0.01;
  it('is certain after a few matches of a 32-bit test and after 1,001 of a 16-bit one', () => {
    expect(tagPosterior(3, 3, 2 ** -32, PRIOR)).toBeCloseTo(1, 12);
    expect(tagPosterior(1001, 1001, 2 ** -16, PRIOR)).toBe(1);
    // Half of them matching is still the tool (with other traffic beside it).
    expect(tagPosterior(10, 5, 2 ** -32, PRIOR)).toBeCloseTo(1, 9);
  });

  it('follows Bayes exactly on small counts', () => {
    // k = n = 1: odds = π/(1−π) · (1/2) / p0.
    const p0 = 2 ** -16;
    const odds = (PRIOR / (1 - PRIOR)) * 0.5 / p0;
    expect(tagPosterior(1, 1, p0, PRIOR)).toBeCloseTo(odds / (1 + odds), 12);
    // k = 1 of n = 200: odds = π/(1−π) · (1/201) / (200 p0 (1−p0)^199).
    const odds200 = (PRIOR / (1 - PRIOR)) * (1 / 201) / (200 * p0 * (1 - p0) ** 199);
    expect(tagPosterior(200, 1, p0, PRIOR)).toBeCloseTo(odds200 / (1 + odds200), 12);
    expect(tagPosterior(200, 1, p0, PRIOR)).toBeLessThan(0.02);
  });

  it('is the prior without evidence and falls with misses', () => {
    expect(tagPosterior(0, 0, 2 ** -16, PRIOR)).toBe(PRIOR);
    expect(tagPosterior(1000, 0, 2 ** -16, PRIOR)).toBeLessThan(PRIOR);
    // A weak test (one packet in 10 matches by chance) needs many matches.
    expect(tagPosterior(20, 3, 0.1, PRIOR)).toBeLessThan(0.01);
    expect(tagPosterior(20, 15, 0.1, PRIOR)).toBeGreaterThan(0.999);
  });

  it('stays finite for millions of packets', () => {
    const v = tagPosterior(5_000_000, 2_600_000, 2 ** -16, PRIOR);
    expect(v).toBe(1);
    expect(Number.isFinite(tagPosterior(5_000_000, 1, 2 ** -16, PRIOR))).toBe(true);
  });
});

describe('p-value: P[X ≥ k], X ~ Binomial(n, p0)', () => {
  it('computes binomial tails correctly', () => {
    expect(binomialTail(10, 0, 0.3)).toBe(1);
    expect(binomialTail(1, 1, 0.25)).toBeCloseTo(0.25, 12);
    // P[X >= 2], n = 3, p = 0.5 → 4/8
    expect(binomialTail(3, 2, 0.5)).toBeCloseTo(0.5, 12);
    // n large, p tiny: ≈ n·p for k = 1
    expect(binomialTail(1000, 1, 1e-9)).toBeCloseTo(1e-6, 9);
  });
});
