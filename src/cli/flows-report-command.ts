/** `sakimori report flows`: what was collected in a window, by kind and exporter. */
import type { Command } from 'commander';
import { configFrom, definedParams, fmtInt, pad } from './common.js';
import { getJson, viaStoresOrServer } from './with-context.js';
import type { FlowReport } from '../flows/report/flow-report.js';

export function registerFlowsReport(report: Command): void {
  report
    .command('flows')
    .description('flow records collected in a window: totals (as exported and scaled by sampling), by kind, by exporter with loss')
    .option('--from <time>', 'start, ISO 8601 or YYYY-MM-DD (UTC); default: the 24 hours up to the last hour with flows')
    .option('--to <time>', 'end (exclusive); default from + 1 day')
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<FlowReport>(
        configFrom(cmd),
        async (ctx) => {
          const f = await import('../flows/report/flow-report.js');
          return f.flowReport(ctx, await f.flowWindow(ctx.events, opts.from, opts.to));
        },
        (url) => getJson(`${url}api/v1/flows/report?${definedParams({ from: opts.from, to: opts.to })}`),
      );
      process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : printable(r));
    });
}

const bytes = (n: number): string => (n >= 1e12 ? `${(n / 1e12).toFixed(2)} TB` : n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${fmtInt(n)} B`);

export function printable(r: FlowReport): string {
  const out: string[] = [];
  out.push(`Flow report ${r.from} – ${r.to}`);
  out.push(`  records ${fmtInt(r.records)}   octets ${bytes(r.octets)}   packets ${fmtInt(r.packets)}   (as exported)`);
  if (r.reverseOctets > 0 || r.reversePackets > 0) out.push(`  reverse direction of biflows: octets ${bytes(r.reverseOctets)}   packets ${fmtInt(r.reversePackets)}`);
  out.push(`  scaled by sampling: octets ${bytes(r.scaledOctets)}   packets ${fmtInt(r.scaledPackets)}`);
  const kinds = Object.entries(r.byVersion);
  out.push(`  by kind: ${kinds.length ? kinds.map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ') : 'none'}`);
  if (r.exporters.length) {
    out.push('  exporters:');
    out.push(`    ${pad('address', 40)} ${pad('domain', 10, true)} ${pad('records', 14, true)} ${pad('datagrams', 12, true)} ${pad('lost', 10, true)}  sampling  protocols`);
    for (const e of r.exporters) {
      out.push(`    ${pad(e.address, 40)} ${pad(String(e.domain), 10, true)} ${pad(fmtInt(e.records), 14, true)} ${pad(fmtInt(e.datagrams), 12, true)} ${pad(fmtInt(e.lost), 10, true)}  ${pad(e.samplingRates.join('/') || '-', 8)}  ${e.protocols.join(', ')}${e.restarts ? ` (${e.restarts} restarts)` : ''}`);
    }
  } else out.push('  exporters: none');
  return `${out.join('\n')}\n`;
}
