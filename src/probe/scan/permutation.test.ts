import { describe, expect, it } from 'vitest';
import { CyclicPermutation, isPrime, primeFactors } from './permutation.js';

describe('CyclicPermutation', () => {
  it('visits every element exactly once for many sizes', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 16, 255, 256, 1000, 65_536, 100_003, 70_000_000 / 1000 | 0]) {
      const p = new CyclicPermutation(n, n * 7 + 1);
      const seen = new Uint8Array(n);
      let count = 0;
      let bad = 0;
      for (let v = p.next(); v >= 0; v = p.next()) {
        if (v >= n || seen[v] !== 0) bad++;
        seen[v] = 1;
        count++;
      }
      expect(bad).toBe(0);
      expect(count).toBe(n);
      expect(p.next()).toBe(-1);
    }
  });

  it('does not walk the space in order, and the seed reproduces the order', () => {
    const take = (seed: number): number[] => { const p = new CyclicPermutation(65_536, seed); return Array.from({ length: 1000 }, () => p.next()); };
    const a = take(42);
    expect(take(42)).toEqual(a);
    expect(take(43)).not.toEqual(a);
    const adjacent = a.slice(1).filter((v, i) => Math.abs(v - (a[i] as number)) <= 1).length;
    expect(adjacent).toBeLessThan(5);
  });

  it('is exact on the bigint path too (a space above 2^26)', () => {
    const n = 2 ** 26 + 5;
    const p = new CyclicPermutation(n, 9);
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) seen.add(p.next());
    expect(seen.size).toBe(20_000);
  });

  it('handles huge spaces lazily (a /8 × 1000 ports)', () => {
    const p = new CyclicPermutation(2 ** 24 * 1000, 1);
    const first = Array.from({ length: 10_000 }, () => p.next());
    expect(new Set(first).size).toBe(10_000);
    expect(Math.max(...first)).toBeLessThan(2 ** 24 * 1000);
  });

  it('primality and factors', () => {
    expect([2n, 3n, 65_537n, 4_294_967_311n, 9_007_199_254_740_881n].every(isPrime)).toBe(true);
    expect([1n, 4n, 65_535n, 4_294_967_297n, 561n].some(isPrime)).toBe(false);
    expect(primeFactors(4_294_967_310)).toEqual([2, 3, 5, 131, 364_289]);
  });
});
