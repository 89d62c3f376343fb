/**
 * The one helper every honeypot reader test goes through (as IntelMQ tests its parsers): text in,
 * rows out, and each row checked against the harmonised event — only registry columns, a known
 * kind and source, a parseable time and a valid client address.
 */
import { parseIp } from '../../../net/ip.js';
import { HONEYPOT_EVENT_FIELDS, HONEYPOT_EVENT_KINDS, HONEYPOT_SOURCES, type HoneypotEventRow } from '../../../schema/honeypot-event.js';
import type { HoneypotLineReader } from '../line-reader.js';

const COLUMNS = new Set(HONEYPOT_EVENT_FIELDS.map((f) => f.name));
const KINDS = new Set<string>(HONEYPOT_EVENT_KINDS);
const SOURCES = new Set<string>(HONEYPOT_SOURCES);

export function schemaProblems(row: HoneypotEventRow): string[] {
  const out: string[] = [];
  for (const k of Object.keys(row)) if (!COLUMNS.has(k)) out.push(`column ${k}`);
  if (!KINDS.has(row.kind)) out.push(`kind ${row.kind}`);
  if (!SOURCES.has(row.honeypot)) out.push(`honeypot ${row.honeypot}`);
  if (Number.isNaN(Date.parse(row.ts))) out.push(`ts ${row.ts}`);
  if (parseIp(row.src) === null) out.push(`src ${row.src}`);
  if (row.dst !== undefined && parseIp(row.dst) === null) out.push(`dst ${row.dst}`);
  if (row.detail !== undefined) JSON.parse(row.detail);
  return out;
}

/** Every line of `text` through the reader (blank lines left out, as the ingest does), then its end. */
export function readText(reader: HoneypotLineReader, text: string): { rows: HoneypotEventRow[]; lines: number } {
  const rows: HoneypotEventRow[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => { if (l.trim() !== '') reader.line(l, i + 1, rows); });
  reader.end();
  for (const r of rows) {
    const p = schemaProblems(r);
    if (p.length > 0) throw new Error(`row does not fit the event: ${p.join(', ')}: ${JSON.stringify(r)}`);
  }
  return { rows, lines: lines.length };
}

/** How many rows of each kind. */
export function kinds(rows: readonly HoneypotEventRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.kind] = (out[r.kind] ?? 0) + 1;
  return out;
}
