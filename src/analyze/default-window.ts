import type { EventsStore } from '../store/types.js';
import { darknetRange } from './darknet-report.js';
import type { TimeWindow } from './time-window.js';

/** The last day with data, as the default window. */
export async function defaultWindow(ctx: { events: EventsStore }): Promise<TimeWindow> {
  const r = await darknetRange(ctx.events);
  const end = r.last ? new Date(r.last) : new Date();
  const from = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()));
  if (from.getTime() === end.getTime()) from.setUTCDate(from.getUTCDate() - 1);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}
