import { describe, expect, it } from 'vitest';
import { flattenRanges, numberKeys } from './flatten-ranges.js';

const flat = (rows: [number, number, number][]) => {
  const r = flattenRanges(
    rows.map((x) => x[0]),
    rows.map((x) => x[1]),
    rows.map((x) => x[2]),
    numberKeys,
  );
  return r.starts.map((s, i) => [s, r.ends[i], r.values[i]]);
};

describe('flattenRanges', () => {
  it('lets the more specific nested range win, whatever the input order', () => {
    const expected = [
      [0, 127, 2],
      [128, 199, 1],
      [200, 200, 3],
      [201, 255, 1],
    ];
    expect(flat([[0, 255, 1], [0, 127, 2], [200, 200, 3]])).toEqual(expected);
    expect(flat([[200, 200, 3], [0, 127, 2], [0, 255, 1]])).toEqual(expected);
  });

  it('handles deep nesting and ranges that end together', () => {
    expect(flat([[0, 99, 1], [10, 99, 2], [20, 29, 3], [90, 99, 4]])).toEqual([
      [0, 9, 1],
      [10, 19, 2],
      [20, 29, 3],
      [30, 89, 2],
      [90, 99, 4],
    ]);
  });

  it('gives a partial overlap to the range that starts later; later duplicates win', () => {
    expect(flat([[0, 10, 1], [5, 20, 2]])).toEqual([[0, 4, 1], [5, 20, 2]]);
    expect(flat([[0, 10, 1], [0, 10, 2]])).toEqual([[0, 10, 2]]);
  });

  it('keeps gaps and merges touching ranges with the same value', () => {
    expect(flat([[0, 9, 1], [10, 19, 1], [30, 39, 1]])).toEqual([[0, 19, 1], [30, 39, 1]]);
  });

  it('handles the ends of the IPv4 space', () => {
    expect(flat([[0, 0xffffffff, 1], [0xffffff00, 0xffffffff, 2], [0, 0, 3]])).toEqual([
      [0, 0, 3],
      [1, 0xfffffeff, 1],
      [0xffffff00, 0xffffffff, 2],
    ]);
  });
});
