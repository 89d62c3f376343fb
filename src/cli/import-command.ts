import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { postFile, viaStoresOrServer } from './with-context.js';
import { SakimoriError } from '../errors.js';
import { IMPORT_FORMATS, isImportFormat, type ImportFormat } from '../imports/types.js';
import { parseOptionsFrom } from '../imports/options.js';
import type { ImportSummary } from '../imports/import-file.js';

interface ImportFlags { port?: string; transport?: string; includeClosed?: boolean; fields?: string; batchSize?: string; json?: boolean }

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(`import survey outputs as service observations / 調査結果の取り込み (${IMPORT_FORMATS.join(', ')}; gzip recognised; - for stdin)`)
    .argument('<format>', `zmap (CSV), masscan (-oJ, -oD, -oL), zgrab2 (JSON lines) or nmap (-oX)`)
    .argument('<file>', 'the output file, or - for standard input')
    .option('--port <n>', 'port for records without one (ZMap saddr-only output, ZGrab2 results without port)')
    .option('--transport <tcp|udp>', 'transport for records that do not say (default tcp)')
    .option('--include-closed', 'store closed ports too (default: open ports only)')
    .option('--fields <list>', 'ZMap: field names when the file has no header row (e.g. saddr,sport)')
    .option('--batch-size <n>', 'rows per insert (default 200000 for zmap and masscan, 20000 otherwise)')
    .option('--json', 'print the summary as JSON')
    .action(async (format: string, file: string, o: ImportFlags, cmd: Command) => {
      if (!isImportFormat(format)) throw new SakimoriError('BAD_REQUEST', `unknown format ${format}: one of ${IMPORT_FORMATS.join(', ')}`);
      const opts = parseOptionsFrom(o);
      const batchSize = o.batchSize !== undefined ? Number(o.batchSize) : undefined;
      if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0)) throw new SakimoriError('BAD_REQUEST', `--batch-size must be a positive integer, not ${o.batchSize}`);
      const progress = new Progress(file === '-' ? 'stdin' : file);
      const summary = await viaStoresOrServer<ImportSummary>(configFrom(cmd),
        async (ctx) => {
          const { importFile } = await import('../imports/import-file.js');
          try {
            return await importFile({ events: ctx.events, enricher: ctx.enricher, state: ctx.state }, file, {
              ...opts, format, ...(batchSize ? { batchSize } : {}), onProgress: (p) => progress.update(p.bytes, p.records, p.rows),
            });
          } finally {
            progress.done();
          }
        },
        (url) => sendFile(url, format, file, o));
      if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(summaryText(summary));
      if (summary.errors > 0 && summary.services === 0) process.exitCode = 1;
    });
}

/** Streams the file to a running server's POST /api/v1/imports/:format (through its socket beside it). */
async function sendFile(baseUrl: string, format: ImportFormat, file: string, o: ImportFlags): Promise<ImportSummary> {
  const { openInput } = await import('../sources/input.js');
  const input = openInput(file);
  const q = new URLSearchParams();
  if (o.port !== undefined) q.set('port', o.port);
  if (o.transport !== undefined) q.set('transport', o.transport);
  if (o.includeClosed) q.set('includeClosed', 'true');
  if (o.fields !== undefined) q.set('fields', o.fields);
  q.set('name', input.name);
  return postFile(`${baseUrl}api/v1/imports/${format}?${q.toString()}`, input.stream);
}

export function summaryText(s: ImportSummary): string {
  const rate = s.seconds > 0 ? s.records / s.seconds : 0;
  const out = [
    `${s.input}: ${s.format}${s.gzip ? '+gzip' : ''}, ${fmtInt(s.records)} records → ${fmtInt(s.services)} services ` +
      `(${fmtInt(s.stored)} stored, ${fmtInt(s.alreadyImported)} already imported) in ${s.batches} batch(es), ${s.seconds.toFixed(1)} s (${fmtInt(rate)} records/s)`,
    `  import id / 取り込みID: ${s.importId}`,
  ];
  const skipped = Object.entries(s.skipped);
  if (skipped.length > 0) out.push(`  skipped / 対象外: ${skipped.map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ')}`);
  if (s.errors > 0) {
    const shown = s.firstErrors.slice(0, 10);
    out.push(`  errors / エラー: ${fmtInt(s.errors)}${s.errors > shown.length ? ` (first ${shown.length} shown)` : ''}`);
    for (const e of shown) out.push(`    line ${e.line}: ${e.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** One line on stderr when it is a terminal. */
class Progress {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = Date.now();
  constructor(private readonly label: string) {}
  update(bytes: number, records: number, rows: number): void {
    const now = Date.now();
    if (!this.tty || now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    process.stderr.write(`\r${this.label.slice(-30).padEnd(30)} ${(bytes / 1e6).toFixed(1)} MB  ${fmtInt(records)} records  ${fmtInt(rows)} services  ${fmtInt(secs > 0 ? records / secs : 0)}/s  `);
  }
  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
}
