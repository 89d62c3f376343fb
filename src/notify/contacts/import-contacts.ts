/**
 * `sakimori contacts import`: RPSL dumps (one or several files of the same source, plain or
 * gzip — RIPE publishes ripe.db.inetnum.gz, ripe.db.role.gz, ripe.db.organisation.gz, …; APNIC
 * and JPNIC the same classes with irt objects) or a CSV of contacts. All files of one command are
 * resolved together, then the source's rows are replaced in one transaction.
 */
import { basename } from 'node:path';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { forEachLine } from '../../enrich/line-source.js';
import { splitCsvLine } from '../../enrich/csv-fields.js';
import { RpslObjectParser, type RpslBadLine } from './rpsl-objects.js';
import { AbuseResolver, type ContactRow } from './abuse-resolver.js';
import { rangeToCidrs } from '../../net/cidr.js';

export type ContactsFormat = 'rpsl' | 'csv';

export interface ContactsImportSummary {
  source: string;
  format: ContactsFormat;
  files: string[];
  objects: number;
  resources: number;
  stored: number;
  withoutContact: number;
  badLines: number;
  firstBad: { file: string; line: number; reason: string; text?: string }[];
}

const KEEP_BAD = 20;

export async function importContacts(state: StateStore, files: readonly string[], opts: { format?: ContactsFormat; source?: string } = {}): Promise<ContactsImportSummary> {
  if (files.length === 0) throw new SakimoriError('BAD_REQUEST', 'no files given');
  const format = opts.format ?? (files.every((f) => /\.csv(\.gz)?$/i.test(f)) ? 'csv' : 'rpsl');
  const summary: ContactsImportSummary = { source: '', format, files: [...files], objects: 0, resources: 0, stored: 0, withoutContact: 0, badLines: 0, firstBad: [] };
  const bad = (file: string, line: number, reason: string, text?: string): void => {
    summary.badLines++;
    if (summary.firstBad.length < KEEP_BAD) summary.firstBad.push({ file, line, reason, ...(text ? { text } : {}) });
  };
  let rows: ContactRow[];
  let sourceSeen: string | undefined;
  if (format === 'rpsl') {
    const resolver = new AbuseResolver();
    for (const file of files) {
      const before = resolver.bad.length;
      const parser = new RpslObjectParser(
        (o) => {
          summary.objects++;
          sourceSeen ??= o.attrs.get('source')?.[0]?.split(/\s/)[0]?.toUpperCase();
          resolver.add(o);
        },
        (b: RpslBadLine) => bad(file, b.line, b.reason, b.text),
      );
      await forEachLine(file, (l, n) => { parser.line(l, n); });
      parser.end();
      for (const b of resolver.bad.slice(before)) bad(file, b.line, b.reason, b.key);
    }
    const r = resolver.resolve();
    rows = r.rows;
    summary.resources = r.summary.resources;
    summary.withoutContact = r.summary.withoutContact;
    if (summary.objects === 0) throw new SakimoriError('IMPORT_BAD_FORMAT', 'no RPSL objects found (expected "attribute: value" lines)', { file: files[0] ?? '' });
  } else {
    rows = [];
    for (const file of files) await readCsv(file, rows, (line, reason, text) => bad(file, line, reason, text));
    summary.resources = rows.length;
  }
  summary.source = (opts.source ?? sourceSeen ?? basename(files[0] ?? 'contacts')).toUpperCase();
  summary.stored = await replaceSource(state, summary.source, rows);
  return summary;
}

/** Header names: network|prefix|cidr|range (or asn), email|abuse|abuse-mailbox, name, country. */
async function readCsv(file: string, rows: ContactRow[], bad: (line: number, reason: string, text: string) => void): Promise<void> {
  let cols: Map<string, number> | undefined;
  let headerError: SakimoriError | undefined;
  await forEachLine(file, (line, n) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const f = splitCsvLine(line);
    if (!f) { bad(n, 'unterminated quote', line.slice(0, 200)); return; }
    if (!cols) {
      cols = new Map(f.map((h, i) => [h.trim().toLowerCase(), i]));
      const net = ['network', 'prefix', 'cidr', 'range', 'asn'].some((k) => cols?.has(k));
      const mail = ['email', 'abuse', 'abuse-mailbox', 'abuse_email'].some((k) => cols?.has(k));
      if (!net || !mail) {
        headerError = new SakimoriError('IMPORT_BAD_FORMAT', 'contacts CSV needs a header with network (or prefix/cidr/range/asn) and email (or abuse/abuse-mailbox) columns', { file, line: n });
        return false;
      }
      return;
    }
    const get = (...names: string[]): string => {
      for (const k of names) {
        const i = cols?.get(k);
        if (i !== undefined && f[i] !== undefined && (f[i] as string).trim() !== '') return (f[i] as string).trim();
      }
      return '';
    };
    const email = get('email', 'abuse', 'abuse-mailbox', 'abuse_email').toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) { bad(n, `not an e-mail address: ${email || '(empty)'}`, line.slice(0, 200)); return; }
    const net = get('network', 'prefix', 'cidr', 'range');
    const asnText = get('asn');
    const base = { email, via: 'csv', name: get('name', 'org', 'organisation'), country: get('country').toUpperCase().slice(0, 2) };
    if (net) {
      const prefixes = rangeToCidrs(net);
      if (!prefixes) { bad(n, `not a CIDR or range: ${net}`, line.slice(0, 200)); return; }
      rows.push({ ...base, resource: net, prefixes, asn: null });
    } else {
      const m = /^(?:AS)?(\d{1,10})$/i.exec(asnText);
      if (!m || Number(m[1]) > 0xffffffff) { bad(n, `not an AS number: ${asnText}`, line.slice(0, 200)); return; }
      rows.push({ ...base, resource: `AS${m[1]}`, prefixes: [], asn: Number(m[1]) });
    }
    return;
  });
  if (headerError) throw headerError;
}

async function replaceSource(state: StateStore, source: string, rows: readonly ContactRow[]): Promise<number> {
  return state.transaction(async (tx) => {
    await tx.query('DELETE FROM abuse_contacts WHERE source = $1', [source]);
    let stored = 0;
    const flat: { resource: string; prefix: string | null; asn: number | null; email: string; via: string; name: string; country: string }[] = [];
    for (const r of rows) {
      if (r.asn !== null) flat.push({ resource: r.resource, prefix: null, asn: r.asn, email: r.email, via: r.via, name: r.name, country: r.country });
      for (const p of r.prefixes) flat.push({ resource: r.resource, prefix: p, asn: null, email: r.email, via: r.via, name: r.name, country: r.country });
    }
    for (let i = 0; i < flat.length; i += 5000) {
      const chunk = flat.slice(i, i + 5000);
      await tx.query(
        `INSERT INTO abuse_contacts (source, resource, prefix, asn, email, via, name, country)
         SELECT $1, c.resource, c.prefix::cidr, c.asn, c.email, c.via, c.name, c.country
         FROM jsonb_to_recordset($2::jsonb) AS c(resource text, prefix text, asn bigint, email text, via text, name text, country text)`,
        [source, JSON.stringify(chunk)],
      );
      stored += chunk.length;
    }
    return stored;
  });
}
