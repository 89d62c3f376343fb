/**
 * The darknet report as an organisation may see it: only what its own addresses sent (sources
 * inside its prefixes or origin ASes), built from the per-source tables with the need-to-know
 * filter in every query; global figures that would describe other networks (port surges over
 * everybody's traffic) are left out. Windows of whole hours from the per-source-hour rows
 * (constituency-by-hours.ts); hours stored before events migration 011 by days, as before.
 */
import type { EventParams } from '../store/types.js';
import { addressAllowed, addressFilter, type Restriction } from '../store/need-to-know.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import { chTime, distinctCount, ipText, protoName } from '../store/events/sql-helpers.js';
import { hourWindow, type TimeWindow } from './time-window.js';
import { constituencyFiguresByHours } from './constituency-by-hours.js';
import { hoursCovered } from './report-by-hours.js';
import { findDosAttacks } from './dos-attacks.js';
import { DAY_WHERE, perSource, sourceTags, tagColumns, topBy, type Count, type DarknetReport, type OriginRow, type ReportDeps, type TimePoint } from './darknet-report.js';

type Constituency = Extract<Restriction, { kind: 'constituency' }>;

export async function constituencyDarknetReport(deps: ReportDeps, w: TimeWindow, r: Constituency): Promise<DarknetReport> {
  const { events, config, fingerprints } = deps;
  const hours = hourWindow(w);
  if (await hoursCovered(deps, hours)) {
    const figures = await constituencyFiguresByHours(deps, hours, r);
    const dosVictims = (await findDosAttacks(events, config.darknet.dos, w)).filter((v) => addressAllowed(r, v.ip, 0));
    return { from: hours.from.toISOString(), to: hours.to.toISOString(), ...figures, dosVictims, surges: [], surgeHistory: null };
  }
  const params: EventParams = { from: chTime(w.from), to: chTime(w.to) };
  const own = addressFilter(r, 'src', 'asn', params);
  const tagCols = tagColumns(fingerprints);
  const byOrigin = await events.query<OriginRow & { s_p: number; b_p: number; o_p: number }>(
    `SELECT c, a, count() AS sources, sum(p) AS packets, sum(s) AS s_p, sum(b) AS b_p, sum(o) AS o_p,
            countIf(k = 1) AS scan_s, countIf(k = 2) AS backscatter_s, countIf(k = 0) AS other_s${tagCols ? `, ${tagCols}` : ''}
     FROM (${perSource(fingerprints, own)}) GROUP BY c, a`,
    params,
  );
  const total = (key: string): number => byOrigin.reduce((acc, row) => acc + Number(row[key] ?? 0), 0);
  const classes: Record<string, Count> = {};
  const classPackets: Record<string, string> = { scan: 's_p', backscatter: 'b_p', other: 'o_p' };
  for (const name of CLASS_NAMES) classes[name] = { packets: total(classPackets[name] ?? ''), sources: total(`${name}_s`) };
  const tags: Record<string, Count> = {};
  for (const f of fingerprints) tags[f.name] = { packets: total(`tag${f.bit}_p`), sources: total(`tag${f.bit}_s`) };

  const iot = new Set(config.darknet.iotPorts);
  const ports = await events.query<{ proto: number; port: number; packets: number; sources: number }>(
    `SELECT proto, port, sum(packets) AS packets, uniqExact(src) AS sources FROM darknet_source_port_day
     WHERE ${DAY_WHERE} AND ${addressFilter(r, 'src', null, params, 'ntkp')}
     GROUP BY proto, port ORDER BY packets DESC, proto, port LIMIT 20`,
    params,
  );
  const [iotRow] = await events.query<{ iot: number; total: number }>(
    `SELECT sumIf(packets, proto IN (6, 17) AND port IN {iot:Array(UInt16)}) AS iot, sum(packets) AS total FROM darknet_source_port_day
     WHERE ${DAY_WHERE} AND ${addressFilter(r, 'src', null, params, 'ntki')}`,
    { ...params, iot: [...iot] },
  );
  // No alias may be named like a column of the filter (src, asn): ClickHouse resolves aliases
  // inside WHERE too, and `anyLast(asn) AS asn` made it an aggregate there (a 500 for members).
  const top = await events.query<{ ip: string; packets: number; k: number; country: string; origin_asn: number; th: [number[], number[]]; ti: [number[], number[]]; np: number }>(
    `SELECT ${ipText('src')} AS ip, sum(packets) AS packets, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k, anyLast(country) AS country, anyLast(asn) AS origin_asn,
            sumMap(tag_hits) AS th, sumMap(tag_inapplicable) AS ti, ${distinctCount('ports', 'packets')} AS np
     FROM darknet_source_day WHERE ${DAY_WHERE} AND ${own}
     GROUP BY src ORDER BY packets DESC, src LIMIT 20`,
    params,
  );
  const victims = (await findDosAttacks(events, config.darknet.dos, w)).filter((v) => addressAllowed(r, v.ip, 0));
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    packets: total('packets'),
    sources: total('sources'),
    classes,
    tags,
    topPorts: ports.map((p) => ({ proto: protoName(p.proto), port: p.port, packets: p.packets, sources: p.sources, iot: (p.proto === 6 || p.proto === 17) && iot.has(p.port) })),
    iotShare: iotRow && iotRow.total > 0 ? iotRow.iot / iotRow.total : 0,
    dosVictims: victims,
    topCountries: topBy(byOrigin, (x) => x.c, (a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(([country, v]) => ({ country, ...v })),
    topAsns: topBy(byOrigin, (x) => x.a, (a, b) => a - b).map(([asn, v]) => ({ asn, ...v, org: deps.orgOfAsn(asn) })),
    surges: [],
    surgeHistory: null,
    topSources: top.map((t) => ({ ip: t.ip, packets: t.packets, ports: t.np, class: CLASS_NAMES[t.k] ?? 'other', tags: sourceTags(fingerprints, t.packets, t.th, t.ti), country: t.country, asn: t.origin_asn })),
  };
}

/** Packets and sources per day from the organisation's own sources. */
export async function constituencyTimeseries(deps: ReportDeps, w: TimeWindow, r: Constituency): Promise<{ step: number; points: TimePoint[] }> {
  const params: EventParams = { from: chTime(w.from), to: chTime(w.to) };
  const rows = await deps.events.query<TimePoint>(
    `SELECT formatDateTime(toDateTime(day), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS t, sum(packets) AS packets, uniqExact(src) AS sources
     FROM darknet_source_day WHERE ${DAY_WHERE} AND ${addressFilter(r, 'src', 'asn', params)}
     GROUP BY day ORDER BY day`,
    params,
  );
  return { step: 86400, points: rows };
}
