import type { EventsStore } from '../store/types.js';
import type { Config } from '../config/schema.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import type { Fingerprint } from '../classify/fingerprints.js';
import { carriesTag, carriesTagSql } from '../classify/tag-evidence.js';
import { chTime, distinctCount, ipText, protoName } from '../store/events/sql-helpers.js';
import { hourWindow, type TimeWindow } from './time-window.js';
import { figuresByDays } from './report-by-days.js';
import { figuresByHours } from './report-by-hours.js';
import { findDosAttacks, type DosAttack } from './dos-attacks.js';
import { findPortSurges, type PortSurge, type SurgeHistory } from './port-surges.js';
import type { RawPacketsKept } from './raw-packets.js';

export interface Count { packets: number; sources: number }

export interface DarknetReport {
  from: string;
  to: string;
  packets: number;
  sources: number;
  classes: Record<string, Count>;
  tags: Record<string, Count>;
  topPorts: { proto: string; port: number; packets: number; sources: number; iot: boolean }[];
  iotShare: number;
  dosVictims: DosAttack[];
  topCountries: { country: string; packets: number; sources: number }[];
  topAsns: { asn: number; org: string; packets: number; sources: number }[];
  surges: PortSurge[];
  /** Whether the window had the history to judge surges; null where surges are not computed. */
  surgeHistory: SurgeHistory | null;
  topSources: { ip: string; packets: number; ports: number; class: string; tags: string[]; country: string; asn: number }[];
  /**
   * Only when the report read raw packets (a window that is not whole UTC days: the top ports'
   * distinct sources): whether those of the top ports in the window's hours are still stored.
   */
  rawPackets?: RawPacketsKept;
}

export interface ReportDeps {
  events: EventsStore;
  config: Config;
  fingerprints: readonly Fingerprint[];
  orgOfAsn: (asn: number) => string;
}

/** Rows of the hours of a window already widened to whole hours (time-window.ts `hourWindow`). */
export const HOUR_WHERE = 'hour >= {from:DateTime64(6)} AND hour < {to:DateTime64(6)}';

export const DAY_WHERE = 'day >= toDate({from:DateTime64(6)}) AND day <= toDate({to:DateTime64(6)} - INTERVAL 1 MICROSECOND)';

/**
 * The per-source view of a window: one row per source, merged over its days and sensors, with
 * the hits of each fingerprint bit (`h<bit>`) and the packets its test applies to (`n<bit>`) as
 * plain sums (a sumMap per source cost far more). Rows stored before migration 008 have no
 * inapplicable counts: all their packets count as applicable, the rule they were written under.
 */
export function perSource(fingerprints: readonly Fingerprint[], extraWhere = '1', groupBy = 'src'): string {
  const hits = fingerprints.map((f) => `sum(arrayElement(tag_hits.2, indexOf(tag_hits.1, ${f.bit}))) AS h${f.bit},
            p - sum(arrayElement(tag_inapplicable.2, indexOf(tag_inapplicable.1, ${f.bit}))) AS n${f.bit},`).join(' ');
  return `SELECT ${groupBy}, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            ${hits} anyLast(asn) AS a, anyLast(country) AS c,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k
          FROM darknet_source_day
          WHERE ${DAY_WHERE} AND ${extraWhere}
          GROUP BY ${groupBy}`;
}

/**
 * The (`keys`, fingerprint bit) of every source that carries a tag, decided over its per-day rows
 * grouped by `keys` (`src`: the window's days together; `day, src`: each UTC day on its own), for
 * the sources that `filter` keeps.
 */
export function tagCarriers(fingerprints: readonly Fingerprint[], filter: string, keys: 'src' | 'day, src'): string {
  const bits = fingerprints.map((f) => `if(${carriesTagSql(f.minShare, `h${f.bit}`, `n${f.bit}`)}, ${f.bit}, 255)`).join(', ');
  return `SELECT ${keys}, arrayJoin(arrayFilter(x -> x < 255, [${bits}])) FROM (${perSource(fingerprints, filter, keys)})`;
}

/** Per tag: its sources and their matching packets, from the per-source view (`perSource`). */
export function tagColumns(fingerprints: readonly Fingerprint[]): string {
  return fingerprints
    .map((f) => {
      const carries = carriesTagSql(f.minShare, `h${f.bit}`, `n${f.bit}`);
      return `countIf(${carries}) AS tag${f.bit}_s, sumIf(h${f.bit}, ${carries}) AS tag${f.bit}_p`;
    })
    .join(',\n');
}

