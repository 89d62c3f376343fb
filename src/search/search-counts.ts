/**
 * Figures about the services that other views show (the observation report), computed the way a
 * search computes its result: the query compiled by compileSearch, read from the same source with
 * the same filter (search.ts). A figure shown for a query is therefore what searching that query
 * answers, and the view can name the query beside it.
 */
import type { EventsStore } from '../store/types.js';
import type { Restriction } from '../store/need-to-know.js';
import { SakimoriError } from '../errors.js';
import { compileSearch, currentSource, filterClause, search, type FacetValue } from './search.js';
import { searchField } from './fields.js';

export interface CountRequest {
  readonly query: string;
  readonly restriction: Restriction;
  readonly facets?: readonly string[];
  readonly facetSize?: number;
  readonly now?: Date;
}

export interface SearchCounts {
  query: string;
  /** Services that match: the search's total. */
  services: number;
  /** Distinct addresses among them. */
  hosts: number;
  facets: Record<string, FacetValue[]>;
}

export async function searchCounts(events: EventsStore, req: CountRequest): Promise<SearchCounts> {
  const [r, hosts] = await Promise.all([
    search(events, { ...req, limit: 0 }),
    readMatches<{ n: number }>(events, req, 'uniqExact(ip) AS n'),
  ]);
  return { query: req.query, services: r.total, hosts: Number(hosts[0]?.n ?? 0), facets: r.facets };
}

export interface GroupCount { values: Record<string, string>; count: number }

/** Services that match, counted per combination of the given fields' values, most first. */
export async function searchGroups(events: EventsStore, req: Omit<CountRequest, 'facets' | 'facetSize'> & { fields: readonly string[] }): Promise<GroupCount[]> {
  const cols = req.fields.map((name) => {
    const f = searchField(name);
    if (!f || f.kind === 'array' || f.kind === 'ip' || f.nullable) {
      throw new SakimoriError('QUERY_UNKNOWN_FIELD', `"${name}" cannot group search results (a field of one plain value is needed)`, { field: name });
    }
    return f;
  });
  const keys = cols.map((f, i) => `toString(${f.column}) AS g${i}`);
  const rows = await readMatches<Record<string, string | number>>(
    events, req, `${keys.join(', ')}, count() AS n`, `GROUP BY ${cols.map((_, i) => `g${i}`).join(', ')} ORDER BY n DESC, ${cols.map((_, i) => `g${i}`).join(', ')}`,
  );
  return rows.map((r) => ({ values: Object.fromEntries(cols.map((f, i) => [f.name, String(r[`g${i}`])])), count: Number(r['n']) }));
}

/** `SELECT <what>` over the services a query matches, from search's source with search's filter. */
async function readMatches<T>(events: EventsStore, req: Pick<CountRequest, 'query' | 'restriction' | 'now'>, what: string, tail = ''): Promise<T[]> {
  const c = compileSearch(req.query, req.restriction, req.now);
  const source = await currentSource(events);
  return events.query<T>(`SELECT ${what} FROM ${source} ${filterClause(c, source)} ${tail}`, c.params);
}
