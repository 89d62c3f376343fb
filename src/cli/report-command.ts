import type { Command } from 'commander';
import { configFrom, definedParams, fmtInt, pad } from './common.js';
import { registerFlowsReport } from './flows-report-command.js';
import { registerHoneypotReport } from './honeypot-report-command.js';
import type { DarknetReport } from '../analyze/darknet-report.js';
import { reportFor } from '../analyze/day-reports.js';
import { parseWindow } from '../analyze/time-window.js';
import { defaultWindow } from '../analyze/default-window.js';
import { getJson, streamGet, viaStoresOrServer } from './with-context.js';
import { hintMissingEnrichment } from './enrichment-labels.js';

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports over stored observations');
  registerObservationReport(report);
  registerFlowsReport(report);
  registerHoneypotReport(report);
  report
    .command('darknet')
    .description('darknet report for a window (default: the last day with data)')
    .option('--from <time>', 'start, ISO 8601 or YYYY-MM-DD (UTC)')
    .option('--to <time>', 'end (exclusive); default from + 1 day')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const r = await viaStoresOrServer<DarknetReport>(
        config,
        async (ctx) => reportFor({ report: ctx.report, state: ctx.state }, parseWindow(opts.from, opts.to, await defaultWindow(ctx))),
        (url) => getJson(`${url}api/v1/darknet/report?${definedParams({ from: opts.from, to: opts.to })}`),
      );
      if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else {
        printReport(r);
        hintMissingEnrichment(config.dataDir, r.topCountries.some((c) => !c.country));
      }
    });
}

export function registerObservationReport(report: Command): void {
  report
    .command('observation')
    .description('the periodic observation report (darknet, exposure, notices and their effect) as HTML, and PDF with a headless browser')
    .option('--from <time>', 'start, ISO 8601 or YYYY-MM-DD (UTC); default the last day with darknet data')
    .option('--to <time>', 'end (exclusive)')
    .option('--lang <ja|en>', 'language', 'ja')
    .requiredOption('--out <file.html>', 'where to write the HTML')
    .option('--pdf <file.pdf>', 'also write a PDF (needs /usr/bin/chromium)')
    .action(async (opts: { from?: string; to?: string; lang: string; out: string; pdf?: string }, cmd: Command) => {
      const lang = opts.lang === 'en' ? 'en' : 'ja';
      const r = await import('../reports/observation-report.js');
      const html = await viaStoresOrServer<string>(configFrom(cmd),
        async (ctx) => r.observationHtml(await r.observationData(ctx, parseWindow(opts.from, opts.to, await defaultWindow(ctx))), lang),
        // The server renders the same page; the PDF is then made here, as locally.
        async (url) => {
          let page = '';
          await streamGet(`${url}api/v1/reports/observation?${definedParams({ from: opts.from, to: opts.to, lang })}`, async (t) => { page += t; });
          return page;
        });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(opts.out, html);
      process.stdout.write(`wrote ${opts.out}\n`);
      if (opts.pdf) {
        const ok = await r.htmlToPdf(html, opts.pdf);
        process.stdout.write(ok ? `wrote ${opts.pdf}\n` : 'no PDF: /usr/bin/chromium is not installed (apt-get install chromium)\n');
      }
    });
}

function printReport(r: DarknetReport): void {
  const out: string[] = [];
  out.push(`Darknet report ${r.from} – ${r.to}`);
  out.push(`  packets ${fmtInt(r.packets)}   sources ${fmtInt(r.sources)}   IoT share ${(r.iotShare * 100).toFixed(1)}%`);
  out.push('  classes:');
  for (const [k, v] of Object.entries(r.classes)) out.push(`    ${pad(k, 12)} ${pad(fmtInt(v.packets), 14, true)} packets ${pad(fmtInt(v.sources), 10, true)} sources`);
  out.push('  tags:');
  for (const [k, v] of Object.entries(r.tags)) out.push(`    ${pad(k, 12)} ${pad(fmtInt(v.packets), 14, true)} packets ${pad(fmtInt(v.sources), 10, true)} sources`);
  out.push('  top ports:');
  for (const p of r.topPorts.slice(0, 10)) out.push(`    ${pad(`${p.proto}/${p.port}`, 12)} ${pad(fmtInt(p.packets), 14, true)} packets ${pad(fmtInt(p.sources), 10, true)} sources${p.iot ? '  IoT' : ''}`);
  const raw = r.rawPackets;
  if (raw && raw.status !== 'kept') {
    const kept = raw.status === 'expired' ? 'none' : `${fmtInt(raw.kept)} of ${fmtInt(r.topPorts.reduce((a, p) => a + p.packets, 0))}`;
    out.push(`    (sources counted from the raw packets, ${raw.status}: ${kept} left; raw packets are kept darknet.retentionDays after they were stored)`);
  }
  if (r.dosVictims.length) {
    out.push('  DoS victims (backscatter):');
    for (const d of r.dosVictims.slice(0, 10)) out.push(`    ${pad(d.ip, 40)} ${pad(fmtInt(d.packets), 10, true)} packets  ${d.start} – ${d.end}  peak ${fmtInt(d.peakRate)}/min`);
  }
  if (r.topCountries.length) out.push(`  countries: ${r.topCountries.slice(0, 8).map((c) => `${c.country || 'unknown'} ${fmtInt(c.packets)}`).join(', ')}`);
  const surgeLine = surgeSummary(r);
  if (surgeLine) out.push(`  surges: ${surgeLine}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The most unlikely surges, or why there are none to tell of. */
function surgeSummary(r: DarknetReport): string | undefined {
  const h = r.surgeHistory;
  const listed = r.surges.slice(0, 5).map((s) => `${s.proto}/${s.port} ${fmtInt(s.packets)} at ${s.bucket} (×${s.ratio.toFixed(1)} of ${s.baseline.toFixed(1)}/h, p ≈ 1e${Math.round(s.log10P)})`);
  if (h && h.hoursJudged === 0 && h.hoursNotJudged > 0) return `not judged: too little history (${h.hoursAvailable} of ${h.hoursNeeded} hours with data needed)`;
  const notJudged = h && h.hoursNotJudged > 0 ? ` (${h.hoursNotJudged} hours not judged: too little history)` : '';
  if (listed.length === 0) return notJudged ? `none${notJudged}` : undefined;
  return `${listed.join(', ')}${notJudged}`;
}
