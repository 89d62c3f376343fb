import type { EventParams } from '../store/types.js';
import { addressFilter, type Restriction } from '../store/need-to-know.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import { chTime, ipText, protoName } from '../store/events/sql-helpers.js';
import { isWholeDays, type TimeWindow } from './time-window.js';
import { rawPacketsKept } from './raw-packets.js';
import { DAY_WHERE, HOUR_WHERE, tagCarriers, topBy, type Count, type OriginRow, type ReportDeps, type WindowFigures } from './darknet-report.js';
import { topSourcesByDays } from './report-by-days.js';

type Constituency = Extract<Restriction, { kind: 'constituency' }>;

/**
 * An organisation's figures of a window of whole hours, with the definitions of the whole
 * report (report-by-hours.ts) over its own sources only (inside its prefixes or origin ASes):
 * from the per-source-hour rows, which the need-to-know filter can select (the bitmaps of
 * darknet_hour_sets cannot be cut to a prefix of IPv6 sources, whose keys are hashes). An
 * organisation's sources are few, so the per-source work is small.
 *
 * - sources, per class (those that sent it), country and ASN (of its last packet in the window);
 * - per fingerprint the sources carrying its tag on their UTC day with matching packets in the
 *   window, and those packets;
 * - top ports: whole days from darknet_source_port_day, other windows from the raw packets
 *   (`rawPackets` says when some have expired);
 * - top sources by their packets in the window.
 */
export async function constituencyFiguresByHours(deps: ReportDeps, hours: TimeWindow, r: Constituency): Promise<WindowFigures & { iotShare: number }> {
  const { events, config, fingerprints } = deps;
  const params: EventParams = { from: chTime(hours.from), to: chTime(hours.to) };
  const own = addressFilter(r, 'src', 'asn', params);
  // No alias named like a column of the filter (src, asn): ClickHouse resolves aliases in WHERE too.
  const perSourceHour = `SELECT src, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, p - s - b AS o,
                                anyLast(country) AS c, anyLast(asn) AS a
                         FROM darknet_source_hour WHERE ${HOUR_WHERE} AND ${own} GROUP BY src`;
  const byOrigin = await events.query<OriginRow & { s_p: number; b_p: number; o_p: number }>(
    `SELECT c, a, count() AS sources, sum(p) AS packets, sum(s) AS s_p, sum(b) AS b_p, sum(o) AS o_p,
            countIf(s > 0) AS scan_s, countIf(b > 0) AS backscatter_s, countIf(o > 0) AS other_s
     FROM (${perSourceHour}) GROUP BY c, a`,
    params,
  );
  const total = (key: string): number => byOrigin.reduce((acc, row) => acc + Number(row[key] ?? 0), 0);
  const classes: Record<string, Count> = {};
  const classPackets: Record<string, string> = { scan: 's_p', backscatter: 'b_p', other: 'o_p' };
  for (const name of CLASS_NAMES) classes[name] = { packets: total(classPackets[name] ?? ''), sources: total(`${name}_s`) };

  const tagRows = fingerprints.length === 0 ? [] : await events.query<{ bit: number; sources: number; packets: number }>(
    (() => {
      const hitRows = `SELECT toDate(hour) AS day, src, tag_hits.1 AS bs, tag_hits.2 AS hs FROM darknet_source_hour
                       WHERE ${HOUR_WHERE} AND ${own} AND notEmpty(tag_hits.1)`;
      const carriers = tagCarriers(fingerprints, `src IN (SELECT src FROM (${hitRows}))`, 'day, src');
      return `SELECT bit, uniqExact(src) AS sources, sum(hits) AS packets
              FROM (${hitRows}) ARRAY JOIN bs AS bit, hs AS hits
              WHERE (day, src, bit) IN (${carriers})
              GROUP BY bit`;
    })(),
    params,
  );
  const tags: Record<string, Count> = {};
  for (const f of fingerprints) {
    const t = tagRows.find((x) => x.bit === f.bit);
    tags[f.name] = { packets: Number(t?.packets ?? 0), sources: Number(t?.sources ?? 0) };
  }

  const iot = new Set(config.darknet.iotPorts);
  const wholeDays = isWholeDays(hours);
  const portRows = `SELECT proto, port, sum(packets) AS packets, uniqExact(src) AS sources FROM darknet_source_port_day
                    WHERE ${DAY_WHERE} AND ${addressFilter(r, 'src', null, params, 'ntkp')} GROUP BY proto, port`;
  const rawRows = `SELECT proto, dport AS port, count() AS packets, uniqExact(src) AS sources FROM darknet_packets
                   WHERE ts >= {from:DateTime64(6)} AND ts < {to:DateTime64(6)} AND ${addressFilter(r, 'src', 'src_asn', params, 'ntkp')}
                   GROUP BY proto, port`;
  // Prefixes only for the per-port rows of whole days (they have no ASN), as before.
  const ports = await events.query<{ proto: number; port: number; packets: number; sources: number; iot: number; total_p: number }>(
    `SELECT proto, port, packets, sources,
            sum(if(proto IN (6, 17) AND port IN {iot:Array(UInt16)}, packets, 0)) OVER () AS iot, sum(packets) OVER () AS total_p
     FROM (${wholeDays ? portRows : rawRows}) ORDER BY packets DESC, proto, port LIMIT 20`,
    { ...params, iot: [...iot] },
  );
  const first = ports[0];
  const packets = total('packets');
  const rawPackets = wholeDays ? undefined : rawPacketsKept(packets, Number(first?.total_p ?? 0));

  const ranked = await events.query<{ ip: string; packets: number }>(
    `SELECT ${ipText('src')} AS ip, sum(packets) AS packets FROM darknet_source_hour WHERE ${HOUR_WHERE} AND ${own}
     GROUP BY src ORDER BY packets DESC, src LIMIT 20`,
    params,
  );
  return {
    packets,
    sources: total('sources'),
    classes,
    tags,
    topPorts: ports.map((p) => ({ proto: protoName(p.proto), port: p.port, packets: Number(p.packets), sources: Number(p.sources), iot: (p.proto === 6 || p.proto === 17) && iot.has(p.port) })),
    iotShare: first && Number(first.total_p) > 0 ? Number(first.iot) / Number(first.total_p) : 0,
    topCountries: topBy(byOrigin, (x) => x.c, (a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(([country, v]) => ({ country, ...v })),
    topAsns: topBy(byOrigin, (x) => x.a, (a, b) => a - b).map(([asn, v]) => ({ asn, ...v, org: deps.orgOfAsn(asn) })),
    topSources: ranked.length === 0 ? [] : await topSourcesByDays(deps, hours, new Map(ranked.map((x) => [x.ip, Number(x.packets)]))),
    ...(rawPackets ? { rawPackets } : {}),
  };
}
