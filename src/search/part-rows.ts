/**
 * Need-to-know by row numbers. services_current is sorted by address, so within one part an
 * organisation's prefix is one run of rows: once the first and last row of each prefix are known
 * (two reads of one granule each), a member's search is restricted by `_part_offset`, which
 * ClickHouse generates without reading anything and also uses to skip granules, instead of
 * testing the address of every selected row. The runs are cached by part name: a part never
 * changes, a merge or mutation makes a new one.
 *
 * Row numbers mean something only in the part they were read from, so the whole condition is
 * `_part = P AND (runs OR asn IN …)`: a row of any other part (an insert or a merge a moment
 * ago, while the search still takes the table for one part) fails it, whatever its row number
 * and even by the AS term, and ClickHouse leaves other parts unread. (An earlier form,
 * `(indexHint(_part = P) AND runs) OR asn IN …`, let rows of new parts through: indexHint is
 * true as a condition, and the OR kept every part in the read.) The search thus sees the one
 * part it planned for, as it was: rows of a newer part appear once the search looks again.
 * Only used while the table is one part (the settled state); FINAL over several parts, exports
 * that page across merges and monitors keep the address test (auth/need-to-know.ts).
 */
import type { EventParams, EventsStore } from '../store/types.js';
import type { Restriction } from '../store/need-to-know.js';
import { cidrBounds } from '../net/cidr.js';

type Run = readonly [number, number] | null;

/** part name → CIDR → its rows in that part (null: none). */
const runsOf = new WeakMap<EventsStore, Map<string, Map<string, Run>>>();

const FIRST_ROW = `SELECT _part_offset AS o FROM services_current
  WHERE _part IN ({part:String}) AND ip BETWEEN {lo:IPv6} AND {hi:IPv6}
  ORDER BY ip, port, transport LIMIT 1`;
const LAST_ROW = `SELECT _part_offset AS o FROM services_current
  WHERE _part IN ({part:String}) AND ip BETWEEN {lo:IPv6} AND {hi:IPv6}
  ORDER BY ip DESC, port DESC, transport DESC LIMIT 1`;

async function runOf(events: EventsStore, part: string, cidr: string): Promise<Run> {
  let byPart = runsOf.get(events);
  if (!byPart) runsOf.set(events, (byPart = new Map()));
  let runs = byPart.get(part);
  if (!runs) {
    // Runs of parts merged away are of no further use.
    byPart.clear();
    byPart.set(part, (runs = new Map()));
  }
  const known = runs.get(cidr);
  if (known !== undefined) return known;
  const [lo, hi] = cidrBounds(cidr);
  const params = { part, lo, hi };
  const [first] = await events.query<{ o: number | string }>(FIRST_ROW, params);
  const [last] = first ? await events.query<{ o: number | string }>(LAST_ROW, params) : [];
  const run: Run = first && last ? [rowNumber(first.o), rowNumber(last.o)] : null;
  if (runs.size >= 10_000) runs.clear();
  runs.set(cidr, run);
  return run;
}

/** A constituency within one part: its rows in address order, and its ASNs. */
export interface PartScope {
  readonly part: string;
  /** Sorted, disjoint runs of row numbers. */
  readonly runs: readonly (readonly [number, number])[];
  readonly asns: readonly number[];
}

export async function partScope(events: EventsStore, part: string, r: Extract<Restriction, { kind: 'constituency' }>): Promise<PartScope> {
  const runs: (readonly [number, number])[] = [];
  for (const c of r.cidrs) {
    const run = await runOf(events, part, c);
    if (run) runs.push(run);
  }
  return { part, runs: mergeRuns(runs), asns: r.asns };
}

/**
 * The scope as a condition on rows, true only for rows of its part, parameters added under names
 * starting with `prefix`: '0' for a constituency with nothing in the part.
 */
export function partScopeFilter(s: PartScope, params: EventParams, prefix = 'ntk'): string {
  const terms: string[] = [];
  if (s.runs.length > 0) {
    // Row numbers that this module read from the store itself, not values a user typed: written
    // as literals, which ClickHouse folds into its granule selection more cheaply than parameters.
    terms.push(`(${s.runs.map(([lo, hi]) => `(_part_offset BETWEEN ${lo} AND ${hi})`).join(' OR ')})`);
  }
  if (s.asns.length > 0) {
    params[`${prefix}_asns`] = [...s.asns];
    terms.push(`asn IN {${prefix}_asns:Array(UInt32)}`);
  }
  if (terms.length === 0) return '0';
  params[`${prefix}_part`] = s.part;
  // A real test of the part, outside the OR: exact on every row, and it prunes the other parts.
  return `(_part = {${prefix}_part:String} AND (${terms.join(' OR ')}))`;
}

/** partScope and partScopeFilter in one. */
export async function partRowsFilter(events: EventsStore, part: string, r: Extract<Restriction, { kind: 'constituency' }>, params: EventParams, prefix = 'ntk'): Promise<string> {
  return partScopeFilter(await partScope(events, part, r), params, prefix);
}

function rowNumber(v: number | string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`_part_offset is not a row number: ${String(v)}`);
  return n;
}

/** Sorted, overlapping and adjacent runs joined (a /16 and a /24 inside it are one run). */
function mergeRuns(runs: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of [...runs].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
