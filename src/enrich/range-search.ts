/**
 * Binary search over the typed range tables. No allocation: numbers in, numbers out.
 *
 * IPv4 adds a 65,537-entry index on the top 16 bits of the address, so that a lookup searches
 * only the ranges starting in the address's /16 (a handful) instead of all of them: that keeps
 * random lookups against a 500k-range table well above 5 million per second.
 */
import type { RangeTable4, RangeTable6 } from './layer-tables.js';

export class Search4 {
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly values: Uint32Array;
  /** buckets[h] = number of ranges whose start is below h << 16. */
  private readonly buckets: Uint32Array;

  constructor(table: RangeTable4) {
    this.starts = table.starts;
    this.ends = table.ends;
    this.values = table.values;
    this.buckets = new Uint32Array(65537);
    const n = table.starts.length;
    let i = 0;
    for (let h = 0; h <= 65536; h++) {
      const bound = h * 65536;
      while (i < n && table.starts[i] < bound) i++;
      this.buckets[h] = i;
    }
  }

  get size(): number {
    return this.values.length;
  }

  /** The value of the range holding `ip` (unsigned or signed 32-bit), 0 when none does. */
  find(ip: number): number {
    const a = ip >>> 0;
    const h = a >>> 16;
    const starts = this.starts;
    // The answer is the last range starting at or before `a`; it lies in this window.
    let lo = this.buckets[h] - 1;
    let hi = this.buckets[h + 1] - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= a) lo = mid;
      else hi = mid - 1;
    }
    if (lo < 0 || this.ends[lo] < a) return 0;
    return this.values[lo];
  }
}

export class Search6 {
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly values: Uint32Array;

  constructor(table: RangeTable6) {
    this.starts = table.starts;
    this.ends = table.ends;
    this.values = table.values;
  }

  get size(): number {
    return this.values.length;
  }

  /** The value for the address given as four 32-bit words (most significant first), or 0. */
  find(w0: number, w1: number, w2: number, w3: number): number {
    const starts = this.starts;
    let lo = -1;
    let hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareAt(starts, mid * 4, w0, w1, w2, w3) <= 0) lo = mid;
      else hi = mid - 1;
    }
    if (lo < 0 || compareAt(this.ends, lo * 4, w0, w1, w2, w3) < 0) return 0;
    return this.values[lo];
  }
}

/** Sign of (key at `at`) − (w0, w1, w2, w3), comparing words as unsigned numbers. */
function compareAt(keys: Uint32Array, at: number, w0: number, w1: number, w2: number, w3: number): number {
  let k = keys[at];
  if (k !== w0) return k < w0 ? -1 : 1;
  k = keys[at + 1];
  if (k !== w1) return k < w1 ? -1 : 1;
  k = keys[at + 2];
  if (k !== w2) return k < w2 ? -1 : 1;
  k = keys[at + 3];
  return k === w3 ? 0 : k < w3 ? -1 : 1;
}
