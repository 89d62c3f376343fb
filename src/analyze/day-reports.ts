import { createHash } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { appliesToOf } from '../classify/fingerprints.js';
import { darknetReport, darknetTimeseries, type DarknetReport, type ReportDeps, type TimePoint } from './darknet-report.js';
import type { TimeWindow } from './time-window.js';

/**
 * Reports for whole UTC days, kept in the state store and keyed by the data version (the
 * committed ingest batches and the settings that shape a report). The dashboard's day view and
 * `report darknet` for a day then answer from here; any other window is computed directly.
 */
export interface DayReportDeps {
  report: ReportDeps;
  state: StateStore;
}

type Kind = 'report' | 'timeseries';
type Timeseries = { step: number; points: TimePoint[] };

/** 'YYYY-MM-DD' when the window is exactly one UTC day. */
export function wholeDay(w: TimeWindow): string | undefined {
  const f = w.from.getTime();
  return f % 86_400_000 === 0 && w.to.getTime() - f === 86_400_000 ? w.from.toISOString().slice(0, 10) : undefined;
}

export function dayWindow(day: string): TimeWindow {
  const from = new Date(`${day}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

export async function dataVersion(deps: DayReportDeps): Promise<string> {
  const [r] = await deps.state.query<{ n: number; last: string | null }>(
    'SELECT count(*)::bigint AS n, max(committed_at)::text AS last FROM ingest_batches',
  );
  const d = deps.report.config.darknet;
  const settings = createHash('sha256')
    .update(JSON.stringify([d.iotPorts, d.dos, d.surge, deps.report.fingerprints.map((f) => [f.name, f.bit, f.test, appliesToOf(f), f.minShare, f.validFrom, f.validTo])]))
    .digest('hex')
    .slice(0, 16);
  return `${r?.n ?? 0}:${r?.last ?? ''}:${settings}`;
}

async function cached<T>(deps: DayReportDeps, day: string, kind: Kind, compute: () => Promise<T>, version?: string): Promise<T> {
  const v = version ?? (await dataVersion(deps));
  const [hit] = await deps.state.query<{ body: T }>(
    'SELECT body FROM darknet_day_reports WHERE day = $1 AND kind = $2 AND data_version = $3',
    [day, kind, v],
  );
  if (hit) return hit.body;
  const started = Date.now();
  const body = await compute();
  await deps.state.query(
    `INSERT INTO darknet_day_reports (day, kind, data_version, body, compute_ms) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (day, kind) DO UPDATE SET data_version = EXCLUDED.data_version, body = EXCLUDED.body,
       computed_at = now(), compute_ms = EXCLUDED.compute_ms`,
    [day, kind, v, JSON.stringify(body), Date.now() - started],
  );
  return body;
}

export function dayReport(deps: DayReportDeps, day: string, version?: string): Promise<DarknetReport> {
  return cached(deps, day, 'report', () => darknetReport(deps.report, dayWindow(day)), version);
}

export function dayTimeseries(deps: DayReportDeps, day: string, version?: string): Promise<Timeseries> {
  return cached(deps, day, 'timeseries', () => darknetTimeseries(deps.report.events, dayWindow(day), 3600), version);
}

/** A report for any window: from the day store for whole days, computed otherwise. */
export async function reportFor(deps: DayReportDeps, w: TimeWindow): Promise<DarknetReport> {
  const day = wholeDay(w);
  return day ? dayReport(deps, day) : darknetReport(deps.report, w);
}

export async function timeseriesFor(deps: DayReportDeps, w: TimeWindow, step: number): Promise<Timeseries> {
  const day = wholeDay(w);
  return day && step === 3600 ? dayTimeseries(deps, day) : darknetTimeseries(deps.report.events, w, step);
}

/** Recomputes the stored reports of the given days (after an ingest touched them). */
export async function refreshDays(deps: DayReportDeps, days: readonly string[]): Promise<void> {
  const version = await dataVersion(deps);
  for (const day of days) {
    await dayReport(deps, day, version);
    await dayTimeseries(deps, day, version);
  }
}

/** The UTC days between two capture timestamps (µs), inclusive. */
export function daysBetween(firstMicros: number, lastMicros: number): string[] {
  const out: string[] = [];
  const first = Math.floor(firstMicros / 86_400_000_000);
  const last = Math.floor(lastMicros / 86_400_000_000);
  for (let d = first; d <= last && out.length < 366; d++) out.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
  return out;
}
