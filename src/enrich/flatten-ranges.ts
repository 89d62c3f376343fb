/**
 * Turns possibly nested or overlapping ranges into sorted, non-overlapping ones.
 *
 * The rule: where ranges overlap, the one that starts later wins, and among ranges with the same
 * start the narrower one wins. For prefixes (pfx2as, MMDB) that is exactly "the more specific
 * prefix wins over the covering one"; for CSV files that overlap by mistake it is the closest
 * thing to the author's intent. Between exact duplicates the later line wins.
 *
 * One sweep with a stack of open ranges whose ends strictly decrease from bottom to top; adjacent
 * output pieces with the same value are merged.
 */

export interface KeyOps<K> {
  compare(a: K, b: K): number;
  next(a: K): K;
  prev(a: K): K;
}

export const numberKeys: KeyOps<number> = {
  compare: (a, b) => a - b,
  next: (a) => a + 1,
  prev: (a) => a - 1,
};

export const bigintKeys: KeyOps<bigint> = {
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  next: (a) => a + 1n,
  prev: (a) => a - 1n,
};

export interface FlatRanges<K> {
  starts: K[];
  ends: K[];
  values: number[];
}

export function flattenRanges<K>(
  starts: ArrayLike<K>,
  ends: ArrayLike<K>,
  values: ArrayLike<number>,
  ops: KeyOps<K>,
): FlatRanges<K> {
  const n = starts.length;
  const order = sortedOrder(starts, ends, ops);
  const out: FlatRanges<K> = { starts: [], ends: [], values: [] };

  const emit = (s: K, e: K, v: number): void => {
    if (ops.compare(s, e) > 0) return;
    const last = out.starts.length - 1;
    if (last >= 0 && out.values[last] === v && ops.compare(ops.next(out.ends[last]), s) === 0) {
      out.ends[last] = e;
      return;
    }
    out.starts.push(s);
    out.ends.push(e);
    out.values.push(v);
  };

  const stackEnd: K[] = [];
  const stackValue: number[] = [];
  let cursor: K | undefined;
  const closeTop = (): void => {
    const top = stackEnd.length - 1;
    if (cursor !== undefined) emit(cursor, stackEnd[top], stackValue[top]);
    const after = ops.next(stackEnd[top]);
    if (cursor === undefined || ops.compare(after, cursor) > 0) cursor = after;
    stackEnd.pop();
    stackValue.pop();
  };

  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    const s = starts[i];
    const e = ends[i];
    const v = values[i];
    while (stackEnd.length > 0 && ops.compare(stackEnd[stackEnd.length - 1], s) < 0) closeTop();
    if (stackEnd.length > 0 && cursor !== undefined) emit(cursor, ops.prev(s), stackValue[stackValue.length - 1]);
    cursor = s;
    // Ranges ending inside the new one are hidden by it from `s` on; their earlier part is out.
    while (stackEnd.length > 0 && ops.compare(stackEnd[stackEnd.length - 1], e) <= 0) {
      stackEnd.pop();
      stackValue.pop();
    }
    stackEnd.push(e);
    stackValue.push(v);
  }
  while (stackEnd.length > 0) closeTop();
  return out;
}

/**
 * Sort order by (start ascending, end descending, input position ascending), or null when the
 * input is already sorted and disjoint (MMDB walks, most CSV files) so that no sort is needed.
 */
function sortedOrder<K>(starts: ArrayLike<K>, ends: ArrayLike<K>, ops: KeyOps<K>): Uint32Array | null {
  const n = starts.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (ops.compare(ends[i - 1], starts[i]) >= 0) sorted = false;
  if (sorted) return null;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => ops.compare(starts[a], starts[b]) || ops.compare(ends[b], ends[a]) || a - b);
  return order;
}
