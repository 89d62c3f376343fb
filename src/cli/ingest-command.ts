import type { Command } from 'commander';
import { configFrom, fmtInt, printError } from './common.js';
import { openContext } from '../app/context.js';
import { ingestDarknetFiles, type FileResult } from '../ingest/darknet-ingest.js';
import { MergePause } from '../store/events/merge-pause.js';
import { ProgressBar } from './progress.js';
import { ingestMetrics } from '../ingest/ingest-metrics.js';
import { daysBetween, refreshDays } from '../analyze/day-reports.js';

export function registerIngest(program: Command): void {
  const ingest = program.command('ingest').description('store observations');
  ingest
    .command('darknet')
    .description('ingest darknet captures (pcap/pcapng, optionally gzip-compressed; - for stdin)')
    .argument('<files...>', 'capture files, or - for standard input')
    .option('--sensor <name>', 'name of the sensor that captured the files')
    .option('--batch-size <n>', 'packets per batch', (v) => Number(v))
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: { sensor?: string; batchSize?: number; json?: boolean }, cmd: Command) => {
      const extra: Record<string, unknown> = {};
      if (opts.sensor) extra['sensor'] = opts.sensor;
      if (opts.batchSize) extra['darknet'] = { batchSize: opts.batchSize };
      const config = configFrom(cmd, extra);
      const ctx = await openContext(config);
      const bar = new ProgressBar();
      const started = Date.now();
      let results: FileResult[];
      let dailyReports: { days: string[]; seconds: number } | undefined;
      // Merges wait until the daily reports are made too: those read the fresh parts twice as fast
      // without merges competing for the two cores.
      const merges = new MergePause(ctx.events);
      try {
        await merges.begin();
        results = await ingestDarknetFiles(
          { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
          files,
          { sensor: config.sensor, batchSize: config.darknet.batchSize, retentionDays: config.darknet.retentionDays, onProgress: (p) => bar.update(p.file, p.bytes, p.size, p.packets), merges, metrics: ingestMetrics(ctx.metrics) },
        );
        // Daily reports of the days this ingest touched, so the dashboard answers at once.
        const days = touchedDays(results);
        if (days.length > 0) {
          const t = Date.now();
          await refreshDays({ report: ctx.report, state: ctx.state }, days);
          dailyReports = { days, seconds: (Date.now() - t) / 1000 };
          if (!opts.json) process.stdout.write(`daily reports updated for ${days.join(', ')} in ${dailyReports.seconds.toFixed(1)} s\n`);
        }
      } finally {
        bar.done();
        await merges.end().catch(() => undefined);
        await ctx.close();
      }
      const seconds = (Date.now() - started) / 1000;
      if (opts.json) process.stdout.write(`${JSON.stringify({ seconds, files: results, dailyReports }, null, 2)}\n`);
      else printSummary(results, seconds);
      if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
}

function printSummary(results: FileResult[], seconds: number): void {
  let total = 0;
  for (const r of results) {
    if (r.status === 'already-ingested') {
      process.stdout.write(`${r.file}: already ingested: ${fmtInt(r.duplicatePackets)} packets already stored, nothing to do\n`);
      continue;
    }
    total += r.packets;
    if (r.status === 'failed') {
      printError(new Error(`${r.file}: ${r.error?.code ?? ''} ${r.error?.message ?? ''}`));
      continue;
    }
    const c = r.capture;
    const skipped = c ? Object.entries(c.skipped).filter(([, n]) => n > 0) : [];
    process.stdout.write(
      `${r.file}: ${fmtInt(r.packets)} packets (${fmtInt(r.newPackets)} new, ${fmtInt(r.duplicatePackets)} already stored)` +
        (c ? `, ${c.format}${c.gzip ? '+gzip' : ''}, ${fmtInt(c.records)} records` : '') + '\n',
    );
    if (skipped.length) process.stdout.write(`  skipped: ${skipped.map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ')}\n`);
    if (c?.truncated) process.stdout.write(`  truncated at byte ${fmtInt(c.truncated.offset)} (record ${fmtInt(c.truncated.record)}): ${c.truncated.message}\n`);
    if (c?.corrupt) process.stdout.write(`  corrupt at byte ${fmtInt(c.corrupt.offset)} (record ${fmtInt(c.corrupt.record)}): ${c.corrupt.message}\n`);
  }
  const rate = seconds > 0 ? total / seconds : 0;
  process.stdout.write(`${results.length} file(s), ${fmtInt(total)} packets in ${seconds.toFixed(1)} s (${fmtInt(rate)} packets/s)\n`);
}

/** UTC days covered by the packets this run stored. */
export function touchedDays(results: readonly FileResult[]): string[] {
  const days = new Set<string>();
  for (const r of results) {
    const c = r.capture;
    if (r.newPackets > 0 && c?.firstTsMicros !== undefined && c.lastTsMicros !== undefined) {
      for (const d of daysBetween(c.firstTsMicros, c.lastTsMicros)) days.add(d);
    }
  }
  return [...days].sort();
}
