/**
 * `sakimori share honeypot`: the honeypots' malicious URLs, download hosts and file hashes into a
 * collection as indicators. A subcommand of its own, not part of `share publish` (the darknet's
 * scanners), so that an operator decides what each collection carries; docs/honeypot.md, "Sharing".
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, viaStoresOrServer } from './with-context.js';
import { printPublishCounts } from './share-command.js';
import { SakimoriError } from '../errors.js';
import { parseTlp } from '../share/stix/tlp.js';
import type { HoneypotShareAnswer } from '../api/contract/honeypot-share.js';

const out = (s: string): boolean => process.stdout.write(s);

async function benignDomains(file: string | undefined): Promise<string[] | undefined> {
  if (!file) return undefined;
  const { parseDomainList } = await import('../honeypot/share/benign-domains.js');
  const r = parseDomainList(await readFile(file, 'utf8'));
  for (const i of r.issues) process.stderr.write(`${file}:${i.line}: ${i.message} (skipped)\n`);
  return r.names;
}

export function registerHoneypotShare(share: Command): void {
  share.command('honeypot')
    .requiredOption('--collection <id>', 'collection id or alias')
    .option('--tlp <level>', 'clear|green|amber|amber+strict|red', 'amber')
    .option('--from <date>', 'first UTC day (default: 7 days before --to)')
    .option('--to <date>', 'end of the window, exclusive (default: the end of today, UTC)')
    .option('--benign-domains <file>', 'more names never to publish: one per line, or a MISP warninglist of hostnames')
    .option('--dry-run', 'say what would be published and excluded; store nothing')
    .option('--json', 'print JSON')
    .description('publish the honeypots\' malicious URLs, download hosts and file hashes into a collection (never a honeypot or client address)')
    .action(async (o: { collection: string; tlp?: string; from?: string; to?: string; benignDomains?: string; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const tlp = parseTlp(o.tlp ?? 'amber');
      if (!tlp) throw new SakimoriError('BAD_REQUEST', `--tlp must be one of clear, green, amber, amber+strict, red (not ${o.tlp})`, { field: 'tlp' });
      const names = await benignDomains(o.benignDomains);
      const r = await viaStoresOrServer<HoneypotShareAnswer>(configFrom(cmd), async (ctx) => {
        const { publishHoneypotIndicators } = await import('../honeypot/share/publish-honeypot.js');
        const { publishWindow } = await import('../share/indicators/publish.js');
        const who = (await import('../api/auth-plugin.js')).peerPrincipal();
        return publishHoneypotIndicators(ctx, who, {
          collection: o.collection, tlp, window: publishWindow(o.from, o.to), dryRun: o.dryRun ?? false, ...(names ? { benignDomains: names } : {}),
        });
      }, (url) => callJson<HoneypotShareAnswer>('POST', `${url}api/v1/honeypot/share`, {
        collection: o.collection, tlp, ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}), dryRun: o.dryRun ?? false,
        ...(names ? { benignDomains: names } : {}),
      }));
      if (o.json) { out(`${JSON.stringify(r, null, 2)}\n`); return; }
      out(`${r.dryRun ? 'dry run: would publish' : 'published'} honeypot indicators into ${r.collection.title} (${r.collection.id}) at TLP:${r.tlp.toUpperCase()}, window ${r.from} – ${r.to}\n`);
      out(`  observed             ${fmtInt(r.observables.urls)} URLs, ${fmtInt(r.observables.hosts)} hosts, ${fmtInt(r.observables.hashes)} file hashes\n`);
      printPublishCounts(r);
    });
}
