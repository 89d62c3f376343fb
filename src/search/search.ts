/**
 * Runs a search over the current services: the query is parsed and compiled to one parameterised
 * condition (need-to-know restriction included, see compile.ts), then the page of hits, the total
 * and each requested facet are read with that same condition. Results are ordered by the table's
 * key (ip, port, transport) by default, so a page is read in index order, or by port or last seen
 * and then the key (SEARCH_SORTS); either way pages never overlap.
 */
import type { EventsStore } from '../store/types.js';
import { UNRESTRICTED, type Restriction } from '../store/need-to-know.js';
import { partScope, partScopeFilter, type PartScope } from './part-rows.js';
import { SakimoriError } from '../errors.js';
import { ipText } from '../store/events/sql-helpers.js';
import { parseQuery } from './parser.js';
import { compileQuery, type Compiled } from './compile.js';
import { SEARCH_FIELDS, searchField, type SearchField } from './fields.js';
import { deviceName } from '../services/device-name.js';

export const MAX_PAGE = 1000;
export const MAX_FACETS = 10;
export const MAX_FACET_SIZE = 100;
/** Deep pages cost a scan of everything before them; exports stream instead (export.ts). */
export const MAX_OFFSET = 100_000;

/**
 * Orders of the hits. `ip` is the table's key (read in index order); the others sort the matches
 * by their column and then by the key, so the order is total and pages never overlap.
 * `last_seen` is newest first, as an analyst looks for what is current.
 */
export const SEARCH_SORTS = {
  ip: 'ip, port, transport',
  port: 'port, ip, transport',
  last_seen: 'time DESC, ip, port, transport',
} as const;
export type SearchSort = keyof typeof SEARCH_SORTS;

export interface SearchRequest {
  readonly query: string;
  readonly restriction: Restriction;
  readonly limit?: number;
  readonly offset?: number;
  /** Field names (or aliases) to facet the result by. */
  readonly facets?: readonly string[];
  /** Values per facet; default 10. */
  readonly facetSize?: number;
  /** Order of the hits; default `ip`. */
  readonly sort?: SearchSort;
  readonly now?: Date;
}

export interface SearchHit {
  ip: string;
  port: number;
  transport: string;
  service: string;
  lastSeen: string;
  product: string;
  vendor: string;
  version: string;
  /** Vendor, product and version as one name (services/device-name.ts). */
  device: string;
  deviceType: string;
  banner: string;
  httpStatus: number;
  httpTitle: string;
  tlsSubject: string;
  sshIdent: string;
  cves: string[];
  tags: string[];
  weakCredential: boolean;
  noAuth: boolean;
  asn: number;
  org: string;
  country: string;
}

export interface FacetValue { value: string; count: number }

export interface SearchResult {
  query: string;
  total: number;
  limit: number;
  offset: number;
  sort: SearchSort;
  hits: SearchHit[];
  facets: Record<string, FacetValue[]>;
  tookMs: number;
}

/** The source every search reads: the latest observation per (ip, port, transport). */
export const CURRENT = 'services_current FINAL';
const CURRENT_ONE_PART = 'services_current';
const partsChecked = new WeakMap<EventsStore, CurrentParts>();

/** The active parts of services_current: how many, and the name when there is one. */
interface CurrentParts { at: number; parts: number; name: string }

/**
 * FINAL merges rows of the same key across parts at query time, which costs more than the query
 * itself on millions of rows. Within one part there is nothing to merge (a merge or an insert
 * with optimize_on_insert, the default, already kept the latest row per key), so while the
 * table is a single part — as after a bulk load has been merged — the search reads it plainly.
 * The part count is looked up at most once a second.
 */
export async function currentSource(events: EventsStore): Promise<string> {
  return sourceOf(await currentParts(events));
}

async function currentParts(events: EventsStore, fresh = false): Promise<CurrentParts> {
  const now = Date.now();
  let c = partsChecked.get(events);
  if (fresh || !c || now - c.at > 1000) {
    const [r] = await events.query<{ n: number; name: string }>(
      "SELECT count() AS n, any(name) AS name FROM system.parts WHERE database = currentDatabase() AND table = 'services_current' AND active",
    );
    c = { at: now, parts: Number(r?.n ?? 0), name: String(r?.name ?? '') };
    partsChecked.set(events, c);
  }
  return c;
}

const sourceOf = (c: CurrentParts): string => (c.parts === 1 ? CURRENT_ONE_PART : CURRENT);
const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%SZ', 'UTC')`;
/** Banner excerpt in a hit; the host page and exports carry it whole. */
const BANNER_EXCERPT = 512;

/** Aliases differ from column names: ClickHouse would otherwise apply them inside WHERE. */
interface HitRow {
  ip_text: string; port: number; transport: string; service: string; last_seen: string; product: string; vendor: string; version: string;
  device_type: string; banner_excerpt: string; http_status: number; http_title: string; tls_subject: string; ssh_ident: string;
  cves: string[]; tags: string[]; weak_credential: number; no_auth: number; asn: number; org: string; country: string;
}

