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
import { demoExposureRows } from '../synth/demo-exposure.js';
import { writeServices } from '../services/service-writer.js';
import { buildServicePostProcessors } from '../services/post-process.js';
import { ipText } from '../store/events/sql-helpers.js';
import type { AppContext } from '../app/context.js';

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
          { sensor: config.sensor, batchSize: config.darknet.batchSize, retentionDays: config.darknet.retentionDays },
        );
        if (r?.status === 'failed') throw new Error(r.error?.message);
        await refreshDays({ report: ctx.report, state: ctx.state }, touchedDays(r ? [r] : []));
        say(r?.status === 'already-ingested' ? 'demo data already ingested' : `ingested ${fmtInt(r?.newPackets ?? 0)} packets`);
        say(`stored ${fmtInt(await demoExposure(ctx, date))} service observations for hosts seen in the darknet (survey demo)`);
        const cases = await demoCases(ctx);
        say(`opened ${fmtInt(cases.opened)} notification cases (${fmtInt(cases.findings)} findings; demo ISPs registered for the busiest origin ASes)`);
      } finally {
        await ctx.close();
      }
      await serve(config);
    });
}

/** Registers the three origin ASes with the most exposed services as demo ISPs, then builds cases. */
async function demoCases(ctx: AppContext): Promise<{ opened: number; findings: number }> {
  const { createOrg, addAsns } = await import('../orgs/org-store.js');
  const { buildCases } = await import('../cases/build-cases.js');
  const top = await ctx.events.query<{ asn: number; org: string }>(
    "SELECT asn, any(org) AS org FROM services_current FINAL WHERE asn != 0 GROUP BY asn ORDER BY count() DESC, asn LIMIT 3",
  );
  for (const [i, t] of top.entries()) {
    const name = `Demo ISP ${i + 1}${t.org ? ` (${t.org})` : ''}`;
    const exists = await ctx.state.query('SELECT 1 FROM organisations WHERE name = $1', [name]);
    if (exists.length) continue;
    const o = await createOrg(ctx.state, { name, kind: 'isp', country: 'JP', emails: [`abuse@demo-isp${i + 1}.example`] });
    await addAsns(ctx.state, o.id, [String(t.asn)]);
  }
  return buildCases(ctx);
}

/** Services for some of the day's sources: Mirai-tagged ones expose telnet with a default password. */
async function demoExposure(ctx: AppContext, date: string): Promise<number> {
  const bit = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai')?.bit ?? 0;
  const pickSources = async (mirai: boolean, n: number): Promise<string[]> =>
    (await ctx.events.query<{ ip: string }>(
      `SELECT ${ipText('src')} AS ip FROM darknet_source_day
       WHERE day = {d:Date} AND IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).1 <= src AND src <= IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).2
         AND ${mirai ? '' : 'NOT '}has(tag_hits.1, {bit:UInt8})
       GROUP BY src ORDER BY sum(packets) DESC LIMIT {n:UInt32}`,
      { d: date, bit, n },
    )).map((r) => r.ip);
  const rows = demoExposureRows({ mirai: await pickSources(true, 40), other: await pickSources(false, 120) }, date);
  return writeServices(ctx.events, ctx.enricher, rows, { dedupToken: `demo-exposure-${date}`, postProcessors: await buildServicePostProcessors(ctx.state) });
}