/** The figures of a window that depend on how it is counted: by hours (exact) or by days (older stores). */
export type WindowFigures = Pick<DarknetReport, 'packets' | 'sources' | 'classes' | 'tags' | 'topPorts' | 'topCountries' | 'topAsns' | 'topSources' | 'rawPackets'>;

/**
 * The darknet report of a window. Its figures are counted from the hour sets (report-by-hours.ts:
 * exact for any whole hours) when those hold every packet of the window's hours, otherwise (hours
 * ingested before events migration 011) from the per-day tables as before (report-by-days.ts).
 */
export async function darknetReport(deps: ReportDeps, w: TimeWindow): Promise<DarknetReport> {
  const { events, config } = deps;
  const hours = hourWindow(w);
  const figures = (await figuresByHours(deps, hours)) ?? (await figuresByDays(deps, w));
  const iot = new Set(config.darknet.iotPorts);
  const [iotRow] = await events.query<{ iot: number; total: number }>(
    `SELECT sumIf(packets, proto IN (6, 17) AND port IN {iot:Array(UInt16)}) AS iot, sum(packets) AS total
     FROM darknet_port_hour WHERE ${HOUR_WHERE}`,
    { from: chTime(hours.from), to: chTime(hours.to), iot: [...iot] },
  );
  const surgeFindings = await findPortSurges(events, config.darknet.surge, w);
  const { rawPackets, ...rest } = figures;
  return {
    from: hours.from.toISOString(),
    to: hours.to.toISOString(),
    ...rest,
    iotShare: iotRow && iotRow.total > 0 ? iotRow.iot / iotRow.total : 0,
    dosVictims: await findDosAttacks(events, config.darknet.dos, w),
    surges: surgeFindings.surges,
    surgeHistory: surgeFindings.history,
    ...(rawPackets ? { rawPackets } : {}),
  };
}

/** The 15 keys with the most packets (ties by key), with their packets and sources. */
export interface OriginRow { c: string; a: number; packets: number; sources: number; [col: string]: number | string }

export function topBy<K>(rows: readonly OriginRow[], key: (r: OriginRow) => K, cmp: (x: K, y: K) => number): [K, { packets: number; sources: number }][] {
  const m = new Map<K, { packets: number; sources: number }>();
  for (const r of rows) {
    const k = key(r);
    const cur = m.get(k) ?? { packets: 0, sources: 0 };
    cur.packets += Number(r.packets);
    cur.sources += Number(r.sources);
    m.set(k, cur);
  }
  return [...m].sort((x, y) => y[1].packets - x[1].packets || cmp(x[0], y[0])).slice(0, 15);
}

/**
 * Tags a source carries: fingerprints matched by at least their minimum share of the packets
 * they apply to, from its hits (`th`) and inapplicable packets (`ti`) per bit.
 */
export function sourceTags(fingerprints: readonly Fingerprint[], packets: number, th: [number[], number[]], ti: [number[], number[]]): string[] {
  const at = (m: [number[], number[]], bit: number): number => {
    const idx = m[0].indexOf(bit);
    return idx >= 0 ? (m[1][idx] ?? 0) : 0;
  };
  return fingerprints.filter((f) => carriesTag(f.minShare, at(th, f.bit), packets - at(ti, f.bit))).map((f) => f.name);
}

export interface TimePoint { t: string; packets: number; sources: number }

export async function darknetTimeseries(events: EventsStore, w: TimeWindow, stepSeconds: number): Promise<{ step: number; points: TimePoint[] }> {
  const step = Math.max(3600, Math.round(stepSeconds / 3600) * 3600);
  const rows = await events.query<{ t: string; packets: number; sources: number }>(
    `SELECT formatDateTime(toStartOfInterval(hour, toIntervalSecond({step:UInt32})), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS t,
            sum(packets) AS packets, uniqCombined64Merge(14)(sources) AS sources
     FROM darknet_hourly WHERE hour >= toStartOfHour({from:DateTime64(6)}) AND hour < {to:DateTime64(6)}
     GROUP BY t ORDER BY t`,
    { from: chTime(w.from), to: chTime(w.to), step },
  );
  return { step, points: rows };
}

export async function darknetRange(events: EventsStore): Promise<{ first: string | null; last: string | null }> {
  const [r] = await events.query<{ first: string; last: string; n: number }>(
    `SELECT formatDateTime(min(hour), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS first,
            formatDateTime(max(hour) + INTERVAL 1 HOUR, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS last, count() AS n
     FROM darknet_hourly`,
  );
  return !r || r.n === 0 ? { first: null, last: null } : { first: r.first, last: r.last };
}
