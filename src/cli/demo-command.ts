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
import { StageProgress } from './progress.js';
import { demoStory, storyStart } from './demo-story.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('synthesize a day of darknet traffic, ingest it, tell a few synthetic organisations about their hosts over five synthetic weeks, and serve the console')
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
      const p = new StageProgress();
      if (!existsSync(join(dataDir, 'enrich', 'manifest.json'))) {
        p.start('enrichment: importing synthetic ASN and country tables');
        const rows = synthEnrichmentRows({ seed: 1 });
        await writeFile(join(work, 'asn.csv'), rows.asn);
        await writeFile(join(work, 'country.csv'), rows.country);
        await importEnrichment(dataDir, join(work, 'asn.csv'), { format: 'csv', layer: 'asn' });
        await importEnrichment(dataDir, join(work, 'country.csv'), { format: 'csv', layer: 'country' });
        p.end('imported synthetic enrichment tables (ASN, country)');
      }
      if (!existsSync(pcap)) {
        p.start(`synthesis: ${fmtInt(opts.packets)} packets of darknet traffic for ${date}`);
        await synthDarknetToFile({ packets: opts.packets, date, seed: 1, gzip: true, truthPath: `${pcap}.truth.json` }, pcap);
        p.end(`synthesized ${fmtInt(opts.packets)} packets`);
      }
      p.start('opening the stores');
      const ctx = await openContext(config);
      p.end('stores open');
      try {
        p.start('ingest: decoding, classifying and storing the packets');
        const [r] = await ingestDarknetFiles(
          { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
          [pcap],
          { sensor: config.sensor, batchSize: config.darknet.batchSize, retentionDays: config.darknet.retentionDays, onProgress: (x) => p.tick(x.packets, opts.packets, 'packets') },
        );
        if (r?.status === 'failed') throw new Error(r.error?.message);
        p.end(r?.status === 'already-ingested' ? 'demo data already ingested' : `ingested ${fmtInt(r?.newPackets ?? 0)} packets`);
        p.start('reports: the day\'s darknet report');
        await refreshDays({ report: ctx.report, state: ctx.state }, touchedDays(r ? [r] : []));
        p.end('darknet report ready');
        const surveyDay = storyStart(date);
        p.start(`survey: services of hosts seen in the darknet (first survey ${surveyDay})`);
        p.end(`stored ${fmtInt(await demoExposure(ctx, date, surveyDay))} service observations`);
        p.start('cases: organisations, contacts and weekly notification rounds');
        const story = await demoStory(ctx, date, (what) => p.note(what));
        p.end(story.told
          ? `${fmtInt(story.organisations)} organisations, ${fmtInt(story.contacts)} abuse contacts; ${fmtInt(story.rounds)} rounds sent ${fmtInt(story.messages)} messages to the outbox; ${fmtInt(story.cases)} cases, ${fmtInt(story.resolved)} resolved`
          : `already told: ${fmtInt(story.cases)} cases, ${fmtInt(story.resolved)} resolved, ${fmtInt(story.messages)} messages in the outbox`);
        p.start("sharing: the day's scanners as STIX indicators (TLP:GREEN)");
        const shared = await (await import('./demo-share.js')).demoShare(ctx, date);
        p.end(`${fmtInt(shared.stored)} objects stored in the collection "${shared.collection}" (${fmtInt(shared.indicators)} new or changed indicators)`);
        p.start('flows: a small synthetic ISP for the flow pages');
        const flows = await (await import('./demo-flows.js')).demoFlows(ctx, date);
        p.end(flows.already ? `flows already stored (${fmtInt(flows.records)} records)` : `stored ${fmtInt(flows.records)} flow records`);
        p.start('honeypots: a synthetic honeypot day (telnet bots, SSH brute-forcers, ICS probes)');
        const honey = await (await import('./demo-honeypot.js')).demoHoneypot(ctx, date);
        p.end(honey.already ? `honeypot events already stored (${fmtInt(honey.events)})` : `stored ${fmtInt(honey.events)} honeypot events (${fmtInt(honey.bots)} bots from the darknet day and the organisations)`);
        p.start('campaigns: honeypot attackers tied by what they share, and the cases of infected devices');
        const camp = await (await import('./demo-honeypot.js')).demoCampaigns(ctx, !honey.already);
        p.end(`${camp.computed ? 'computed' : 'already computed'}: ${fmtInt(camp.campaigns)} campaigns, ${fmtInt(camp.members)} members`);
      } finally {
        await ctx.close();
      }
      await serve(config, { demo: true });
    });
}

/**
 * Services for some of the day's sources, observed by a first survey on `surveyDay` (the story's
 * start): Mirai-tagged ones expose telnet with a default password.
 */
async function demoExposure(ctx: AppContext, date: string, surveyDay: string): Promise<number> {
  const bit = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai')?.bit ?? 0;
  const pickSources = async (mirai: boolean, n: number): Promise<string[]> =>
    (await ctx.events.query<{ ip: string }>(
      `SELECT ${ipText('src')} AS ip FROM darknet_source_day
       WHERE day = {d:Date} AND IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).1 <= src AND src <= IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).2
         AND ${mirai ? '' : 'NOT '}has(tag_hits.1, {bit:UInt8})
       GROUP BY src ORDER BY sum(packets) DESC LIMIT {n:UInt32}`,
      { d: date, bit, n },
    )).map((r) => r.ip);
  const rows = demoExposureRows({ mirai: await pickSources(true, 150), other: await pickSources(false, 350) }, surveyDay);
  return writeServices(ctx.events, ctx.enricher, rows, { dedupToken: `demo-exposure-${surveyDay}`, postProcessors: await buildServicePostProcessors(ctx.state) });
}
