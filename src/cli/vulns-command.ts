import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { createReadStream } from 'node:fs';
import { getJson, postFile, viaStoresOrServer } from './with-context.js';
import type { VulnFeedInfo } from '../api/contract/index.js';
import { SakimoriError } from '../errors.js';
import type { VulnFormat, VulnImportSummary } from '../vulns/import.js';

function summaryText(s: VulnImportSummary): string {
  const lines = [
    `${s.file}: ${s.format.toUpperCase()} feed ${s.feed}${s.catalogVersion ? ` (${s.catalogVersion})` : ''}: ${fmtInt(s.records)} records read, ` +
      `${fmtInt(s.imported)} ${s.format === 'kev' ? 'KEV entries' : 'CVEs'} stored${s.format === 'nvd' ? ` with ${fmtInt(s.cpeMatches)} CPE match criteria` : ''}` +
      `${s.rejected ? `, ${fmtInt(s.rejected)} rejected CVEs left out` : ''}, ${fmtInt(s.skipped)} bad records skipped` +
      `${s.complete ? `, ${fmtInt(s.removed)} no longer in the feed removed` : ''} (${(s.elapsedMs / 1000).toFixed(1)} s)`,
    ...s.issues.map((i) => `  record ${i.record}${i.id ? ` (${i.id})` : ''}: ${i.message}`),
    ...(s.skipped > s.issues.length ? [`  … and ${fmtInt(s.skipped - s.issues.length)} more`] : []),
  ];
  return lines.join('\n') + '\n';
}

export function registerVulns(program: Command): void {
  const v = program.command('vulns').description('local vulnerability feeds (CISA KEV, NVD CVE JSON 2.0) for CVE matching / 脆弱性フィード');

  v.command('import')
    .argument('<file>', 'known_exploited_vulnerabilities.json, or an NVD CVE JSON 2.0 feed or saved API response (.json or .json.gz)')
    .requiredOption('--format <kev|nvd>', 'kev (CISA KEV catalogue) or nvd (NVD CVE JSON 2.0)')
    .option('--feed <name>', 'NVD: the feed these records replace (default: the file name without .json/.gz, e.g. nvdcve-2.0-2024)')
    .option('--json', 'print the summary as JSON')
    .description('import a feed (replaces the earlier import of the same feed in one transaction)')
    .action(async (file: string, o: { format: string; feed?: string; json?: boolean }, cmd: Command) => {
      if (o.format !== 'kev' && o.format !== 'nvd') throw new SakimoriError('BAD_REQUEST', `--format must be kev or nvd, not ${o.format}`);
      const format: VulnFormat = o.format;
      const s = await viaStoresOrServer<VulnImportSummary>(configFrom(cmd), async (ctx) => (await import('../vulns/import.js')).importVulnFeed(ctx.state, file, { format, feed: o.feed }),
        // The file as the body; its path as the name, so the feed and the summary read as locally.
        async (url) => postFile(`${url}api/v1/vulns/feeds/${format}?${new URLSearchParams({ name: file, ...(o.feed ? { feed: o.feed } : {}) })}`, createReadStream(file)));
      process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : summaryText(s));
      if (!s.complete) {
        process.stderr.write(`error VULN_FEED_INVALID: ${s.error ?? 'incomplete file'} (file=${file}); the records before it were stored, nothing else was removed\n`);
        process.exitCode = 1;
      }
    });

  v.command('feeds')
    .option('--json', 'print JSON')
    .description('the feeds imported so far')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const feeds = await viaStoresOrServer<(Omit<VulnFeedInfo, 'importedAt'> & { importedAt: string | Date })[]>(configFrom(cmd), async (ctx) => (await import('../vulns/import.js')).listVulnFeeds(ctx.state),
        async (url) => (await getJson<{ feeds: VulnFeedInfo[] }>(`${url}api/v1/vulns/feeds`)).feeds);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(feeds, null, 2)}\n`);
        return;
      }
      process.stdout.write(feeds.length === 0 ? 'no feed imported / フィードは未登録です\n' : feeds.map((f) =>
        `${f.feed}  ${f.format}  ${new Date(f.importedAt).toISOString().slice(0, 16)}Z  ${fmtInt(f.records)} records, ${fmtInt(f.skipped)} skipped${f.complete ? '' : '  INCOMPLETE'}${f.catalogVersion ? `  ${f.catalogVersion}` : ''}  ${f.file}`,
      ).join('\n') + '\n');
    });

  v.command('match')
    .argument('<cpe...>', 'CPE 2.3 names (cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*) or 2.2 URIs')
    .option('--json', 'print JSON')
    .description('the CVEs the imported feeds attach to these CPE names (KEV entries marked)')
    .action(async (cpes: string[], o: { json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<{ id: string; kev: boolean }[]>(configFrom(cmd), async (ctx) => {
        const m = await (await import('../vulns/cve-matcher.js')).CveMatcher.load(ctx.state);
        return m.match(cpes).map((id) => ({ id, kev: m.isKev(id) }));
      }, async (url) => (await getJson<{ cves: { id: string; kev: boolean }[] }>(`${url}api/v1/vulns/match?${new URLSearchParams(cpes.map((c): [string, string] => ['cpe', c]))}`)).cves);
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : r.length === 0 ? 'no CVE / 該当なし\n' : r.map((c) => `${c.id}${c.kev ? '  KEV' : ''}`).join('\n') + '\n');
    });
}
