import type { EventsStore } from '../store/types.js';
import { chTime, protoName } from '../store/events/sql-helpers.js';
import { log10CountUpperTail } from '../util/count-tails.js';
import type { TimeWindow } from './time-window.js';

export interface SurgeThresholds {
  /** How far back the history of an hour reaches (hours). */
  baselineHours: number;
  /** Hours of that span in which the telescope received, needed before an hour is judged. */
  minHistoryHours: number;
  /** Minimum effect: packets ≥ factor × the baseline mean. */
  factor: number;
  minPackets: number;
  /** Largest chance P[X ≥ packets] under the baseline that still counts as a surge. */
  maxPValue: number;
}

export interface PortSurge {
  proto: string;
  port: number;
  /** Start of the hour that surged (ISO). */
  bucket: string;
  packets: number;
  /** Mean packets per hour over the history: hours in which the telescope received, earlier surges left out. */
  baseline: number;
  ratio: number;
  /** log10 P[X ≥ packets] under the baseline (−12: one chance in 10¹²). */
  log10P: number;
  /** Hours of history the baseline was taken from. */
  historyHours: number;
}

/** Whether the window had the history to judge surges at all: the report says so when not. */
export interface SurgeHistory {
  /** Hours of history (with telescope data) an hour needs before it is judged. */
  hoursNeeded: number;
  /** The most hours of history any hour of the window had (up to baselineHours). */
  hoursAvailable: number;
  /** Hours of the window with data that were judged, and those that had too little history. */
  hoursJudged: number;
  hoursNotJudged: number;
}

export interface SurgeFindings { surges: PortSurge[]; history: SurgeHistory }

const HOUR = 3600;

/**
 * Port surges: hours in which a port received far more than its history makes plausible.
 *
 * The history of hour h is the hours h−B … h−1 (B = baselineHours) in which the telescope received
 * anything (darknet_hourly has a row): an hour before the data began or while the sensor was down
 * says nothing about a port, while a receiving hour without packets to the port is a real 0. An
 * hour is judged only when its history has at least `minHistoryHours` such hours (a whole day by
 * default, so the daily cycle is in it). Hours already judged surges stay out of later histories.
 *
 * With the history's counts c₁ … cₙ, mean m and sample variance s², the hour's count x is a surge when
 *   x ≥ minPackets,  x ≥ factor · max(m, 1),  and  P[X ≥ x] ≤ maxPValue,
 * where X ~ NegBin(r, p) with r = m² / (s² − m), p = r / (r + m) — the moment fit of an
 * overdispersed count, as darknet counts are (P[X ≥ x] = I_{1−p}(x, r)) — or X ~ Poisson(m) when
 * s² ≤ m. A port never seen in its history gets m = 1/n (one packet in the whole history).
 * Surges are ranked by that chance, the least likely first: a ratio alone ranks a jump from 1 to
 * 300 packets above one from 5,000 to 60,000.
 */
