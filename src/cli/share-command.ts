/**
 * `sakimori share …`: the hub's indicators (issue 16, items 5 and 6). Each subcommand runs on
 * the stores, or beside a running server through its API (contract/share-indicators.ts), and
 * prints the same from the same answer.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, getJson, postFile, streamGet, viaStoresOrServer } from './with-context.js';
import { StageProgress } from './progress.js';
import { registerHoneypotShare } from './honeypot-share-command.js';
import { SakimoriError } from '../errors.js';
import { parseTlp, type Tlp } from '../share/stix/tlp.js';
import type { MatchAnswer, PublishAnswer, ShareImportAnswer, WarningListAnswer } from '../api/contract/share-indicators.js';
import { SHARE_EXPORT_FORMATS, type ShareExportFormat } from '../api/contract/share-indicators.js';

function tlpOption(text: string | undefined): Tlp {
  if (text === undefined) return 'amber';
  const t = parseTlp(text);
  if (!t) throw new SakimoriError('BAD_REQUEST', `--tlp must be one of clear, green, amber, amber+strict, red (not ${text})`, { field: 'tlp' });
  return t;
}

async function localPrincipal(): Promise<import('../auth/principal.js').Principal> {
  return (await import('../api/auth-plugin.js')).peerPrincipal();
}

const out = (s: string): boolean => process.stdout.write(s);

function printPublish(r: PublishAnswer): void {
  out(`${r.dryRun ? 'dry run: would publish' : 'published'} into ${r.collection.title} (${r.collection.id}) at TLP:${r.tlp.toUpperCase()}, window ${r.from} – ${r.to}\n`);
  out(`  darknet sources      ${fmtInt(r.sources).padStart(10)}\n`);
  printPublishCounts(r);
}

/** What a publish did, after its first lines: the darknet's and the honeypots' publish print it alike. */
export function printPublishCounts(r: Pick<PublishAnswer, 'created' | 'updated' | 'revoked' | 'unchanged' | 'dryRun' | 'objects' | 'stored' | 'excluded' | 'failures' | 'sample' | 'recipients'>): void {
  out(`  new indicators       ${fmtInt(r.created).padStart(10)}\n  new versions         ${fmtInt(r.updated).padStart(10)}  (revoked ${fmtInt(r.revoked)})\n  unchanged            ${fmtInt(r.unchanged).padStart(10)}\n`);
  out(`  objects ${r.dryRun ? 'to send' : 'stored '}      ${fmtInt(r.dryRun ? r.objects : r.stored).padStart(10)}\n`);
  out('  not published, by reason:\n');
  for (const [why, n] of Object.entries(r.excluded)) out(`    ${why.padEnd(18)} ${fmtInt(n).padStart(10)}\n`);
  for (const f of r.failures) out(`  refused ${f.id}: ${f.message}\n`);
  if (r.dryRun) for (const s of r.sample) out(`  ${s.pattern}  confidence ${s.confidence}  until ${s.validUntil}  ${s.labels.join(',')}\n`);
  printRecipients(r.recipients);
}

/** A dry run's "who would receive it" (the policy's dry run), as publish commands print it. */
export function printRecipients(r: PublishAnswer['recipients']): void {
  if (!r) return;
  out(`  would be received by ${fmtInt(r.organisations.length)} organisation(s) and ${fmtInt(r.users.length)} further user(s); victim-identifying fields: ${fmtInt(r.victimFields)}\n`);
  for (const o of r.organisations) out(`    ${o.name} (${o.reason})\n`);
  for (const u of r.users) out(`    user ${u.username} (${u.reason})\n`);
}

