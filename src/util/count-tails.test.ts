import { describe, expect, it } from 'vitest';
import { log10CountUpperTail, log10PoissonUpperTail, logGamma } from './count-tails.js';

/**
 * P[X ≥ k] by summing the probability mass function from k upwards, each term from the one
 * before (the mass function's own recurrence, no Γ); the sum stops when terms no longer count.
 */
function tailBySum(k: number, p0: number, next: (p: number, j: number) => number): number {
  let p = p0;
  for (let j = 0; j < k; j++) p = next(p, j);
  let sum = 0;
  for (let j = k; p > sum * 1e-17 || j < k + 10; j++) { sum += p; p = next(p, j); }
  return sum;
}

const poissonTailBySum = (k: number, mean: number): number => tailBySum(k, Math.exp(-mean), (p, j) => (p * mean) / (j + 1));

function negBinTailBySum(k: number, mean: number, variance: number): number {
  const r = (mean * mean) / (variance - mean);
  const q = mean / (r + mean); // chance of a "failure"
  return tailBySum(k, Math.pow(1 - q, r), (p, j) => p * ((j + r) / (j + 1)) * q);
}

describe('count tails', () => {
  it('log Γ matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1e6)).toBeCloseTo(1e6 * Math.log(1e6) - 1e6 - 0.5 * Math.log(1e6) + 0.5 * Math.log(2 * Math.PI) + 1 / 12e6, 4);
  });

  it('Poisson upper tails agree with the summed mass function', () => {
    for (const [k, mean] of [[10, 2], [1, 0.5], [30, 20], [5, 9], [200, 100], [60, 58]] as const) {
      const want = poissonTailBySum(k, mean);
      expect(10 ** log10PoissonUpperTail(k, mean), `P[X ≥ ${k} | μ=${mean}]`).toBeCloseTo(want, 10);
      expect(log10PoissonUpperTail(k, mean) - Math.log10(want), 'relative error').toBeCloseTo(0, 8);
    }
    expect(log10PoissonUpperTail(0, 3)).toBe(0);
  });

  it('negative binomial upper tails agree with the summed mass function', () => {
    for (const [k, mean, variance] of [[10, 2, 6], [50, 10, 60], [3, 1, 1.5], [400, 100, 2500], [20, 30, 300]] as const) {
      const want = negBinTailBySum(k, mean, variance);
      expect(10 ** log10CountUpperTail(k, mean, variance), `P[X ≥ ${k} | μ=${mean}, σ²=${variance}]`).toBeCloseTo(want, 9);
      expect(log10CountUpperTail(k, mean, variance) - Math.log10(want), 'relative error').toBeCloseTo(0, 8);
    }
  });

  it('falls back to Poisson when the counts are not overdispersed', () => {
    expect(log10CountUpperTail(30, 10, 8)).toBe(log10PoissonUpperTail(30, 10));
    expect(log10CountUpperTail(30, 10, 10)).toBe(log10PoissonUpperTail(30, 10));
  });

  it('gives finite logarithms far below what a double can hold as a probability', () => {
    const p = log10PoissonUpperTail(5000, 100);
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeLessThan(-3000);
    // Overdispersion makes the same count far less surprising.
    const nb = log10CountUpperTail(5000, 100, 100 * 100);
    expect(nb).toBeGreaterThan(p);
    expect(nb).toBeLessThan(-15);
  });
});
