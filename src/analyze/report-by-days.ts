import { CLASS_NAMES } from '../classify/packet-class.js';
import { chTime, distinctCount, ipText, protoName } from '../store/events/sql-helpers.js';
import { isWholeDays, type TimeWindow } from './time-window.js';
import { rawPacketsKept } from './raw-packets.js';
import { DAY_WHERE, perSource, sourceTags, tagColumns, topBy, type Count, type OriginRow, type ReportDeps, type WindowFigures } from './darknet-report.js';

/**
 * A window's figures from the per-day tables, for hours stored before events migration 011 (no
 * hour sets): one pass over the per-source view of the window's days, so a window shorter than a
 * day counts the sources of its whole days; the top ports' sources of such a window come from
 * the raw packets while they are kept. Kept for data written by 0.1.0; see report-by-hours.ts.
 */
export async function figuresByDays(deps: ReportDeps, w: TimeWindow): Promise<WindowFigures> {
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
  // Packets per port from the hourly counts; exact distinct sources only for the top ports, from
  // the per source × port × day rows when the window is whole UTC days, else from the raw packets.
  const topPorts = await events.query<{ proto: number; port: number; packets: number }>(
    `SELECT proto, port, sum(packets) AS packets FROM darknet_port_hour WHERE ${hourWhere}
     GROUP BY proto, port ORDER BY packets DESC, proto, port LIMIT 20`,
    params,
  );
  const wholeDays = isWholeDays(w);
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
  const rawPackets = wholeDays || topPorts.length === 0 ? undefined
    : rawPacketsKept(topPorts.reduce((a, r) => a + r.packets, 0), distinct.reduce((a, r) => a + (r.raw ?? 0), 0));

  const countries = topBy(byOrigin, (r) => r.c, (x, y) => (x < y ? -1 : x > y ? 1 : 0)).map(([country, v]) => ({ country, ...v }));
  const asns = topBy(byOrigin, (r) => r.a, (x, y) => x - y).map(([asn, v]) => ({ asn, ...v }));
  return {
    packets,
    sources: totals?.['sources'] ?? 0,
    classes,
    tags,
    topPorts: topPorts.map((r) => ({ proto: protoName(r.proto), port: r.port, packets: r.packets, sources: sourcesOf.get(r.proto * 65536 + r.port) ?? 0, iot: (r.proto === 6 || r.proto === 17) && iot.has(r.port) })),
    topCountries: countries,
    topAsns: asns.map((r) => ({ ...r, org: deps.orgOfAsn(r.asn) })),
    ...(rawPackets ? { rawPackets } : {}),
    topSources: await topSourcesByDays(deps, w),
  };
}

type TopSource = WindowFigures['topSources'][number];

/**
 * The 20 sources with the most packets on the window's days, or (with `only`: address → packets
 * in the window, in the window's ranking) the details of those sources: class, tags, country,
 * ASN and distinct ports are those of their packets on the window's UTC days.
 */
export async function topSourcesByDays(deps: ReportDeps, w: TimeWindow, only?: ReadonlyMap<string, number>): Promise<TopSource[]> {
  const chosen = only
    ? `SELECT toIPv6(arrayJoin({ips:Array(String)}))`
    : `SELECT src FROM darknet_source_day WHERE ${DAY_WHERE} GROUP BY src ORDER BY sum(packets) DESC, src LIMIT 20`;
  // The top sources by packets first (one sum per source), then their details: tags and
  // distinct ports for every source would cost seconds.
  const rows = await deps.events.query<{ ip: string; packets: number; k: number; country: string; asn: number; th: [number[], number[]]; ti: [number[], number[]]; np: number }>(
    `SELECT ${ipText('src')} AS ip, sum(packets) AS packets, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k, anyLast(country) AS country, anyLast(asn) AS asn,
            sumMap(tag_hits) AS th, sumMap(tag_inapplicable) AS ti, ${distinctCount('ports', 'packets')} AS np
     FROM darknet_source_day
     WHERE ${DAY_WHERE} AND src IN (${chosen})
     GROUP BY src ORDER BY packets DESC, src`,
    { from: chTime(w.from), to: chTime(w.to), ips: only ? [...only.keys()] : [] },
  );
  const list = rows.map((r) => ({
    ip: r.ip,
    packets: only?.get(r.ip) ?? r.packets,
    ports: r.np,
    class: CLASS_NAMES[r.k] ?? 'other',
    tags: sourceTags(deps.fingerprints, r.packets, r.th, r.ti),
    country: r.country,
    asn: r.asn,
  }));
  if (!only) return list;
  // In the order of `only` (the ranking of the window).
  const rank = new Map([...only.keys()].map((ip, i) => [ip, i]));
  return list.sort((x, y) => (rank.get(x.ip) ?? 0) - (rank.get(y.ip) ?? 0));
}
