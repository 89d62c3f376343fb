/** `sakimori ingest flows FILE…`: flow files into the flow tables, on the stores or through a running server. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { configFrom, fmtInt, printError } from './common.js';
import { ERRORS, SakimoriError, type ErrorCode } from '../errors.js';
import { ProgressBar } from './progress.js';
import { streamCall, viaStoresOrServer } from './with-context.js';
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
        }, async (url) => ingestThrough(url, files, request, onProgress));
      } finally {
        bar.done();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      else printSummary(run);
      if (run.files.some((r) => r.status === 'failed')) process.exitCode = 1;
    });
}

/** One line of the server's answer (api/flow-routes.ts). */
interface IngestLine { progress?: FlowIngestProgress; result?: FlowIngestResult; error?: { code: string; message: string; errorId?: string } }

async function ingestThrough(url: string, files: string[], request: Record<string, unknown>, onProgress: (p: FlowIngestProgress) => void): Promise<FlowIngestResult> {
  if (files.includes('-')) {
    throw new SakimoriError('STORE_LOCKED', 'a running server holds it, and standard input cannot be handed to the server: save the flows to a file and ingest that, or stop the server', { file: '-' });
  }
  const given = new Map(files.map((f) => [resolve(f), f]));
  let rest = '';
  let outcome: IngestLine | undefined;
  await streamCall('POST', `${url}api/v1/ingest/flows`, { files: files.map((f) => resolve(f)), ...request }, async (text) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const line = JSON.parse(l) as IngestLine;
      if (line.progress) onProgress({ ...line.progress, file: given.get(line.progress.file) ?? line.progress.file });
      else outcome = line;
    }
  });
  // The files as they were typed, as locally.
  if (outcome?.result) return { ...outcome.result, files: outcome.result.files.map((r) => ({ ...r, file: given.get(r.file) ?? r.file })) };
  const e = outcome?.error;
  const err = new SakimoriError(e?.code && e.code in ERRORS ? (e.code as ErrorCode) : 'INTERNAL');
  err.message = e ? `${e.message}${e.errorId ? ` (error id ${e.errorId}: see the server's log)` : ''}` : 'the server ended the ingest without a result: see its log';
  throw err;
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
