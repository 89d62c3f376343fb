/**
 * Export of a search result as JSON lines or CSV, streamed: the result is read in pages by key
 * (ip, port, transport) after the last row of the previous page, so an export of millions of
 * services costs one index-ordered pass and never holds more than a page. Same compiled
 * condition as the search (need-to-know included); every service column is exported except
 * the internal search text.
 */
import type { EventsStore } from '../store/types.js';
import type { Restriction } from '../store/need-to-know.js';
import { SERVICE_FIELDS } from '../schema/service-observation.js';
import { ipText } from '../store/events/sql-helpers.js';
import { csvRow } from '../util/csv.js';
import { compileSearch, currentSource, filterClause } from './search.js';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportRequest {
  readonly query: string;
  readonly restriction: Restriction;
  readonly format: ExportFormat;
  /** Stop after this many rows (default: all). */
  readonly max?: number;
  readonly pageRows?: number;
  readonly now?: Date;
}

const COLUMNS = SERVICE_FIELDS.map((f) => f.name);
const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;

/** Output expressions: times as ISO text, the address as text; the rest as stored. */
function selectList(): string {
  return SERVICE_FIELDS.map((f) => {
    if (f.name === 'ip') return `${ipText('ip')} AS ip_text, ip AS ip_key`;
    if (f.ch.startsWith('DateTime64')) return `${ISO(f.name)} AS ${f.name}_iso`;
    if (f.ch.startsWith('Nullable(DateTime')) return `if(isNull(${f.name}), NULL, ${ISO(`assumeNotNull(${f.name})`)}) AS ${f.name}_iso`;
    return f.name;
  }).join(', ');
}

type Row = Record<string, unknown>;

function outValue(r: Row, name: string): unknown {
  if (name === 'ip') return r['ip_text'];
  const iso = r[`${name}_iso`];
  if (iso !== undefined) return typeof iso === 'string' ? iso.replace(/(\.\d{3})\d*Z$/, '$1Z') : iso;
  return r[name];
}

export function csvHeader(): string {
  return csvRow(COLUMNS);
}

/** CSV cells by the shared writer: every text column neutralised, numeric columns kept numbers. */
export function formatRow(r: Row, format: ExportFormat): string {
  if (format === 'csv') return csvRow(COLUMNS.map((c) => outValue(r, c)));
  const o: Row = {};
  for (const c of COLUMNS) o[c] = outValue(r, c);
  return `${JSON.stringify(o)}\n`;
}

/** Yields the export text in chunks (one page each); the header first for CSV. */
export async function* exportSearch(events: EventsStore, req: ExportRequest): AsyncGenerator<string> {
  const compiled = compileSearch(req.query, req.restriction, req.now);
  const { params } = compiled;
  const page = req.pageRows ?? 10_000;
  let left = req.max ?? Number.POSITIVE_INFINITY;
  if (req.format === 'csv') yield csvHeader();
  let after: { ip: string; port: number; transport: string } | undefined;
  const source = await currentSource(events);
  const filter = filterClause(compiled, source);
  while (left > 0) {
    const n = Math.min(page, left);
    const rows = await events.query<Row>(
      `SELECT ${selectList()} FROM ${source}
       ${filter}${after ? ' AND (ip, port, transport) > ({after_ip:IPv6}, {after_port:UInt16}, {after_transport:String})' : ''}
       ORDER BY ip, port, transport LIMIT {page:UInt32}`,
      { ...params, page: n, ...(after ? { after_ip: after.ip, after_port: after.port, after_transport: after.transport } : {}) },
    );
    if (rows.length === 0) return;
    yield rows.map((r) => formatRow(r, req.format)).join('');
    left -= rows.length;
    if (rows.length < n) return;
    const last = rows[rows.length - 1] as Row;
    after = { ip: String(last['ip_key']), port: Number(last['port']), transport: String(last['transport']) };
  }
}