export async function findPortSurges(events: EventsStore, t: SurgeThresholds, w: TimeWindow): Promise<SurgeFindings> {
  const fromH = Math.floor(w.from.getTime() / 3_600_000) * HOUR;
  const toS = w.to.getTime() / 1000;
  // Hours from fromH − B on are judged (so that surges there stay out of the window's
  // histories); their own histories reach back to fromH − 2B.
  const firstJudged = fromH - t.baselineHours * HOUR;
  const params = { from: chTime(w.from), to: chTime(w.to), span: 2 * t.baselineHours, minPackets: t.minPackets };
  const active = (await events.query<{ h: number }>(
    `SELECT DISTINCT toUnixTimestamp(hour) AS h FROM darknet_hourly
     WHERE hour >= toStartOfHour({from:DateTime64(6)}) - toIntervalHour({span:UInt32}) AND hour < {to:DateTime64(6)}
     ORDER BY h`,
    params,
  )).map((r) => r.h);
  const historyOf = historyCounts(active, t.baselineHours);
  const history: SurgeHistory = { hoursNeeded: t.minHistoryHours, hoursAvailable: 0, hoursJudged: 0, hoursNotJudged: 0 };
  active.forEach((h, i) => {
    if (h < fromH || h >= toS) return;
    const n = historyOf[i] as number;
    history.hoursAvailable = Math.max(history.hoursAvailable, n);
    if (n >= t.minHistoryHours) history.hoursJudged++; else history.hoursNotJudged++;
  });
  if (history.hoursJudged === 0) return { surges: [], history };

  const rows = await events.query<{ proto: number; port: number; h: number; packets: number }>(
    `SELECT proto, port, toUnixTimestamp(hour) AS h, sum(packets) AS packets
     FROM darknet_port_hour
     WHERE hour >= toStartOfHour({from:DateTime64(6)}) - toIntervalHour({span:UInt32}) AND hour < {to:DateTime64(6)}
       AND (proto, port) IN (SELECT proto, port FROM darknet_port_hour
                             WHERE hour >= toStartOfHour({from:DateTime64(6)}) AND hour < {to:DateTime64(6)}
                             GROUP BY proto, port, hour HAVING sum(packets) >= {minPackets:UInt64})
     GROUP BY proto, port, h ORDER BY proto, port, h`,
    params,
  );
  const surges: PortSurge[] = [];
  for (const { proto, port, byHour } of groupByPort(rows)) {
    for (const s of judgePort(active, historyOf, byHour, t, firstJudged)) {
      if (s.h < fromH || s.h >= toS) continue;
      surges.push({ proto: protoName(proto), port, bucket: new Date(s.h * 1000).toISOString(), packets: s.packets, baseline: s.mean, ratio: s.packets / Math.max(s.mean, 1), log10P: s.log10P, historyHours: s.n });
    }
  }
  surges.sort((a, b) => a.log10P - b.log10P || b.packets - a.packets || a.bucket.localeCompare(b.bucket) || a.port - b.port);
  return { surges: surges.slice(0, 50), history };
}

/** For each active hour, how many active hours lie in the B hours before it. */
function historyCounts(active: readonly number[], baselineHours: number): number[] {
  const out: number[] = [];
  let lo = 0;
  for (let i = 0; i < active.length; i++) {
    const h = active[i] as number;
    while ((active[lo] as number) < h - baselineHours * HOUR) lo++;
    out.push(i - lo);
  }
  return out;
}

function* groupByPort(rows: readonly { proto: number; port: number; h: number; packets: number }[]): Generator<{ proto: number; port: number; byHour: Map<number, number> }> {
  let i = 0;
  while (i < rows.length) {
    const first = rows[i] as (typeof rows)[number];
    const byHour = new Map<number, number>();
    for (; i < rows.length && rows[i]?.proto === first.proto && rows[i]?.port === first.port; i++) {
      const r = rows[i] as (typeof rows)[number];
      byHour.set(r.h, (byHour.get(r.h) ?? 0) + Number(r.packets));
    }
    yield { proto: first.proto, port: first.port, byHour };
  }
}

interface Judged { h: number; packets: number; mean: number; n: number; log10P: number }

/**
 * One port's surges, walking its active hours in order: a sliding history of the counts of the
 * last B hours that were not surges themselves, summed exactly (integers); the variance is only
 * computed for the few hours that pass the count and effect tests.
 */
function judgePort(active: readonly number[], historyOf: readonly number[], byHour: ReadonlyMap<number, number>, t: SurgeThresholds, firstJudged: number): Judged[] {
  const out: Judged[] = [];
  const kept: { h: number; c: number }[] = [];
  let head = 0;
  let sum = 0;
  const maxLog10P = Math.log10(t.maxPValue);
  for (const [i, h] of active.entries()) {
    while (head < kept.length && (kept[head] as { h: number }).h < h - t.baselineHours * HOUR) sum -= (kept[head++] as { c: number }).c;
    const c = byHour.get(h) ?? 0;
    const n = kept.length - head;
    if (h >= firstJudged && (historyOf[i] as number) >= t.minHistoryHours && n > 0 && c >= t.minPackets) {
      const mean = sum / n;
      if (c >= t.factor * Math.max(mean, 1)) {
        let ss = 0;
        for (let k = head; k < kept.length; k++) ss += ((kept[k] as { c: number }).c - mean) ** 2;
        const variance = n > 1 ? ss / (n - 1) : 0;
        // Finite for JSON: a chance below what a double's logarithm holds is as good as 0.
        const log10P = Math.max(log10CountUpperTail(c, Math.max(mean, 1 / n), variance), -Number.MAX_VALUE);
        if (log10P <= maxLog10P) { out.push({ h, packets: c, mean, n, log10P }); continue; }
      }
    }
    kept.push({ h, c });
    sum += c;
  }
  return out;
}
