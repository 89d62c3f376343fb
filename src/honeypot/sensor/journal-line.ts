/**
 * A journal line checked before it is stored: the sensor wrote it, but a journal is a file on
 * disk and the route takes lines from the network, so each row is checked against the schema
 * (kind, honeypot, addresses, field types) and a bad one is skipped and counted, never stored as
 * something else and never able to fail the whole block.
 */
import { isIP } from 'node:net';
import { HONEYPOT_EVENT_FIELDS, HONEYPOT_EVENT_KINDS, type HoneypotEventRow } from '../../schema/honeypot-event.js';

const KINDS = new Set<string>(HONEYPOT_EVENT_KINDS);
const NUMERIC = new Set(['src_port', 'dst_port', 'src_asn', 'success', 'size', 'duration']);
const FIELDS = new Set(HONEYPOT_EVENT_FIELDS.map((f) => f.name));

/** The row, or why it is not one. */
export function checkSensorRow(value: unknown): HoneypotEventRow | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const o = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (!FIELDS.has(k)) return `unknown field ${k}`;
    if (NUMERIC.has(k) ? typeof v !== 'number' || !Number.isFinite(v) : typeof v !== 'string') return `${k}: wrong type`;
  }
  if (o['honeypot'] !== 'sakimori') return 'honeypot: not sakimori';
  if (typeof o['kind'] !== 'string' || !KINDS.has(o['kind'])) return 'kind: unknown';
  if (typeof o['ts'] !== 'string' || Number.isNaN(Date.parse(o['ts']))) return 'ts: not a time';
  if (typeof o['src'] !== 'string' || isIP(o['src']) === 0) return 'src: not an address';
  if (o['dst'] !== undefined && isIP(String(o['dst'])) === 0) return 'dst: not an address';
  for (const p of ['src_port', 'dst_port'] as const) {
    const n = o[p];
    if (n !== undefined && (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 65535)) return `${p}: out of range`;
  }
  if (o['success'] !== undefined && ![-1, 0, 1].includes(o['success'] as number)) return 'success: not -1, 0 or 1';
  if (o['size'] !== undefined && (!Number.isInteger(o['size']) || (o['size'] as number) < 0)) return 'size: not a byte count';
  return o as unknown as HoneypotEventRow;
}

export interface ParsedLines { readonly rows: HoneypotEventRow[]; readonly skipped: number; readonly firstProblem?: string }

/** Complete JSON lines (a journal chunk) into rows; `where` names the chunk in the first problem. */
export function parseJournalLines(text: string, where: string): ParsedLines {
  const rows: HoneypotEventRow[] = [];
  let skipped = 0;
  let firstProblem: string | undefined;
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    let v: unknown;
    let problem: string;
    try {
      v = JSON.parse(line);
      const r = checkSensorRow(v);
      if (typeof r !== 'string') { rows.push(r); return; }
      problem = r;
    } catch {
      problem = 'not JSON';
    }
    skipped++;
    firstProblem ??= `${where} line ${i + 1}: ${problem}`;
  });
  return { rows, skipped, ...(firstProblem ? { firstProblem } : {}) };
}
