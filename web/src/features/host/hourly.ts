import type { Host } from '../../api.js';

const HOUR_MS = 3_600_000;

/** The host's hours from the first to the last with packets, the quiet ones as zero, so that the axis is time. */
export function hourSeries(hourly: Host['hourly']): { hour: string; packets: number; backscatter: number }[] {
  if (hourly.length === 0) return [];
  const by = new Map(hourly.map((h) => [Date.parse(h.hour), h]));
  const first = Date.parse(hourly[0]?.hour ?? '');
  const last = Date.parse(hourly[hourly.length - 1]?.hour ?? '');
  const out: { hour: string; packets: number; backscatter: number }[] = [];
  for (let t = first; t <= last; t += HOUR_MS) {
    const h = by.get(t);
    out.push({ hour: new Date(t).toISOString(), packets: h?.packets ?? 0, backscatter: h?.backscatter ?? 0 });
  }
  return out;
}
