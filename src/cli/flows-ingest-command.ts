/** `sakimori ingest flows FILE…`: flow files into the flow tables, on the stores or through a running server. */
import type { Command } from 'commander';
import { configFrom, fmtInt, printError } from './common.js';
import { SakimoriError } from '../errors.js';
import { ProgressBar } from './progress.js';
import { viaStoresOrServer } from './with-context.js';
import { runThroughServer } from './local-file-run.js';
import type { FlowIngestResult } from '../flows/ingest/flow-ingest-run.js';
import type { FlowIngestProgress } from '../flows/ingest/flow-ingest.js';
import type { FlowFileFormat } from '../flows/reader.js';

const FORMATS: readonly FlowFileFormat[] = ['pcap', 'argus', 'zeek', 'nfdump-csv'];

interface Opts { format?: string; internal?: string[]; org?: string; timeZone?: string; json?: boolean }

export function registerFlowsIngest(ingest: Command): void {
  ingest
    .command('flows')
    .description('ingest flow files: pcap/pcapng of NetFlow/IPFIX/sFlow datagrams, Argus CSV, Zeek conn.log, nfdump CSV (gzip too; - for stdin)')
    .argument('<files...>', 'flow files, or - for standard input; one stream in order (templates carry over)')
    .option('--format <format>', `${FORMATS.join('|')}; default: by content`)
    .option('--internal <cidr...>', 'the internal prefixes (clients); default: --org\'s, else flows.internal')
    .option('--org <id>', 'an organisation whose constituency prefixes are internal')
    .option('--time-zone <tz>', 'IANA time zone of Argus time stamps (they carry none); default UTC')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: Opts, cmd: Command) => {
      if (opts.format && !FORMATS.includes(opts.format as FlowFileFormat)) {
        throw new SakimoriError('BAD_REQUEST', `--format: one of ${FORMATS.join(', ')}, not ${opts.format}`, { field: 'format' });
      }
      const format = opts.format as FlowFileFormat | undefined;
      const config = configFrom(cmd);
      const bar = new ProgressBar('rec');
      const onProgress = (p: FlowIngestProgress): void => bar.update(p.file, p.bytes, p.size, p.records);
      const request = {
        ...(format ? { format } : {}), ...(opts.internal?.length ? { internal: opts.internal } : {}),
        ...(opts.org ? { org: opts.org } : {}), ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
      };
      let run: FlowIngestResult;
      try {
        run = await viaStoresOrServer<FlowIngestResult>(config, async (ctx) => {
          const { flowIngestRun } = await import('../flows/ingest/flow-ingest-run.js');
          return flowIngestRun(ctx, files, { ...request, onProgress });
        }, async (url) => runThroughServer<FlowIngestProgress, FlowIngestResult>(url, 'api/v1/ingest/flows', files, request, 'flows', onProgress));
      } finally {
        bar.done();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else printSummary(run);
      if (run.files.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
}

function printSummary(run: FlowIngestResult): void {
  const out = (s: string): void => { process.stdout.write(`${s}\n`); };
  for (const r of run.files) {
    if (r.status === 'already-ingested') {
      out(`${r.file}: already ingested: ${fmtInt(r.duplicateRecords)} records already stored, nothing to do`);
      continue;
    }
    if (r.status === 'failed') {
      printError(new Error(`${r.file}: ${r.error?.code ?? ''} ${r.error?.message ?? ''}${r.newRecords > 0 ? ` (${fmtInt(r.newRecords)} records stored before it)` : ''}`));
      continue;
    }
    out(`${r.file}: ${fmtInt(r.records)} records (${fmtInt(r.newRecords)} new, ${fmtInt(r.duplicateRecords)} already stored), ${r.format ?? '?'}${r.gzip ? '+gzip' : ''}, ${fmtInt(r.units)} ${r.format === 'pcap' ? 'capture records' : 'lines'}`);
    const skipped = Object.entries(r.skipped);
    if (skipped.length) out(`  skipped: ${skipped.map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ')}`);
    if (r.truncated) out(`  truncated at byte ${fmtInt(r.truncated.offset)} (record ${fmtInt(r.truncated.record)}): ${r.truncated.message}`);
    if (r.corrupt) out(`  corrupt at byte ${fmtInt(r.corrupt.offset)} (record ${fmtInt(r.corrupt.record)}): ${r.corrupt.message}`);
  }
  for (const e of run.exporters) {
    out(`  exporter ${e.exporter} domain ${e.domain} (${e.protocol}): ${fmtInt(e.datagrams)} datagrams, ${fmtInt(e.records)} records, ${fmtInt(e.lost)} ${e.lostUnit} lost${e.restarts ? `, ${e.restarts} restarts` : ''}, sampling ${e.samplingRates.join('/') || '-'}`);
  }
  const orient = run.internal.source === 'none' ? 'oriented by ports (no internal prefixes)' : `internal side from ${run.internal.source} (${fmtInt(run.internal.prefixes)} prefixes)`;
  out(`${run.files.length} file(s), ${fmtInt(run.records)} records (${fmtInt(run.newRecords)} new) in ${run.seconds.toFixed(1)} s; ${orient}`);
}
