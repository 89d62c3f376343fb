/**
 * The darknet report of every kind of window the console offers (one hour, six hours, a day and
 * a half, a whole day, all days), computed and as the API serves it (a whole UTC day from the
 * stored daily report) on a store of synthetic days (default 20M + 20M + 10M packets:
 * 50M), beside the exact distinct sources of the same window counted from the raw packets
 * (`uniqExact(src)`, the peer), and beside the report counted by days (what 0.1.0 did: wrong for
 * a window that is not whole days). Each report's sources must equal the raw packets' count.
 *
 *   node dist/bench/report-windows.js [--packets 20000000,20000000,10000000] [--runs 5] [--dir bench/out]
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { argValue, emit, median } from './lib.js';
import { synthDarknetToFile } from '../src/synth/index.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { ingestDarknetFiles } from '../src/ingest/darknet-ingest.js';
import { darknetReport } from '../src/analyze/darknet-report.js';
import { figuresByDays } from '../src/analyze/report-by-days.js';
import { reportFor } from '../src/analyze/day-reports.js';
import { chTime } from '../src/store/events/sql-helpers.js';

const perDay = argValue('packets', '20000000,20000000,10000000').split(',').map(Number);
const runs = Number(argValue('runs', '5'));
const dir = resolve(argValue('dir', 'bench/out'));
const data = join(dir, `windows-data-${perDay.join('-')}`);
mkdirSync(dir, { recursive: true });

const first = Date.UTC(2026, 11, 3);
const H = 3_600_000;
const dayOf = (i: number): string => new Date(first + i * 86_400_000).toISOString().slice(0, 10);
const config = configSchema.parse({ dataDir: data });
const ctx = await openContext(config);
try {
  if (!existsSync(join(data, 'ready'))) {
    let synthSeconds = 0;
    let ingestSeconds = 0;
    for (const [i, packets] of perDay.entries()) {
      const file = join(dir, `windows-day-${i}.pcap`);
      let t = Date.now();
      // The same population every day (seed): many sources come back, as in a real telescope.
      await synthDarknetToFile({ date: dayOf(i), seed: 7, packets }, file);
      synthSeconds += (Date.now() - t) / 1000;
      t = Date.now();
      await ingestDarknetFiles(
        { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
        [file], { sensor: config.sensor, batchSize: config.darknet.batchSize },
      );
      ingestSeconds += (Date.now() - t) / 1000;
      rmSync(file);
    }
    emit({ bench: 'report-windows-setup', packets: perDay.reduce((a, b) => a + b, 0), synthSeconds, ingestSeconds });
    writeFileSync(join(data, 'ready'), '');
  }
  const [stored] = await ctx.events.query<{ n: number }>('SELECT count() AS n FROM darknet_packets');
  const end = first + perDay.length * 86_400_000;
  const windows: Record<string, { from: Date; to: Date }> = {
    hour: { from: new Date(first + 30 * H), to: new Date(first + 31 * H) },
    sixHours: { from: new Date(first + 30 * H), to: new Date(first + 36 * H) },
    dayAndHalf: { from: new Date(first + 12 * H), to: new Date(first + 48 * H) },
    day: { from: new Date(first + 24 * H), to: new Date(first + 48 * H) },
    all: { from: new Date(first), to: new Date(end) },
  };
  for (const [name, w] of Object.entries(windows)) {
    const reportMs: number[] = [];
    const servedMs: number[] = [];
    const rawMs: number[] = [];
    const daysMs: number[] = [];
    let sources = 0;
    let raw = 0;
    let byDays = 0;
    for (let r = 0; r < runs; r++) {
      let t = process.hrtime.bigint();
      sources = (await darknetReport(ctx.report, w)).sources;
      reportMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      // As the API serves it: a whole UTC day from the stored daily report (made by the first call).
      t = process.hrtime.bigint();
      await reportFor({ report: ctx.report, state: ctx.state }, w);
      servedMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const [x] = await ctx.events.query<{ n: number }>(
        'SELECT uniqExact(src) AS n FROM darknet_packets WHERE ts >= {from:DateTime64(6)} AND ts < {to:DateTime64(6)}',
        { from: chTime(w.from), to: chTime(w.to) },
      );
      rawMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      raw = Number(x?.n);
      if (r < 2) {
        t = process.hrtime.bigint();
        byDays = (await figuresByDays(ctx.report, w)).sources;
        daysMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }
    emit({
      bench: 'report-windows', window: name, storedPackets: Number(stored?.n), runs,
      reportMedianMs: median(reportMs), servedMedianMs: median(servedMs), sources, rawUniqExactMedianMs: median(rawMs), rawSources: raw, exact: sources === raw,
      byDaysMedianMs: median(daysMs), byDaysSources: byDays,
    });
  }
} finally {
  await ctx.close();
}
