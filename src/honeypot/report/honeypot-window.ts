/**
 * The window of `report honeypot` when none is given: the UTC day of the last honeypot event, as
 * the darknet report's default is the last day with darknet data. A honeypot whose clock jumped
 * into the future must not move the default away from real data: events stamped more than a day
 * after now are not taken as "the last".
 */
import type { EventsStore } from '../../store/types.js';
import { parseWindow, type TimeWindow } from '../../analyze/time-window.js';

const DAY = 86_400_000;

export async function defaultHoneypotWindow(events: EventsStore, nowMs = Date.now()): Promise<TimeWindow> {
  const [r] = await events.query<{ last: number | string | null }>(
    `SELECT if(count() = 0, NULL, toUnixTimestamp64Milli(max(ts))) AS last FROM honeypot_events
      WHERE ts < fromUnixTimestamp64Milli({limit:Int64}, 'UTC')`,
    { limit: nowMs + DAY },
  );
  const last = r?.last === null || r?.last === undefined ? nowMs : Number(r.last);
  const from = Math.floor(last / DAY) * DAY;
  return { from: new Date(from), to: new Date(from + DAY) };
}

/** `--from`/`--to` as given, else the default window. */
export async function honeypotWindow(events: EventsStore, from?: string, to?: string): Promise<TimeWindow> {
  return parseWindow(from, to, from ? { from: new Date(0), to: new Date(0) } : await defaultHoneypotWindow(events));
}