export function compileSearch(query: string, restriction: Restriction, now?: Date): Compiled {
  const ast = parseQuery(query);
  return compileQuery(query, ast, { restriction, ...(now ? { now } : {}) });
}

function intOption(name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new SakimoriError('BAD_REQUEST', `${name} must be a whole number from ${min} to ${max}, not ${v}`, { [name]: v });
  return v;
}

/** Resolves facet names; an unknown or unfacetable one is a clear error naming the ones allowed. */
export function facetFields(names: readonly string[]): SearchField[] {
  if (names.length > MAX_FACETS) throw new SakimoriError('BAD_REQUEST', `at most ${MAX_FACETS} facets, not ${names.length}`, { facets: names.length });
  const out: SearchField[] = [];
  for (const n of names) {
    const f = searchField(n.trim());
    if (!f || !f.facetable) {
      throw new SakimoriError('QUERY_UNKNOWN_FIELD', `"${n}" cannot be a facet (facets: ${SEARCH_FIELDS.filter((x) => x.facetable).map((x) => x.name).join(', ')})`, { facet: n });
    }
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The filter of every search query. For a constituency, the user's condition goes to PREWHERE
 * and the address ranges stay in WHERE: left to itself ClickHouse would move the ranges (a key
 * condition) first and test them on every row of the ranges; this way they are tested only on
 * the rows the query selects. PREWHERE is not combined with FINAL (it would filter rows before
 * the latest one per key is chosen), so with FINAL both stay in WHERE, the user's first.
 */
export function filterClause(c: Compiled, source: string): string {
  if (c.scope === '1') return `WHERE ${c.user}`;
  return source === CURRENT ? `WHERE ${c.where}` : `PREWHERE ${c.user} WHERE ${c.scope}`;
}

/** A facet's value as text and the condition for a row to count (NULL and empty values do not). */
function facetValue(f: SearchField): { value: string; nonEmpty: string } {
  const col = f.column;
  if (f.kind === 'array') return { value: `arrayJoin(${col})`, nonEmpty: `notEmpty(${col})` };
  if (f.kind === 'ip') return { value: ipText(col), nonEmpty: '1' };
  if (f.nullable) return { value: `toString(assumeNotNull(${col}))`, nonEmpty: `isNotNull(${col})` };
  if (f.kind === 'uint') return { value: `toString(${col})`, nonEmpty: `${col} != 0` };
  if (f.kind === 'bool') return { value: `toString(${col})`, nonEmpty: '1' };
  return { value: col, nonEmpty: `${col} != ''` };
}

/** SQL for one facet over an array field: each element counts once per row. */
export function arrayFacetSql(f: SearchField, filter: string, source = CURRENT): string {
  const { value, nonEmpty } = facetValue(f);
  return `SELECT ${value} AS facet_value, count() AS facet_count FROM ${source} ${filter} AND ${nonEmpty}
          GROUP BY facet_value ORDER BY facet_count DESC, facet_value LIMIT {facet_size:UInt32}`;
}

/**
 * The total and every scalar facet in one pass over the result: GROUPING SETS with the empty set
 * for the total. `grouping(...)` tells the sets apart (SQL standard: bit 0 for a column in the
 * set); empty values become NULL keys, dropped below, so LIMIT takes one more per set.
 */
export function statsSql(fields: readonly SearchField[], filter: string, source = CURRENT): string {
  const keys = fields.map((f, i) => {
    const { value, nonEmpty } = facetValue(f);
    return `if(${nonEmpty}, ${value}, NULL) AS k${i}`;
  });
  if (keys.length === 0) return `SELECT 0 AS g, count() AS facet_count FROM ${source} ${filter}`;
  const names = fields.map((_, i) => `k${i}`);
  return `SELECT grouping(${names.join(', ')}) AS g, ${names.join(', ')}, count() AS facet_count, ${keys.join(', ')}
          FROM ${source} ${filter}
          GROUP BY GROUPING SETS ((), ${names.map((n) => `(${n})`).join(', ')})
          ORDER BY g, facet_count DESC, ${names.join(', ')} LIMIT {facet_size_plus:UInt32} BY g`;
}

type StatsRow = { g: number; facet_count: number } & Record<string, string | number | null>;

export async function search(events: EventsStore, req: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const limit = intOption('limit', req.limit, 50, 0, MAX_PAGE);
  const offset = intOption('offset', req.offset, 0, 0, MAX_OFFSET);
  const facetSize = intOption('facetSize', req.facetSize, 10, 1, MAX_FACET_SIZE);
  const fields = facetFields(req.facets ?? []);
  const sort = req.sort ?? 'ip';
  if (!Object.hasOwn(SEARCH_SORTS, sort)) throw new SakimoriError('BAD_REQUEST', `sort must be one of ${Object.keys(SEARCH_SORTS).join(', ')}, not "${String(sort)}"`, { sort: String(sort) });
  const scalar = fields.filter((f) => f.kind !== 'array');
  const arrays = fields.filter((f) => f.kind === 'array');
  const hitsQuery = (c: Compiled, source: string): Promise<HitRow[]> => limit === 0 ? Promise.resolve([]) : events.query<HitRow>(
    `SELECT ${ipText('ip')} AS ip_text, port, transport, service, ${ISO('time')} AS last_seen, product, vendor, version, device_type,
            substring(banner, 1, ${BANNER_EXCERPT}) AS banner_excerpt, http_status, http_title, tls_subject, ssh_ident, cves, tags,
            weak_credential, no_auth, asn, org, country
     FROM ${source} ${filterClause(c, source)}
     ORDER BY ${SEARCH_SORTS[sort]} LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    { ...c.params, limit, offset },
  );
  /** `firstHits`: a narrower condition whose hits, if a full page, are the page's (see below). */
  const queries = (c: Compiled, source: string, firstHits?: Compiled): Promise<[HitRow[], StatsRow[], ...{ facet_value: string; facet_count: number }[][]]> => {
    const { params } = c;
    const filter = filterClause(c, source);
    return Promise.all([
      firstHits ? hitsQuery(firstHits, source).then((h) => (h.length >= limit ? h : hitsQuery(c, source))) : hitsQuery(c, source),
      events.query<StatsRow>(statsSql(scalar, filter, source), { ...params, facet_size_plus: facetSize + 1 }),
      ...arrays.map((f) => events.query<{ facet_value: string; facet_count: number }>(arrayFacetSql(f, filter, source), { ...params, facet_size: facetSize })),
    ]);
  };
  const parts = await currentParts(events);
  let rows: Awaited<ReturnType<typeof queries>> | undefined;
  const r = req.restriction;
  if (r.kind === 'constituency' && parts.parts === 1) {
    // One part: the constituency as runs of its rows (part-rows.ts) instead of an address test.
    const user = compileSearch(req.query, UNRESTRICTED, req.now);
    const scoped = (s: PartScope): Compiled => {
      const params = { ...user.params };
      const scope = partScopeFilter(s, params);
      return { where: `${user.user} AND ${scope}`, user: user.user, scope, params };
    };
    const s = await partScope(events, parts.name, r);
    // The first page from the first run alone when it holds a full page: in address order its
    // rows come before all others, and one run is read as one stream instead of several merged.
    // Only in address order: sorted otherwise, the page's rows may come from any run.
    const first = sort === 'ip' && offset === 0 && s.asns.length === 0 && s.runs.length > 1 ? scoped({ ...s, runs: s.runs.slice(0, 1) }) : undefined;
    rows = await queries(scoped(s), CURRENT_ONE_PART, first);
    // Every query reads that one part only (part-rows.ts): each sees it as it was planned for or,
    // if a merge replaced the part before that query ran, sees nothing. A set that came back empty may be
    // the latter (the total, the page while the total says there are hits, an array facet):
    // then, unless the part is still the only one, ask again by address.
    const [hits, stats, ...arrayRows] = rows;
    const total = Number(stats.find((x) => Number(x.g) === (1 << scalar.length) - 1)?.facet_count ?? 0);
    const gone = total === 0 || (limit > 0 && hits.length === 0 && total > offset) || arrayRows.some((a) => a.length === 0);
    if (gone) {
      const latest = await currentParts(events, true);
      if (latest.parts !== 1 || latest.name !== parts.name) rows = undefined;
    }
  }
  if (!rows) {
    const c = compileSearch(req.query, r, req.now);
    rows = await queries(c, sourceOf(await currentParts(events)));
  }
  const [hits, stats, ...arrayRows] = rows;
  // The set with every column aggregated away (the total) has all bits set.
  const all = (1 << scalar.length) - 1;
  const facets: Record<string, FacetValue[]> = {};
  let total = 0;
  for (const r of stats) {
    if (Number(r.g) === all) {
      total = Number(r.facet_count);
      continue;
    }
    const i = scalar.findIndex((_, k) => Number(r.g) === (all & ~(1 << (scalar.length - 1 - k))));
    const f = scalar[i];
    const v = r[`k${i}`];
    if (!f || v === null || v === undefined) continue;
    const list = (facets[f.name] ??= []);
    if (list.length < facetSize) list.push({ value: String(v), count: Number(r.facet_count) });
  }
  for (const f of scalar) facets[f.name] ??= [];
  arrays.forEach((f, i) => {
    facets[f.name] = (arrayRows[i] ?? []).map((r) => ({ value: String(r.facet_value), count: Number(r.facet_count) }));
  });
  return {
    query: req.query,
    total,
    limit,
    offset,
    sort,
    hits: hits.map(toHit),
    facets,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

function toHit(r: HitRow): SearchHit {
  return {
    ip: r.ip_text, port: r.port, transport: r.transport, service: r.service, lastSeen: r.last_seen, product: r.product, vendor: r.vendor,
    version: r.version, device: deviceName(r), deviceType: r.device_type, banner: r.banner_excerpt, httpStatus: r.http_status, httpTitle: r.http_title,
    tlsSubject: r.tls_subject, sshIdent: r.ssh_ident, cves: r.cves, tags: r.tags, weakCredential: r.weak_credential === 1,
    noAuth: r.no_auth === 1, asn: r.asn, org: r.org, country: r.country,
  };
}
