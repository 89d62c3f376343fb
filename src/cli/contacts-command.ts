import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { resolve } from 'node:path';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import type { AbuseContact, ContactsImportSummary } from '../api/contract/index.js';
import { SakimoriError } from '../errors.js';

export function registerContacts(program: Command): void {
  const c = program.command('contacts').description('abuse contacts from RIR databases (RPSL) and CSV: who to tell about an address');
  c.command('import')
    .argument('<files...>', 'RPSL dumps of one source (e.g. ripe.db.inetnum.gz ripe.db.role.gz ripe.db.organisation.gz), or CSV files')
    .option('--format <rpsl|csv>', 'default: csv for *.csv, else rpsl')
    .option('--source <name>', 'name of the source whose rows this import replaces (default: the objects\' source:, e.g. RIPE, APNIC, JPNIC)')
    .option('--json', 'print the summary as JSON')
    .description('import abuse contacts (replaces the rows of the same source)')
    .action(async (files: string[], o: { format?: 'rpsl' | 'csv'; source?: string; json?: boolean }, cmd: Command) => {
      if (o.format && o.format !== 'rpsl' && o.format !== 'csv') throw new SakimoriError('BAD_REQUEST', `--format must be rpsl or csv, not ${o.format}`);
      const opts = { ...(o.format ? { format: o.format } : {}), ...(o.source ? { source: o.source } : {}) };
      const s = await viaStoresOrServer<ContactsImportSummary>(configFrom(cmd), async (ctx) => (await import('../notify/contacts/import-contacts.js')).importContacts(ctx.state, files, opts),
        async (url) => asGiven(await callJson<ContactsImportSummary>('POST', `${url}api/v1/contacts/imports`, { files: files.map((f) => resolve(f)), ...opts }), files));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      process.stdout.write([
        `source ${s.source} (${s.format}): ${fmtInt(s.objects)} objects, ${fmtInt(s.resources)} address blocks and ASes, ${fmtInt(s.stored)} contact rows stored, ${fmtInt(s.withoutContact)} without an abuse contact`,
        ...(s.badLines ? [`${fmtInt(s.badLines)} bad lines skipped; first:`, ...s.firstBad.map((b) => `  ${b.file}:${b.line}: ${b.reason}${b.text ? `  [${b.text}]` : ''}`)] : []),
      ].join('\n') + '\n');
    });
  c.command('lookup')
    .argument('<what>', 'IP address or AS number (AS64500)')
    .option('--json', 'print JSON')
    .description('the abuse contact for an address (most specific block) or an AS')
    .action(async (what: string, o: { json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<AbuseContact>(configFrom(cmd),
        async (ctx) => (await import('../notify/contacts/lookup-contact.js')).lookupAbuseContact(ctx.state, what),
        (url) => getJson(`${url}api/v1/contacts/lookup?${new URLSearchParams({ what })}`));
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : `${r.email}  (${r.source} ${r.resource}${r.prefix ? ` ${r.prefix}` : ''}, via ${r.via}${r.name ? `, ${r.name}` : ''})\n`);
    });
}

/** The server was sent absolute paths; the summary names the files as they were typed, as locally. */
function asGiven(s: ContactsImportSummary, files: string[]): ContactsImportSummary {
  const given = new Map(files.map((f) => [resolve(f), f]));
  const name = (f: string): string => given.get(f) ?? f;
  return { ...s, files: s.files.map(name), firstBad: s.firstBad.map((b) => ({ ...b, file: name(b.file) })) };
}
