/** `sakimori report honeypot`: what attackers did on our honeypots in a window. */
import type { Command } from 'commander';
import { configFrom, definedParams, fmtInt, pad } from './common.js';
import { getJson, viaStoresOrServer } from './with-context.js';
import type { HoneypotReport } from '../api/contract/honeypot.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

export function registerHoneypotReport(report: Command): void {
  report
    .command('honeypot')
    .description('honeypot report for a window: sessions, logins and credentials tried, commands, proxy requests, URLs and file hashes')
    .option('--from <time>', 'start, ISO 8601 or YYYY-MM-DD (UTC); default: the UTC day of the last honeypot event')
    .option('--to <time>', 'end (exclusive); default from + 1 day')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<HoneypotReport>(
        configFrom(cmd),
        async (ctx) => {
          const [rep, win] = await Promise.all([import('../honeypot/report/honeypot-report.js'), import('../honeypot/report/honeypot-window.js')]);
          // The data directory's owner sees every source, as a platform admin does.
          return rep.honeypotReport(ctx.events, await win.honeypotWindow(ctx.events, opts.from, opts.to), UNRESTRICTED);
        },
        (url) => getJson(`${url}api/v1/honeypot/report?${definedParams({ from: opts.from, to: opts.to })}`),
      );
      process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : printableHoneypotReport(r));
    });
}

/** One line, cut to `max` characters (commands and URLs can be long). */
const cut = (s: string, max: number): string => {
  const one = s.replace(/[\r\n\t]+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

export function printableHoneypotReport(r: HoneypotReport): string {
  const out: string[] = [];
  out.push(`Honeypot report ${r.from} – ${r.to}`);
  out.push(`  events ${fmtInt(r.events)}   sessions ${fmtInt(r.sessions)}   sources ${fmtInt(r.sources)}`);
  out.push(`  logins ${fmtInt(r.logins.attempts)} (${fmtInt(r.logins.success)} accepted, ${fmtInt(r.logins.failed)} refused)   commands ${fmtInt(r.commands)}   proxy requests ${fmtInt(r.proxyRequests)}`);
  out.push(`  downloads ${fmtInt(r.downloads)}   uploads ${fmtInt(r.uploads)}   HTTP requests ${fmtInt(r.httpRequests)}   ICS interactions ${fmtInt(r.icsInteractions)}`);
  const by = (m: Record<string, number>): string => Object.entries(m).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ') || 'none';
  out.push(`  events by honeypot: ${by(r.byHoneypot)}`);
  out.push(`  sessions by protocol: ${by(r.byProto)}`);
  if (r.topCredentials.length) {
    out.push('  top credentials (user / password: attempts, accepted, sources):');
    for (const c of r.topCredentials.slice(0, 10)) out.push(`    ${pad(cut(`${c.username} / ${c.password}`, 40), 40)} ${pad(fmtInt(c.attempts), 8, true)} ${pad(fmtInt(c.success), 8, true)} ${pad(fmtInt(c.sources), 8, true)}`);
  }
  if (r.topCommands.length) {
    out.push('  top commands (count, sources):');
    for (const c of r.topCommands.slice(0, 10)) out.push(`    ${pad(fmtInt(c.count), 8, true)} ${pad(fmtInt(c.sources), 6, true)}  ${cut(c.command, 100)}`);
  }
  if (r.urls.length) {
    out.push('  URLs (events, sources; recorded, never fetched):');
    for (const u of r.urls.slice(0, 10)) out.push(`    ${pad(fmtInt(u.events), 8, true)} ${pad(fmtInt(u.sources), 6, true)}  ${cut(u.url, 100)}`);
  }
  if (r.hashes.length) {
    out.push('  file hashes (SHA-256, bytes, events, sources):');
    for (const h of r.hashes.slice(0, 10)) out.push(`    ${h.sha256} ${pad(fmtInt(h.size), 10, true)} ${pad(fmtInt(h.events), 6, true)} ${pad(fmtInt(h.sources), 6, true)}`);
  }
  if (r.topSources.length) {
    out.push('  top sources (sessions, logins, commands):');
    for (const s of r.topSources.slice(0, 10)) out.push(`    ${pad(s.ip, 40)} ${pad(s.country || '--', 3)} AS${pad(String(s.asn), 10)} ${pad(fmtInt(s.sessions), 8, true)} ${pad(fmtInt(s.logins), 8, true)} ${pad(fmtInt(s.commands), 8, true)}`);
  }
  if (r.events === 0) out.push('  (no honeypot events in this window)');
  return `${out.join('\n')}\n`;
}
