import type { TimePoint } from '../../api.js';

/** A window of whole UTC days: `from` and `to` are `YYYY-MM-DD`, both included. */
export interface DayWindow { from: string; to: string }

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const dayCount = (w: DayWindow): number => Math.round((Date.parse(`${w.to}T00:00:00Z`) - Date.parse(`${w.from}T00:00:00Z`)) / 86_400_000) + 1;

/** The instants the API takes: the start of `from` and the end (exclusive) of `to`, ISO 8601 UTC. */
export function isoWindow(w: DayWindow): { from: string; to: string } {
  return { from: `${w.from}T00:00:00Z`, to: `${addDays(w.to, 1)}T00:00:00Z` };
}

/** The last day with data from `/darknet/range` (whose `last` may be the exclusive end of the last hour). */
export function lastDay(last: string): string {
  return new Date(Date.parse(last) - 1).toISOString().slice(0, 10);
}

export function firstDay(first: string): string {
  return new Date(Date.parse(first)).toISOString().slice(0, 10);
}

/** Hourly up to a week, daily beyond. */
export const stepFor = (w: DayWindow): number => (dayCount(w) <= 7 ? 3600 : 86_400);

/** Every bucket of the window, zero where the API sent no point (hours with no packets). */
export function fillBuckets(w: DayWindow, step: number, points: TimePoint[]): TimePoint[] {
  const { from, to } = isoWindow(w);
  const byT = new Map(points.map((p) => [Math.floor(Date.parse(p.t) / 1000 / step) * step, p]));
  const out: TimePoint[] = [];
  for (let s = Date.parse(from) / 1000; s < Date.parse(to) / 1000; s += step) {
    const p = byT.get(s);
    out.push({ t: new Date(s * 1000).toISOString(), packets: p?.packets ?? 0, sources: p?.sources ?? 0 });
  }
  return out;
}
