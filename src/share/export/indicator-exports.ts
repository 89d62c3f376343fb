/**
 * A collection's objects (already filtered by the sharing policy for whoever asked) as a STIX
 * bundle, as CSV (one row per indicator) or as a plain blocklist (one address or CIDR per line of
 * the indicators that are current, not revoked and malicious): the forms firewalls, SIEMs and
 * spreadsheets take.
 */
import { stixToMisp } from '../misp/stix-to-misp.js';
import { randomUUID } from 'node:crypto';
import { csvDocument } from '../../util/csv.js';
import type { StixBundle, StixObject } from '../stix/types.js';
import { tlpOfMarkings } from '../stix/tlp.js';
import { DEFAULT_TLP } from '../policy/decide.js';
import { addressBlocks } from '../indicators/pattern-addresses.js';

export const EXPORT_FORMATS = ['stix', 'misp', 'csv', 'blocklist'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function stixBundle(objects: readonly StixObject[]): StixBundle {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Only the latest version of each object: an export shows the current state. */
export function latestVersions(objects: readonly StixObject[]): StixObject[] {
  const latest = new Map<string, StixObject>();
  for (const o of objects) {
    const cur = latest.get(o.id);
    if (!cur || text(o.modified) > text(cur.modified)) latest.set(o.id, o);
  }
  return [...latest.values()];
}

export const CSV_HEADER = ['value', 'type', 'confidence', 'valid_from', 'valid_until', 'tlp', 'labels', 'revoked', 'indicator_types', 'id', 'modified', 'pattern'] as const;

/** One row per address term of each indicator; an indicator whose pattern names no address gets one row with an empty value. */
export function indicatorCsv(objects: readonly StixObject[]): string {
  const rows: unknown[][] = [];
  for (const o of latestVersions(objects)) {
    if (o.type !== 'indicator') continue;
    const pattern = text(o['pattern']);
    const blocks = addressBlocks(pattern);
    const terms = blocks ? blocks.map((b) => ({ type: b.family === 4 ? 'ipv4-addr' : 'ipv6-addr', cidr: b.cidr })) : [{ type: '', cidr: '' }];
    const tlp = (tlpOfMarkings(o.object_marking_refs) ?? DEFAULT_TLP).toUpperCase();
    for (const t of terms) {
      rows.push([
        t.cidr.replace(/\/(32|128)$/, ''), t.type, typeof o['confidence'] === 'number' ? o['confidence'] : null,
        text(o['valid_from']), text(o['valid_until']), `TLP:${tlp}`, strings(o['labels']), o.revoked === true,
        strings(o['indicator_types']), o.id, text(o.modified), pattern,
      ]);
    }
  }
  return csvDocument(CSV_HEADER, rows);
}

/** Addresses of current (valid now), unrevoked, malicious indicators, each once, sorted. */
export function blocklist(objects: readonly StixObject[], now: Date): string {
  const out = new Set<string>();
  const t = now.getTime();
  for (const o of latestVersions(objects)) {
    if (o.type !== 'indicator' || o.revoked === true) continue;
    if (!strings(o['indicator_types']).includes('malicious-activity')) continue;
    const from = Date.parse(text(o['valid_from']));
    const until = o['valid_until'] === undefined ? Infinity : Date.parse(text(o['valid_until']));
    if (!(from <= t && t < until)) continue;
    for (const b of addressBlocks(text(o['pattern'])) ?? []) out.add(b.cidr.replace(/\/(32|128)$/, ''));
  }
  return [...out].sort().map((a) => `${a}\n`).join('');
}

/** One export in a format, with its media type: what `share export` writes and the route answers. */
export function exportText(format: ExportFormat, objects: readonly StixObject[], title: string, now = new Date()): { contentType: string; text: string } {
  switch (format) {
    case 'csv': return { contentType: 'text/csv; charset=utf-8', text: indicatorCsv(objects) };
    case 'blocklist': return { contentType: 'text/plain; charset=utf-8', text: blocklist(objects, now) };
    // MISP: one event carrying the strictest TLP of what it holds (share/misp/stix-to-misp.ts).
    case 'misp': return { contentType: 'application/json; charset=utf-8', text: `${JSON.stringify(stixToMisp(objects, { info: title, now }).event)}\n` };
    default: return { contentType: 'application/stix+json;version=2.1', text: `${JSON.stringify(stixBundle(objects))}\n` };
  }
}
