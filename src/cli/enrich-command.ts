import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { importEnrichment } from '../enrich/index.js';

export function registerEnrich(program: Command): void {
  const enrich = program.command('enrich').description('IP → ASN, organisation, country tables');
  enrich
    .command('import')
    .description('import a CSV range file (ip-location-db/iptoasn), a RouteViews pfx2as file or an MMDB file')
    .argument('<file>', 'file to import')
    .option('--format <format>', 'csv | iptoasn | pfx2as | mmdb (default: detected)')
    .option('--layer <layer>', 'asn | country | auto', 'auto')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { format?: 'csv' | 'iptoasn' | 'pfx2as' | 'mmdb'; layer?: 'asn' | 'country' | 'auto'; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const summary = await importEnrichment(config.dataDir, file, { format: opts.format, layer: opts.layer });
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${file}: imported ${JSON.stringify(summary)}\n`);
      void fmtInt;
    });
}
