import type { EventsStore } from '../store/types.js';
import type { Config } from '../config/schema.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import type { Fingerprint } from '../classify/fingerprints.js';
import { carriesTag, carriesTagSql } from '../classify/tag-evidence.js';
import { chTime, distinctCount, ipText, protoName } from '../store/events/sql-helpers.js';
import type { TimeWindow } from './time-window.js';
import { findDosAttacks, type DosAttack } from './dos-attacks.js';
import { findPortSurges, type PortSurge, type SurgeHistory } from './port-surges.js';
import { rawPacketsKept, type RawPacketsKept } from './raw-packets.js';

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

export const DAY_WHERE = 'day >= toDate({from:DateTime64(6)}) AND day <= toDate({to:DateTime64(6)} - INTERVAL 1 MICROSECOND)';

/**
 * The per-source view of a window: one row per source, merged over its days and sensors, with
 * the hits of each fingerprint bit (`h<bit>`) and the packets its test applies to (`n<bit>`) as
 * plain sums (a sumMap per source cost far more). Rows stored before migration 008 have no
 * inapplicable counts: all their packets count as applicable, the rule they were written under.
 */
export function perSource(fingerprints: readonly Fingerprint[], extraWhere = '1'): string {
  const hits = fingerprints.map((f) => `sum(arrayElement(tag_hits.2, indexOf(tag_hits.1, ${f.bit}))) AS h${f.bit},
            p - sum(arrayElement(tag_inapplicable.2, indexOf(tag_inapplicable.1, ${f.bit}))) AS n${f.bit},`).join(' ');
  return `SELECT src, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            ${hits} anyLast(asn) AS a, anyLast(country) AS c,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k
          FROM darknet_source_day
          WHERE ${DAY_WHERE} AND ${extraWhere}
          GROUP BY src`;
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

export async function darknetReport(deps: ReportDeps, w: TimeWindow): Promise<DarknetReport> {
  const { events, config, fingerprints } = deps;
  const params = { from: chTime(w.from), to: chTime(w.to) };
  const hourWhere = 'hour >= toStartOfHour({from:DateTime64(6)}) AND hour < {to:DateTime64(6)}';

  const tagCols = tagColumns(fingerprints);
  // One pass over the per-source view, grouped by (country, ASN): the totals, the countries and
  // the ASNs are sums of these rows (three passes over millions of sources cost three times this).
  const byOrigin = await events.query<OriginRow>(
    `SELECT c, a, count() AS sources, sum(p) AS packets, countIf(k = 1) AS scan_s, countIf(k = 2) AS backscatter_s, countIf(k = 0) AS other_s
            ${tagCols ? `, ${tagCols}` : ''}
     FROM (${perSource(fingerprints)}) GROUP BY c, a`,
    params,
  );
  const totals: Record<string, number> = {};
  for (const r of byOrigin) {
    for (const [key, v] of Object.entries(r)) if (key !== 'c' && key !== 'a') totals[key] = (totals[key] ?? 0) + Number(v);
  }
  const classPackets = await events.query<{ cls: number; packets: number }>(
    `SELECT cls, sum(packets) AS packets FROM darknet_hourly WHERE ${hourWhere} GROUP BY cls`,
    params,
  );
  const classes: Record<string, Count> = {};
  for (const [i, name] of CLASS_NAMES.entries()) {
    classes[name] = { packets: classPackets.find((r) => r.cls === i)?.packets ?? 0, sources: totals?.[`${name}_s`] ?? 0 };
  }
  const packets = classPackets.reduce((a, r) => a + r.packets, 0);
  const tags: Record<string, Count> = {};
  for (const f of fingerprints) tags[f.name] = { packets: totals?.[`tag${f.bit}_p`] ?? 0, sources: totals?.[`tag${f.bit}_s`] ?? 0 };

  const iot = new Set(config.darknet.iotPorts);
  const iotList = [...iot];
  // Packets per port from the hourly counts; exact distinct sources only for the top ports, from
  // the per source × port × day rows when the window is whole UTC days, else from the raw packets.
  const topPorts = await events.query<{ proto: number; port: number; packets: number }>(
    `SELECT proto, port, sum(packets) AS packets FROM darknet_port_hour WHERE ${hourWhere}
     GROUP BY proto, port ORDER BY packets DESC, proto, port LIMIT 20`,
    params,
  );
  const wholeDays = w.from.getTime() % 86_400_000 === 0 && w.to.getTime() % 86_400_000 === 0;
  const topKeys = topPorts.map((r) => r.proto * 65536 + r.port);
  const distinct = topKeys.length === 0 ? [] : await events.query<{ code: number; sources: number; raw?: number }>(
    wholeDays
      ? `SELECT toUInt32(proto) * 65536 + port AS code, uniqExact(src) AS sources FROM darknet_source_port_day
         WHERE day >= toDate({from:DateTime64(6)}) AND day < toDate({to:DateTime64(6)})
           AND toUInt32(proto) * 65536 + port IN {codes:Array(UInt32)}
         GROUP BY code`
      // `raw`: the packets of the same hours as the hourly counts, to tell whether some expired.
      : `SELECT toUInt32(proto) * 65536 + dport AS code, uniqExactIf(src, ts >= {from:DateTime64(6)} AND ts < {to:DateTime64(6)}) AS sources,
                count() AS raw
         FROM darknet_packets
         WHERE ts >= toStartOfHour({from:DateTime64(6)}) AND toStartOfHour(ts) < {to:DateTime64(6)}
           AND toUInt32(proto) * 65536 + dport IN {codes:Array(UInt32)}
         GROUP BY code`,
    { ...params, codes: topKeys },
  );
  const sourcesOf = new Map(distinct.map((r) => [r.code, r.sources]));
  const ports = topPorts.map((r) => ({ ...r, sources: sourcesOf.get(r.proto * 65536 + r.port) ?? 0 }));
  const rawPackets = wholeDays || topPorts.length === 0 ? undefined
    : rawPacketsKept(topPorts.reduce((a, r) => a + r.packets, 0), distinct.reduce((a, r) => a + (r.raw ?? 0), 0));
  const [iotRow] = await events.query<{ iot: number; total: number }>(
    `SELECT sumIf(packets, proto IN (6, 17) AND port IN {iot:Array(UInt16)}) AS iot, sum(packets) AS total
     FROM darknet_port_hour WHERE ${hourWhere}`,
    { ...params, iot: iotList },
  );

  const countries = topBy(byOrigin, (r) => r.c, (x, y) => (x < y ? -1 : x > y ? 1 : 0)).map(([country, v]) => ({ country, ...v }));
  const asns = topBy(byOrigin, (r) => r.a, (x, y) => x - y).map(([asn, v]) => ({ asn, ...v }));
  // The top sources by packets first (one sum per source), then their details: tags and
  // distinct ports for every source would cost seconds.
  const top = await events.query<{ ip: string; packets: number; k: number; country: string; asn: number; th: [number[], number[]]; ti: [number[], number[]]; np: number }>(
    `SELECT ${ipText('src')} AS ip, sum(packets) AS packets, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k, anyLast(country) AS country, anyLast(asn) AS asn,
            sumMap(tag_hits) AS th, sumMap(tag_inapplicable) AS ti, ${distinctCount('ports', 'packets')} AS np
     FROM darknet_source_day
     WHERE ${DAY_WHERE} AND src IN (
       SELECT src FROM darknet_source_day WHERE ${DAY_WHERE} GROUP BY src ORDER BY sum(packets) DESC, src LIMIT 20)
     GROUP BY src ORDER BY packets DESC, src`,
    params,
  );

  const surgeFindings = await findPortSurges(events, config.darknet.surge, w);
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    packets,
    sources: totals?.['sources'] ?? 0,
    classes,
    tags,
    topPorts: ports.map((r) => ({ proto: protoName(r.proto), port: r.port, packets: r.packets, sources: r.sources, iot: (r.proto === 6 || r.proto === 17) && iot.has(r.port) })),
    iotShare: iotRow && iotRow.total > 0 ? iotRow.iot / iotRow.total : 0,
    dosVictims: await findDosAttacks(events, config.darknet.dos, w),
    topCountries: countries,
    topAsns: asns.map((r) => ({ ...r, org: deps.orgOfAsn(r.asn) })),
    surges: surgeFindings.surges,
    surgeHistory: surgeFindings.history,
    ...(rawPackets ? { rawPackets } : {}),
    topSources: top.map((r) => ({
      ip: r.ip,
      packets: r.packets,
      ports: r.np,
      class: CLASS_NAMES[r.k] ?? 'other',
      tags: sourceTags(fingerprints, r.packets, r.th, r.ti),
      country: r.country,
      asn: r.asn,
    })),
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
