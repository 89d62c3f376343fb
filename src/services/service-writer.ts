/**
 * Writes service observations to the events store: enriched with ASN, organisation and country
 * when the finding has none, as one JSONEachRow block per call (default fields left out), deduplicated by a token so that a
 * re-import or a resumed survey batch counts nothing twice.
 */
import { createHash } from 'node:crypto';
import type { EventsStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import { ipBytes, parseIp, parseIPv4 } from '../net/ip.js';
import { SERVICE_FIELDS, serviceStructure, type ServiceFinding, type ServiceRow } from '../schema/service-observation.js';
import type { ServicePostProcessor } from './post-process.js';

export interface ServiceWriteOptions {
  /**
   * Same token, same rows → stored once. Give one that names the input and the batch
   * (file hash + batch number, run id + batch number); default: hash of the rows' JSON.
   */
  dedupToken?: string;
  /** Run on each row, in order, before enrichment (fingerprint rules, CVEs): see post-process.ts. */
  postProcessors?: readonly ServicePostProcessor[];
}

const STRUCTURE = serviceStructure();
const COLUMNS = SERVICE_FIELDS.map((f) => f.name).join(', ');

/** Fills asn/org/country from the enrichment tables where the row (or finding) has none. */
export function enrichServiceRow(row: Pick<ServiceFinding, 'ip' | 'asn' | 'country' | 'org'>, enricher: IpEnricher): void {
  if (enricher.empty || row.asn) return;
  const b = ipBytes(row.ip);
  row.asn = enricher.asn6(b, 0);
  if (!row.country) row.country = enricher.country6(b, 0);
  if (!row.org && row.asn) row.org = enricher.orgOfAsn(row.asn);
}

/** Returns the number of rows handed to the store (0 for an empty batch). */
export async function writeServices(
  events: EventsStore,
  enricher: IpEnricher,
  rows: readonly ServiceRow[],
  opts: ServiceWriteOptions = {},
): Promise<number> {
  return storeServices(events, prepareServices(enricher, rows, opts));
}

/** A batch made ready for the store: post-processed, enriched, as JSON, with its token. */
export interface PreparedServices {
  readonly rows: number;
  readonly body: Buffer;
  readonly token: string;
  /** No two rows share (ip, port, transport). */
  readonly uniqueKeys: boolean;
}

/** The part of writeServices that needs no store: callers may prepare a batch while the last one is stored. */
export function prepareServices(enricher: IpEnricher, rows: readonly ServiceRow[], opts: ServiceWriteOptions = {}): PreparedServices {
  return prepared(rows, (r) => {
    if (opts.postProcessors) for (const p of opts.postProcessors) p(r);
    enrichServiceRow(r, enricher);
    return compactJson(r);
  }, opts.dedupToken);
}

/**
 * As prepareServices, from sparse findings (only the fields a parser set) without making full
 * rows first: each finding is written by the native JSON.stringify, the store fills the columns it
 * leaves out from their defaults, which are serviceRow's. The import of rich records (ZGrab2,
 * nmap) spends most of its time here otherwise. Findings get their enrichment in place.
 */
export function prepareFindings(enricher: IpEnricher, findings: readonly ServiceFinding[], now: number, opts: { dedupToken?: string } = {}): PreparedServices {
  return prepared(findings, (f) => {
    f.time ??= now;
    // serviceRow's default; the column's own is '' (a banner or a grab without a status is an open port).
    f.status ??= 'open';
    enrichServiceRow(f, enricher);
    // Sent even when empty: filling an Array(LowCardinality(String)) default costs the store more.
    f.cve_evidence ??= [];
    f.tags ??= [];
    return JSON.stringify(f);
  }, opts.dedupToken);
}

/** One JSON line per row, whether any two rows share a key, and the token. */
function prepared<T extends ServiceFinding>(rows: readonly T[], line: (r: T) => string, dedupToken: string | undefined): PreparedServices {
  const lines: string[] = new Array<string>(rows.length);
  const keys = new Set<number | string>();
  let unique = true;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as T;
    lines[i] = line(r);
    if (unique) {
      const k = serviceKey(r);
      if (keys.has(k)) unique = false;
      else keys.add(k);
    }
  }
  const body = Buffer.from(lines.join('\n') + '\n');
  const token = dedupToken ?? createHash('sha256').update(body).digest('hex');
  return { rows: rows.length, body, token, uniqueKeys: unique };
}

