/** `sakimori ingest honeypot FILE…`: Cowrie, Dionaea and Conpot logs into honeypot_events, on the stores or through a running server. */
import type { Command } from 'commander';
import { configFrom, fmtInt, printError } from './common.js';
import { SakimoriError } from '../errors.js';
import { ProgressBar } from './progress.js';
import { viaStoresOrServer } from './with-context.js';
import { runThroughServer } from './local-file-run.js';
import type { HoneypotIngestProgress, HoneypotIngestRun } from '../honeypot/ingest/honeypot-ingest.js';
import type { HoneypotFormat } from '../honeypot/ingest/detect-format.js';

const FORMATS: readonly HoneypotFormat[] = ['cowrie', 'dionaea', 'conpot'];

interface Opts { format?: string; batchSize?: number; json?: boolean }

export function registerHoneypotIngest(ingest: Command): void {
  ingest
    .command('honeypot')
    .description('ingest honeypot logs: Cowrie JSON, Dionaea JSON or SQLite (logsql), Conpot JSON (gzip too; - for stdin)')
    .argument('<files...>', 'log files, or - for standard input')
    .option('--format <format>', `${FORMATS.join('|')}; default: by content`)
    .option('--batch-size <n>', 'events per batch (the unit of exactly-once); default 50000', (v) => Number(v))
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: Opts, cmd: Command) => {
      if (opts.format && !FORMATS.includes(opts.format as HoneypotFormat)) {
        throw new SakimoriError('BAD_REQUEST', `--format: one of ${FORMATS.join(', ')}, not ${opts.format}`, { field: 'format' });
      }
      if (opts.batchSize !== undefined && !(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) {
        throw new SakimoriError('BAD_REQUEST', '--batch-size: a whole number of events, at least 1', { field: 'batchSize' });
      }
      const format = opts.format as HoneypotFormat | undefined;
      const config = configFrom(cmd);
      const bar = new ProgressBar('ev');
      const onProgress = (p: HoneypotIngestProgress): void => bar.update(p.file, p.bytes, p.size, p.records);
      const request = { ...(format ? { format } : {}), ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) };
      let run: HoneypotIngestRun;
      try {
        run = await viaStoresOrServer<HoneypotIngestRun>(config, async (ctx) => {
          const { honeypotIngestRun } = await import('../honeypot/ingest/honeypot-ingest-run.js');
          return honeypotIngestRun(ctx, files, { ...request, onProgress });
        }, async (url) => runThroughServer<HoneypotIngestProgress, HoneypotIngestRun>(url, 'api/v1/ingest/honeypot', files, request, 'log', onProgress));
      } finally {
        bar.done();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else printSummary(run);
      if (run.files.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
}

function printSummary(run: HoneypotIngestRun): void {
  const out = (s: string): void => { process.stdout.write(`${s}\n`); };
  const reasons = (counts: Record<string, number>, first: Record<string, number>): string =>
    Object.entries(counts).map(([k, n]) => `${k} ${fmtInt(n)}${first[k] !== undefined ? ` (first at line ${fmtInt(first[k])})` : ''}`).join(', ');
  for (const r of run.files) {
    if (r.status === 'already-ingested') {
      out(`${r.file}: already ingested: ${fmtInt(r.duplicateRecords)} events already stored, nothing to do`);
      continue;
    }
    if (r.status === 'failed') {
      printError(new Error(`${r.file}: ${r.error?.code ?? ''} ${r.error?.message ?? ''}${r.newRecords > 0 ? ` (${fmtInt(r.newRecords)} events stored before it; run again to complete it)` : ''}`));
      continue;
    }
    out(`${r.file}: ${fmtInt(r.records)} events (${fmtInt(r.newRecords)} new, ${fmtInt(r.duplicateRecords)} already stored), ${r.format ?? '?'}${r.gzip ? '+gzip' : ''}, ${fmtInt(r.lines)} ${r.format === 'dionaea-sqlite' ? 'rows' : 'lines'}`);
    if (Object.keys(r.skipped).length) out(`  skipped: ${reasons(r.skipped, r.firstLine)}`);
    if (Object.keys(r.anomalies).length) out(`  anomalies (stored): ${reasons(r.anomalies, r.firstLine)}`);
    if (r.truncated) out(`  truncated at byte ${fmtInt(r.truncated.offset)} (line ${fmtInt(r.truncated.record)}): ${r.truncated.message}`);
  }
  out(`${run.files.length} file(s), ${fmtInt(run.records)} events (${fmtInt(run.newRecords)} new) in ${run.seconds.toFixed(1)} s`);
}
