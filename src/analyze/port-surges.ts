import type { EventsStore } from '../store/types.js';
import { chTime, protoName } from '../store/events/sql-helpers.js';
import type { TimeWindow } from './time-window.js';

export interface SurgeThresholds {
  baselineHours: number;
  factor: number;
  minPackets: number;
}

export interface PortSurge {
  proto: string;
  port: number;
  /** Start of the hour that surged (ISO). */
  bucket: string;
  packets: number;
  /** Median packets per hour over the preceding baseline hours (missing hours count as 0). */
  baseline: number;
  ratio: number;
}

/**
 * Port surges: hours in which a port received at least `factor` times its baseline — the median
 * of the preceding hours — and at least `minPackets`. A median is not moved by one earlier burst.
 */
export async function findPortSurges(events: EventsStore, t: SurgeThresholds, w: TimeWindow): Promise<PortSurge[]> {
  const rows = await events.query<{ proto: number; port: number; h: number; packets: number }>(
    `SELECT proto, port, toUnixTimestamp(hour) AS h, sum(packets) AS packets
     FROM darknet_port_hour
     WHERE hour >= toStartOfHour({from:DateTime64(6)}) - toIntervalHour({base:UInt32}) AND hour < {to:DateTime64(6)}
       AND (proto, port) IN (SELECT proto, port FROM darknet_port_hour
                             WHERE hour >= toStartOfHour({from:DateTime64(6)}) AND hour < {to:DateTime64(6)}
                             GROUP BY proto, port HAVING max(packets) >= {minPackets:UInt64})
     GROUP BY proto, port, h ORDER BY proto, port, h`,
    { from: chTime(w.from), to: chTime(w.to), base: t.baselineHours, minPackets: t.minPackets },
  );
  // Hours in which the telescope saw anything: a baseline needs the telescope to have been on.
  const active = new Set(
    (await events.query<{ h: number }>(
      `SELECT DISTINCT toUnixTimestamp(hour) AS h FROM darknet_hourly
       WHERE hour >= toStartOfHour({from:DateTime64(6)}) - toIntervalHour({base:UInt32}) AND hour < {to:DateTime64(6)}`,
      { from: chTime(w.from), to: chTime(w.to), base: t.baselineHours },
    )).map((r) => r.h),
  );
  const fromH = Math.floor(w.from.getTime() / 3_600_000) * 3600;
  const out: PortSurge[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i];
    if (!first) break;
    const byHour = new Map<number, number>();
    let j = i;
    for (; j < rows.length && rows[j]?.proto === first.proto && rows[j]?.port === first.port; j++) {
      const r = rows[j];
      if (r) byHour.set(r.h, (byHour.get(r.h) ?? 0) + r.packets);
    }
    for (const [h, packets] of byHour) {
      if (h < fromH || packets < t.minPackets) continue;
      const prev: number[] = [];
      let covered = 0;
      for (let k = 1; k <= t.baselineHours; k++) {
        prev.push(byHour.get(h - k * 3600) ?? 0);
        if (active.has(h - k * 3600)) covered++;
      }
      if (covered * 2 < t.baselineHours) continue; // not enough history to call it a surge
      const baseline = median(prev);
      if (packets >= t.factor * Math.max(baseline, 1)) {
        out.push({ proto: protoName(first.proto), port: first.port, bucket: new Date(h * 1000).toISOString(), packets, baseline, ratio: packets / Math.max(baseline, 1) });
      }
    }
    i = j;
  }
  return out.sort((a, b) => b.ratio - a.ratio || b.packets - a.packets).slice(0, 50);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}
