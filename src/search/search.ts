/**
 * Runs a search over the current services: the query is parsed and compiled to one parameterised
 * condition (need-to-know restriction included, see compile.ts), then the page of hits, the total
 * and each requested facet are read with that same condition. Results are ordered by the table's
 * key (ip, port, transport) so a page is read in index order and pages never overlap.
 */
import type { EventsStore, EventParams } from '../store/types.js';
import type { Restriction } from '../auth/need-to-know.js';
import { SakimoriError } from '../errors.js';
import { ipText } from '../analyze/sql-helpers.js';
import { parseQuery } from './parser.js';
import { compileQuery, type Compiled } from './compile.js';
import { SEARCH_FIELDS, searchField, type SearchField } from './fields.js';

export const MAX_PAGE = 1000;
export const MAX_FACETS = 10;
export const MAX_FACET_SIZE = 100;
/** Deep pages cost a scan of everything before them; exports stream instead (export.ts). */
export const MAX_OFFSET = 100_000;

export interface SearchRequest {
  readonly query: string;
  readonly restriction: Restriction;
  readonly limit?: number;
  readonly offset?: number;
  /** Field names (or aliases) to facet the result by. */
  readonly facets?: readonly string[];
  /** Values per facet; default 10. */
  readonly facetSize?: number;
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
  hits: SearchHit[];
  facets: Record<string, FacetValue[]>;
  tookMs: number;
}

/** The source every search reads: the latest observation per (ip, port, transport). */
export const CURRENT = 'services_current FINAL';
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

/** SQL for one facet: arrays count each element, IPs as text, NULL and empty values left out. */
export function facetSql(f: SearchField, where: string): string {
  const col = f.column;
  let value: string;
  let nonEmpty: string;
  if (f.kind === 'array') {
    value = `arrayJoin(${col})`;
    nonEmpty = `notEmpty(${col})`;
  } else if (f.kind === 'ip') {
    value = ipText(col);
    nonEmpty = '1';
  } else if (f.nullable) {
    value = `toString(assumeNotNull(${col}))`;
    nonEmpty = `isNotNull(${col})`;
  } else if (f.kind === 'uint' || f.kind === 'bool') {
    value = `toString(${col})`;
    nonEmpty = f.kind === 'bool' ? '1' : `${col} != 0`;
  } else {
    value = col;
    nonEmpty = `${col} != ''`;
  }
  return `SELECT ${value} AS value, count() AS count FROM ${CURRENT} WHERE (${where}) AND ${nonEmpty}
          GROUP BY value ORDER BY count DESC, value LIMIT {facet_size:UInt32}`;
}

export async function search(events: EventsStore, req: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const limit = intOption('limit', req.limit, 50, 0, MAX_PAGE);
  const offset = intOption('offset', req.offset, 0, 0, MAX_OFFSET);
  const facetSize = intOption('facetSize', req.facetSize, 10, 1, MAX_FACET_SIZE);
  const fields = facetFields(req.facets ?? []);
  const { where, params } = compileSearch(req.query, req.restriction, req.now);
  const pageParams: EventParams = { ...params, limit, offset };
  const [hits, total, ...facetRows] = await Promise.all([
    limit === 0 ? Promise.resolve([]) : events.query<HitRow>(
      `SELECT ${ipText('ip')} AS ip_text, port, transport, service, ${ISO('time')} AS last_seen, product, vendor, version, device_type,
              substring(banner, 1, ${BANNER_EXCERPT}) AS banner_excerpt, http_status, http_title, tls_subject, ssh_ident, cves, tags,
              weak_credential, no_auth, asn, org, country
       FROM ${CURRENT} WHERE ${where}
       ORDER BY ip, port, transport LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      pageParams,
    ),
    events.query<{ n: number }>(`SELECT count() AS n FROM ${CURRENT} WHERE ${where}`, params),
    ...fields.map((f) => events.query<FacetValue>(facetSql(f, where), { ...params, facet_size: facetSize })),
  ]);
  const facets: Record<string, FacetValue[]> = {};
  fields.forEach((f, i) => {
    facets[f.name] = (facetRows[i] ?? []).map((r) => ({ value: String(r.value), count: Number(r.count) }));
  });
  return {
    query: req.query,
    total: Number(total[0]?.n ?? 0),
    limit,
    offset,
    hits: hits.map(toHit),
    facets,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

function toHit(r: HitRow): SearchHit {
  return {
    ip: r.ip_text, port: r.port, transport: r.transport, service: r.service, lastSeen: r.last_seen, product: r.product, vendor: r.vendor,
    version: r.version, deviceType: r.device_type, banner: r.banner_excerpt, httpStatus: r.http_status, httpTitle: r.http_title,
    tlsSubject: r.tls_subject, sshIdent: r.ssh_ident, cves: r.cves, tags: r.tags, weakCredential: r.weak_credential === 1,
    noAuth: r.no_auth === 1, asn: r.asn, org: r.org, country: r.country,
  };
}