export async function storeServices(events: EventsStore, p: PreparedServices): Promise<number> {
  if (p.rows === 0) return 0;
  await events.withBatch('JSONEachRow', STRUCTURE, [p.body], (source) =>
    events.exec(`INSERT INTO services (${COLUMNS}) SELECT ${COLUMNS} FROM ${source}`, {}, {
      insert_deduplication_token: p.token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      min_insert_block_size_rows: p.rows + 1,
      max_insert_block_size: p.rows + 1,
      min_insert_block_size_bytes: 0,
      date_time_input_format: 'best_effort',
      // Collapsing a block with no repeated key finds nothing and costs most of the current
      // view's insert; with repeats it must run, so that one part never holds two rows of a key.
      ...(p.uniqueKeys ? { optimize_on_insert: 0 } : {}),
    }),
  );
  return p.rows;
}

/** Fields sent even at their default: the key, and the two Array(LowCardinality(String)) columns
 * whose default costs the store as much as the rest of the row to fill. */
const ALWAYS = new Set(['time', 'ip', 'port', 'transport', 'cve_evidence', 'tags']);
const NULLABLE = new Set(SERVICE_FIELDS.filter((f) => f.ch.startsWith('Nullable(')).map((f) => f.name));

/**
 * A row as JSON without the fields at their default ('', 0, [], {}; null for Nullable columns):
 * the store fills those from the column types, which are serviceRow's defaults, and reads half
 * the text (a test checks the stored rows are the same).
 */
export function compactJson(r: ServiceRow): string {
  const row = r as unknown as Record<string, unknown>;
  let out = '';
  for (const f of SERVICE_FIELDS) {
    const k = f.name;
    const v = row[k];
    if (!ALWAYS.has(k) && (NULLABLE.has(k) ? v === null || v === undefined : isDefaultValue(v))) continue;
    out += `${out === '' ? '{' : ','}"${k}":${JSON.stringify(v)}`;
  }
  return `${out}}`;
}

function isDefaultValue(v: unknown): boolean {
  if (v === '' || v === 0 || v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    for (const _ in v) return false;
    return true;
  }
  return false;
}

/** (address, port, transport) as one value, a number for IPv4 over TCP or UDP (most rows). */
function serviceKey(f: Pick<ServiceFinding, 'ip' | 'port' | 'transport'>): number | string {
  if (f.transport === 'tcp' || f.transport === 'udp') {
    const v4 = parseIPv4(f.ip);
    if (v4 >= 0) return (v4 * 65536 + f.port) * 2 + (f.transport === 'udp' ? 1 : 0);
  }
  const a = addressKey(f.ip);
  // ::ffff:a.b.c.d is the same stored address as a.b.c.d.
  if (a.startsWith('4:') && (f.transport === 'tcp' || f.transport === 'udp')) return (Number(a.slice(2)) * 65536 + f.port) * 2 + (f.transport === 'udp' ? 1 : 0);
  return `${a}|${f.port}|${f.transport}`;
}

/** One text per stored address whatever its spelling (2001:db8::1 and 2001:DB8:0::1 alike). */
function addressKey(ip: string): string {
  const p = parseIp(ip);
  if (p === null) return ip;
  // ::ffff:a.b.c.d is stored as a.b.c.d is.
  return p.family === 4 ? `4:${p.value}` : p.value >> 32n === 0xffffn ? `4:${p.value & 0xffffffffn}` : `6:${p.value.toString(16)}`;
}
