import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configFrom, fmtInt } from './common.js';
import { synthDarknetToFile, synthEnrichmentRows } from '../synth/index.js';
import { importEnrichment } from '../enrich/index.js';
import { openContext } from '../app/context.js';
import { ingestDarknetFiles } from '../ingest/darknet-ingest.js';
import { serve } from './serve-command.js';
import { yesterday } from '../synth/options.js';
import { refreshDays } from '../analyze/day-reports.js';
import { touchedDays } from './ingest-command.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('synthesize a day of darknet traffic, ingest it and serve the console')
    .option('--packets <n>', 'packets in the day', (v) => Number(v), 2_000_000)
    .option('--date <day>', 'UTC day (default yesterday)')
    .option('--port <port>', 'port', (v) => Number(v), 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { packets: number; date?: string; port: number; host: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<{ data?: string }>();
      const dataDir = resolve(g.data ?? './sakimori-demo');
      const config = configFrom(cmd, { dataDir, server: { port: opts.port, host: opts.host }, log: { level: 'warn' } });
      const date = opts.date ?? yesterday();
      const work = join(dataDir, 'demo-input');
      await mkdir(work, { recursive: true });
      const pcap = join(work, `darknet-${date}-${opts.packets}.pcap.gz`);
      const say = (s: string): void => { process.stdout.write(`${s}\n`); };
      if (!existsSync(join(dataDir, 'enrich', 'manifest.json'))) {
        const rows = synthEnrichmentRows({ seed: 1 });
        await writeFile(join(work, 'asn.csv'), rows.asn);
        await writeFile(join(work, 'country.csv'), rows.country);
        await importEnrichment(dataDir, join(work, 'asn.csv'), { format: 'csv', layer: 'asn' });
        await importEnrichment(dataDir, join(work, 'country.csv'), { format: 'csv', layer: 'country' });
        say('imported synthetic enrichment tables (ASN, country)');
      }
      if (!existsSync(pcap)) {
        say(`synthesizing ${fmtInt(opts.packets)} packets of darknet traffic for ${date} …`);
        await synthDarknetToFile({ packets: opts.packets, date, seed: 1, gzip: true, truthPath: `${pcap}.truth.json` }, pcap);
      }
      const ctx = await openContext(config);
      try {
        const [r] = await ingestDarknetFiles(
          { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
          [pcap],
          { sensor: config.sensor, batchSize: config.darknet.batchSize },
        );
        if (r?.status === 'failed') throw new Error(r.error?.message);
        await refreshDays({ report: ctx.report, state: ctx.state }, touchedDays(r ? [r] : []));
        say(r?.status === 'already-ingested' ? 'demo data already ingested' : `ingested ${fmtInt(r?.newPackets ?? 0)} packets`);
      } finally {
        await ctx.close();
      }
      await serve(config);
    });
}
