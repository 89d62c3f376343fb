import { SakimoriError } from '../errors.js';

export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Times the darknet tables hold: their Date and DateTime columns end in 2149 and 2106 and begin
 * in 1970, and ClickHouse wraps a value outside (1950 became 2129) instead of failing.
 */
const WINDOW_MIN = Date.UTC(1970, 0, 1);
const WINDOW_MAX = Date.UTC(2106, 0, 1);

/** Parses `from`/`to` (ISO or YYYY-MM-DD); `to` defaults to `from` + 1 day. */
export function parseWindow(from: string | undefined, to: string | undefined, fallback: TimeWindow): TimeWindow {
  const f = from ? parseTime(from, 'from') : fallback.from;
  const t = to ? parseTime(to, 'to') : from ? new Date(f.getTime() + 86_400_000) : fallback.to;
  for (const [field, d] of [['from', f], ['to', t]] as const) {
    if (d.getTime() < WINDOW_MIN || d.getTime() > WINDOW_MAX) {
      // A `to` computed from `from` is the fault of `from`.
      const named = field === 'to' && !to ? 'from' : field;
      throw new SakimoriError('BAD_TIME', `${named}: times from 1970-01-01 to 2106-01-01, not ${d.toISOString()}`, { field: named });
    }
  }
  if (t.getTime() <= f.getTime()) throw new SakimoriError('BAD_TIME', '`to` must be after `from`', { from: f.toISOString(), to: t.toISOString() });
  return { from: f, to: t };
}

/**
 * The whole UTC hours that cover a window: the darknet's aggregates count by the hour, so a
 * report of 06:30–07:15 is that of 06:00–08:00, and says so.
 */
export function hourWindow(w: TimeWindow): TimeWindow {
  const H = 3_600_000;
  return { from: new Date(Math.floor(w.from.getTime() / H) * H), to: new Date(Math.ceil(w.to.getTime() / H) * H) };
}

/** Whether a window begins and ends at UTC midnights (the per-day tables answer it). */
export function isWholeDays(w: TimeWindow): boolean {
  return w.from.getTime() % 86_400_000 === 0 && w.to.getTime() % 86_400_000 === 0;
}

export function parseTime(s: string, field: string): Date {
  const v = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new SakimoriError('BAD_TIME', `cannot read '${s}'`, { field });
  return d;
}

export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}