export function registerShare(program: Command): void {
  const share = program.command('share').description('the ISAC sharing hub: indicators from our observations, exports, imports, sightings');
  registerHoneypotShare(share);

  share.command('publish')
    .requiredOption('--collection <id>', 'collection id or alias')
    .option('--tlp <level>', 'clear|green|amber|amber+strict|red', 'amber')
    .option('--from <date>', 'first UTC day (default: 7 days before --to)')
    .option('--to <date>', 'end of the window, exclusive (default: the end of today, UTC)')
    .option('--dry-run', 'say what would be published and excluded; store nothing')
    .option('--json', 'print JSON')
    .description('publish the indicators generated from the darknet\'s scanners into a collection')
    .action(async (o: { collection: string; tlp?: string; from?: string; to?: string; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const tlp = tlpOption(o.tlp);
      const r = await viaStoresOrServer<PublishAnswer>(config, async (ctx) => {
        const { publishIndicators, publishWindow } = await import('../share/indicators/publish.js');
        const p = process.stderr.isTTY && !o.json ? new StageProgress(process.stderr) : undefined;
        p?.start('publishing');
        const res = await publishIndicators(ctx, await localPrincipal(), { collection: o.collection, tlp, window: publishWindow(o.from, o.to), dryRun: o.dryRun ?? false },
          p ? (stage, done, total) => { p.note(stage); p.tick(done, total, 'objects'); } : undefined);
        p?.end('done');
        return res;
      }, (url) => callJson<PublishAnswer>('POST', `${url}api/v1/share/publish`, {
        collection: o.collection, tlp, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), dryRun: o.dryRun ?? false,
      }));
      if (o.json) out(`${JSON.stringify(r, null, 2)}\n`);
      else printPublish(r);
    });

  share.command('export')
    .requiredOption('--collection <id>', 'collection id or alias')
    .option('--format <format>', SHARE_EXPORT_FORMATS.join('|'), 'stix')
    .description('write a collection to standard output as you may receive it (the sharing policy decides; the egress audit records it)')
    .action(async (o: { collection: string; format: string }, cmd: Command) => {
      if (!(SHARE_EXPORT_FORMATS as readonly string[]).includes(o.format)) throw new SakimoriError('BAD_REQUEST', `--format must be one of ${SHARE_EXPORT_FORMATS.join(', ')}`, { field: 'format' });
      const format = o.format as ShareExportFormat;
      const config = configFrom(cmd);
      const q = new URLSearchParams({ collection: o.collection, format });
      await viaStoresOrServer<void>(config, async (ctx) => {
        const { exportCollection } = await import('../share/export/collection-export.js');
        const x = await import('../share/export/indicator-exports.js');
        const e = await exportCollection(ctx.state, await localPrincipal(), o.collection);
        out(x.exportText(format, e.objects, e.collection.title).text);
      }, (url) => streamGet(`${url}api/v1/share/export?${q}`, async (text) => { out(text); }));
    });

  share.command('import <file>')
    .requiredOption('--collection <id>', 'collection id or alias')
    .option('--json', 'print JSON')
    .description('store a STIX bundle (or one object) or a MISP event in a collection')
    .action(async (file: string, o: { collection: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const r = await viaStoresOrServer<ShareImportAnswer>(config, async (ctx) => {
        const { importObjects } = await import('../share/indicators/import-objects.js');
        return importObjects(ctx.state, await localPrincipal(), o.collection, await readFile(file, 'utf8'));
      }, (url) => postFile<ShareImportAnswer>(`${url}api/v1/share/import?${new URLSearchParams({ collection: o.collection })}`, createReadStream(file)));
      if (o.json) { out(`${JSON.stringify(r, null, 2)}\n`); return; }
      out(`imported ${r.format === 'misp' ? 'a MISP event' : 'STIX'} into ${r.collection.title}: ${fmtInt(r.stored)} of ${fmtInt(r.objects)} objects stored, ${fmtInt(r.failures.length)} refused, ${fmtInt(r.feedback)} new feedback on our indicators\n`);
      for (const f of r.failures.slice(0, 50)) out(`  refused ${f.id}: ${f.message}\n`);
      for (const i of r.issues.slice(0, 50)) out(`  not converted ${i.path}: ${i.message}\n`);
    });

  share.command('match')
    .requiredOption('--collection <id>', 'collection id or alias')
    .option('--tlp <level>', 'marking of the sightings', 'amber')
    .option('--dry-run', 'count what would be sighted; store nothing')
    .option('--json', 'print JSON')
    .description('match the peers\' indicators of a collection against the darknet and survey; publish the sightings')
    .action(async (o: { collection: string; tlp?: string; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const tlp = tlpOption(o.tlp);
      const r = await viaStoresOrServer<MatchAnswer>(config, async (ctx) => {
        const { matchCollection } = await import('../share/indicators/match-collection.js');
        return matchCollection(ctx, await localPrincipal(), { collection: o.collection, dryRun: o.dryRun ?? false, tlp });
      }, (url) => callJson<MatchAnswer>('POST', `${url}api/v1/share/match`, { collection: o.collection, dryRun: o.dryRun ?? false, tlp }));
      if (o.json) { out(`${JSON.stringify(r, null, 2)}\n`); return; }
      out(`${fmtInt(r.peerIndicators)} peer indicators in ${r.collection.title} (${fmtInt(r.unmatchable)} name no address): ${fmtInt(r.sighted)} seen by us, `
        + `${fmtInt(r.sightings)} new sighting version(s)${r.dryRun ? ' (dry run)' : `, ${fmtInt(r.stored)} stored`}; ${fmtInt(r.feedback)} new feedback on our indicators\n`);
      for (const f of r.failures) out(`  refused ${f.id}: ${f.message}\n`);
    });

  const wl = share.command('warninglist').description('warning lists: benign sources (research scanners …) never published');
  wl.command('import <file>')
    .option('--name <name>', 'the list\'s name (default: the MISP warninglist\'s)')
    .description('import (replace) a list: one address or CIDR per line, or a MISP warninglist JSON')
    .action(async (file: string, o: { name?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const text = await readFile(file, 'utf8');
      const r = await viaStoresOrServer<WarningListAnswer>(config, async (ctx) => {
        const { importWarningList } = await import('../share/indicators/warning-list-store.js');
        return importWarningList(ctx.state, o.name, text);
      }, (url) => callJson<WarningListAnswer>('POST', `${url}api/v1/share/warninglists`, { ...(o.name ? { name: o.name } : {}), text }));
      out(`warning list ${r.name}: ${fmtInt(r.entries)} addresses and prefixes\n`);
      for (const i of r.issues) out(`  ${file}:${i.line}:${i.column}: ${i.message}\n`);
    });
  wl.command('list').description('the warning lists').action(async (_o: unknown, cmd: Command) => {
    const config = configFrom(cmd);
    type Lists = { name: string; description: string; entries: number; importedAt: string }[];
    const r = await viaStoresOrServer<Lists>(config, async (ctx) => (await import('../share/indicators/warning-list-store.js')).listWarningLists(ctx.state),
      (url) => getJson<Lists>(`${url}api/v1/share/warninglists`));
    if (r.length === 0) out('no warning lists; import one with `sakimori share warninglist import FILE --name NAME`\n');
    for (const l of r) out(`${l.name.padEnd(30)} ${fmtInt(l.entries).padStart(8)}  ${l.importedAt}  ${l.description}\n`);
  });

  const sensors = share.command('sensors').description('our own sensors\' prefixes: never published');
  sensors.command('add <cidr...>').description('add prefixes of our own sensors').action(async (cidrs: string[], _o: unknown, cmd: Command) => {
    const config = configFrom(cmd);
    const r = await viaStoresOrServer<{ prefixes: string[] }>(config, async (ctx) => {
      const s = await import('../share/indicators/own-sensors.js');
      await s.addOwnSensors(ctx.state, cidrs);
      return { prefixes: await s.listOwnSensors(ctx.state) };
    }, (url) => callJson<{ prefixes: string[] }>('POST', `${url}api/v1/share/sensors`, { prefixes: cidrs }));
    out(`${r.prefixes.join('\n')}\n`);
  });
  sensors.command('list').description('our own sensors\' prefixes').action(async (_o: unknown, cmd: Command) => {
    const config = configFrom(cmd);
    const r = await viaStoresOrServer<{ prefixes: string[] }>(config, async (ctx) => ({ prefixes: await (await import('../share/indicators/own-sensors.js')).listOwnSensors(ctx.state) }),
      (url) => getJson<{ prefixes: string[] }>(`${url}api/v1/share/sensors`));
    out(r.prefixes.length ? `${r.prefixes.join('\n')}\n` : 'no own sensors configured\n');
  });
}
