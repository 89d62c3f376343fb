/**
 * Port surges over several stored days: how long judging a window takes (an hour, a day, a week)
 * beside the whole darknet report of that window, on synthetic days of the default mixture with
 * a few injected surges (which must be found).
 *
 *   node dist/bench/surges.js [--days 8] [--packets 1000000] [--runs 11] [--dir bench/out]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { argValue, emit, median } from './lib.js';
import { synthDarknetToFile, type TruthSurge } from '../src/synth/index.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { ingestDarknetFiles } from '../src/ingest/darknet-ingest.js';
import { findPortSurges } from '../src/analyze/port-surges.js';
import { darknetReport } from '../src/analyze/darknet-report.js';

const days = Number(argValue('days', '8'));
const packets = Number(argValue('packets', '1000000'));
const runs = Number(argValue('runs', '11'));
const dir = resolve(argValue('dir', 'bench/out'));
const data = join(dir, `surge-data-${days}x${packets}`);
mkdirSync(dir, { recursive: true });

const first = Date.UTC(2026, 0, 1);
const dayOf = (i: number): string => new Date(first + i * 86_400_000).toISOString().slice(0, 10);
const config = configSchema.parse({ dataDir: data });
const ctx = await openContext(config);
try {
  if (!existsSync(join(data, 'ready'))) {
    const files: string[] = [];
    const truth: TruthSurge[] = [];
    const started = Date.now();
    for (let i = 0; i < days; i++) {
      const file = join(dir, `surge-day-${packets}-${i}.pcap`);
      // One surge a day after the first, on a port the mixture probes little, at a changing hour.
      const surges = i === 0 ? [] : [{ proto: 'tcp' as const, port: 9000 + i, hour: (5 * i) % 24, packets: Math.max(500, Math.round(packets / 500)) }];
      truth.push(...(await synthDarknetToFile({ date: dayOf(i), seed: 40 + i, packets, surges }, file)).surges);
      files.push(file);
    }
    const synthSeconds = (Date.now() - started) / 1000;
    const t = Date.now();
    await ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
      files, { sensor: config.sensor, batchSize: config.darknet.batchSize },
    );
    emit({ bench: 'surges-setup', days, packetsPerDay: packets, synthSeconds, ingestSeconds: (Date.now() - t) / 1000 });
    writeFileSync(join(data, 'ready'), JSON.stringify(truth));
  }
  const injected = JSON.parse(readFileSync(join(data, 'ready'), 'utf8')) as TruthSurge[];
  const last = first + (days - 1) * 86_400_000;
  const windows = {
    hour: { from: new Date(last + 12 * 3_600_000), to: new Date(last + 13 * 3_600_000) },
    day: { from: new Date(last), to: new Date(last + 86_400_000) },
    week: { from: new Date(last - 6 * 86_400_000), to: new Date(last + 86_400_000) },
  };
  for (const [name, w] of Object.entries(windows)) {
    const surgeMs: number[] = [];
    const reportMs: number[] = [];
    let listed: string[] = [];
    for (let r = 0; r < runs; r++) {
      let t = process.hrtime.bigint();
      const s = await findPortSurges(ctx.events, config.darknet.surge, w);
      surgeMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      listed = s.surges.map((x) => `${x.proto}/${x.port}@${Date.parse(x.bucket)}`);
      t = process.hrtime.bigint();
      await darknetReport(ctx.report, w);
      reportMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const due = injected.filter((t) => Date.parse(t.hour) >= w.from.getTime() && Date.parse(t.hour) < w.to.getTime());
    const found = due.filter((t) => listed.includes(`${t.proto}/${t.port}@${Date.parse(t.hour)}`)).length;
    emit({
      bench: 'surges', window: name, days, packetsPerDay: packets, runs, surgesMedianMs: median(surgeMs), reportMedianMs: median(reportMs),
      surgesListed: listed.length, injectedInWindow: due.length, injectedFound: found,
    });
  }
} finally {
  await ctx.close();
}
