import type { Command } from 'commander';
import { configFrom, fmtInt, printError } from './common.js';
import type { FileResult } from '../ingest/darknet-ingest.js';
import { ingestDarknetRun, touchedDays, type DarknetIngestRun, type IngestProgress } from '../app/darknet-ingest-run.js';
import { ProgressBar } from './progress.js';
import { viaStoresOrServer } from './with-context.js';
import { runThroughServer } from './local-file-run.js';
import { registerFlowsIngest } from './flows-ingest-command.js';
import { registerHoneypotIngest } from './honeypot-ingest-command.js';

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
      const bar = new ProgressBar();
      const run = await viaStoresOrServer<DarknetIngestRun>(config, async (ctx) => {
        try {
          return await ingestDarknetRun(ctx, files, { sensor: config.sensor, batchSize: config.darknet.batchSize, onProgress: (p) => bar.update(p.file, p.bytes, p.size, p.packets) });
        } finally {
          bar.done();
        }
      }, async (url) => {
        try {
          return await ingestThrough(url, files, opts, (p) => bar.update(p.file, p.bytes, p.size, p.packets));
        } finally {
          bar.done();
        }
      });
      if (run.dailyReports && !opts.json) process.stdout.write(`daily reports updated for ${run.dailyReports.days.join(', ')} in ${run.dailyReports.seconds.toFixed(1)} s\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else printSummary(run.files, run.seconds);
      if (run.files.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
  registerFlowsIngest(ingest);
  registerHoneypotIngest(ingest);
}

/** The server that holds the stores ingests the files, its progress lines driving the bar here. */
function ingestThrough(url: string, files: string[], opts: { sensor?: string; batchSize?: number }, onProgress: (p: IngestProgress) => void): Promise<DarknetIngestRun> {
  return runThroughServer<IngestProgress, DarknetIngestRun>(url, 'api/v1/ingest/darknet', files, { ...(opts.sensor ? { sensor: opts.sensor } : {}), ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) }, 'capture', onProgress);
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

// The demo reads it from here.
export { touchedDays };
