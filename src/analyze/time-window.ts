import { SakimoriError } from '../errors.js';

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** Parses `from`/`to` (ISO or YYYY-MM-DD); `to` defaults to `from` + 1 day. */
export function parseWindow(from: string | undefined, to: string | undefined, fallback: TimeWindow): TimeWindow {
  const f = from ? parseTime(from, 'from') : fallback.from;
  const t = to ? parseTime(to, 'to') : from ? new Date(f.getTime() + 86_400_000) : fallback.to;
  if (t.getTime() <= f.getTime()) throw new SakimoriError('BAD_TIME', '`to` must be after `from`', { from: f.toISOString(), to: t.toISOString() });
  return { from: f, to: t };
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
