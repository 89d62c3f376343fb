/**
 * An ingest of darknet captures as `sakimori ingest darknet` runs it, on the stores or inside a
 * running server: merges paused while it runs, then the daily reports of the days it touched, so
 * the dashboard answers at once. One way for both, so both answer alike.
 */
import type { AppContext } from './context.js';
import { ingestDarknetFiles, type FileResult } from '../ingest/darknet-ingest.js';
import { ingestMetrics } from '../ingest/ingest-metrics.js';
import { MergePause } from '../store/events/merge-pause.js';
import { daysBetween, refreshDays } from '../analyze/day-reports.js';

export interface IngestProgress { file: string; bytes: number; size?: number; packets: number }

export interface DarknetIngestRun {
  seconds: number;
  files: FileResult[];
  dailyReports?: { days: string[]; seconds: number };
}

export async function ingestDarknetRun(
  ctx: AppContext, files: readonly string[], opts: { sensor: string; batchSize: number; onProgress?: (p: IngestProgress) => void },
): Promise<DarknetIngestRun> {
  const started = Date.now();
  // Merges wait until the daily reports are made too: those read the fresh parts twice as fast
  // without merges competing for the two cores.
  const merges = new MergePause(ctx.events);
  try {
    await merges.begin();
    const results = await ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: ctx.config.darknet },
      [...files],
      { sensor: opts.sensor, batchSize: opts.batchSize, retentionDays: ctx.config.darknet.retentionDays, merges, metrics: ingestMetrics(ctx.metrics), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) },
    );
    const days = touchedDays(results);
    let dailyReports: DarknetIngestRun['dailyReports'];
    if (days.length > 0) {
      const t = Date.now();
      await refreshDays({ report: ctx.report, state: ctx.state }, days);
      dailyReports = { days, seconds: (Date.now() - t) / 1000 };
    }
    return { seconds: (Date.now() - started) / 1000, files: results, ...(dailyReports ? { dailyReports } : {}) };
  } finally {
    await merges.end().catch(() => undefined);
  }
}

/** UTC days covered by the packets this run stored. */
export function touchedDays(results: readonly FileResult[]): string[] {
  const days = new Set<string>();
  for (const r of results) {
    const c = r.capture;
    if (r.newPackets > 0 && c?.firstTsMicros !== undefined && c.lastTsMicros !== undefined) {
      for (const d of daysBetween(c.firstTsMicros, c.lastTsMicros)) days.add(d);
    }
  }
  return [...days].sort();
}
