/**
 * The compact, immutable form of one enrichment layer: sorted non-overlapping ranges in typed
 * arrays plus the interned strings their values point to. This is what is written to disk and
 * what lookups search.
 */
import { bigintKeys, flattenRanges, numberKeys } from './flatten-ranges.js';
import type { RangeCollector } from './range-collector.js';

export type LayerKind = 'asn' | 'country';

export interface RangeTable4 {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** ASN (asn layer) or index into `strings` (country layer); never 0. */
  readonly values: Uint32Array;
}

/** IPv6 keys as 4 big-endian-ordered u32 words per range: word 0 holds the top 32 bits. */
export interface RangeTable6 {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly values: Uint32Array;
}

export interface LayerTables {
  readonly kind: LayerKind;
  readonly v4: RangeTable4;
  readonly v6: RangeTable6;
  /** Country layer: codes ('' at 0). Asn layer: organisation names ('' at 0). */
  readonly strings: readonly string[];
  /** Asn layer only: sorted ASNs and, per ASN, the index of its name in `strings`. */
  readonly orgAsns: Uint32Array;
  readonly orgNames: Uint32Array;
}

export function rangeCount(t: LayerTables): { v4: number; v6: number } {
  return { v4: t.v4.values.length, v6: t.v6.values.length };
}

export function buildLayerTables(
  kind: LayerKind,
  ranges: RangeCollector,
  strings: readonly string[],
  orgs: ReadonlyMap<number, string> = new Map(),
): LayerTables {
  const flat4 = flattenRanges(ranges.starts4, ranges.ends4, ranges.values4, numberKeys);
  const flat6 = flattenRanges(ranges.starts6, ranges.ends6, ranges.values6, bigintKeys);
  const v4: RangeTable4 = {
    starts: Uint32Array.from(flat4.starts),
    ends: Uint32Array.from(flat4.ends),
    values: Uint32Array.from(flat4.values),
  };
  const n6 = flat6.starts.length;
  const v6: RangeTable6 = { starts: new Uint32Array(n6 * 4), ends: new Uint32Array(n6 * 4), values: Uint32Array.from(flat6.values) };
  for (let i = 0; i < n6; i++) {
    writeWords(flat6.starts[i], v6.starts, i * 4);
    writeWords(flat6.ends[i], v6.ends, i * 4);
  }
  if (kind === 'country') {
    return { kind, v4, v6, strings: [...strings], orgAsns: new Uint32Array(0), orgNames: new Uint32Array(0) };
  }
  const names: string[] = [''];
  const nameIndex = new Map<string, number>();
  const asns = [...orgs.keys()].sort((a, b) => a - b);
  const orgAsns = Uint32Array.from(asns);
  const orgNames = new Uint32Array(asns.length);
  asns.forEach((asn, i) => {
    const name = orgs.get(asn) ?? '';
    let idx = nameIndex.get(name);
    if (idx === undefined) {
      idx = names.length;
      names.push(name);
      nameIndex.set(name, idx);
    }
    orgNames[i] = idx;
  });
  return { kind, v4, v6, strings: names, orgAsns, orgNames };
}

function writeWords(value: bigint, out: Uint32Array, at: number): void {
  out[at] = Number((value >> 96n) & 0xffffffffn);
  out[at + 1] = Number((value >> 64n) & 0xffffffffn);
  out[at + 2] = Number((value >> 32n) & 0xffffffffn);
  out[at + 3] = Number(value & 0xffffffffn);
}

export function emptyLayer(kind: LayerKind): LayerTables {
  const none = (): RangeTable4 => ({ starts: new Uint32Array(0), ends: new Uint32Array(0), values: new Uint32Array(0) });
  return { kind, v4: none(), v6: none(), strings: [''], orgAsns: new Uint32Array(0), orgNames: new Uint32Array(0) };
}
