import type { EventsStore } from '../store/types.js';
import type { Config } from '../config/schema.js';
import { CLASS_NAMES } from './packet-class.js';
import type { Fingerprint } from './fingerprints.js';
import { chTime, ipText, protoName } from './sql-helpers.js';
import type { TimeWindow } from './time-window.js';
import { findDosAttacks, type DosAttack } from './dos-attacks.js';
import { findPortSurges, type PortSurge } from './port-surges.js';

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
  topSources: { ip: string; packets: number; ports: number; class: string; tags: string[]; country: string; asn: number }[];
}

export interface ReportDeps {
  events: EventsStore;
  config: Config;
  fingerprints: readonly Fingerprint[];
  orgOfAsn: (asn: number) => string;
}

/** The per-source view of a window: one row per source, merged over its days and sensors. */
function perSource(): string {
  return `SELECT src, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            sumMap(tag_hits) AS th, anyLast(asn) AS a, anyLast(country) AS c, uniqCombined64Merge(14)(ports) AS np,
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k
          FROM darknet_source_day
          WHERE day >= toDate({from:DateTime64(6)}) AND day <= toDate({to:DateTime64(6)} - INTERVAL 1 MICROSECOND)
          GROUP BY src`;
}

function tagHits(bit: number): string {
  return `arrayElement(th.2, indexOf(th.1, ${bit}))`;
}

export async function darknetReport(deps: ReportDeps, w: TimeWindow): Promise<DarknetReport> {
  const { events, config, fingerprints } = deps;
  const params = { from: chTime(w.from), to: chTime(w.to) };
  const hourWhere = 'hour >= toStartOfHour({from:DateTime64(6)}) AND hour < {to:DateTime64(6)}';

  const tagCols = fingerprints
    .map((f) => `countIf(${tagHits(f.bit)} > 0 AND ${tagHits(f.bit)} >= ${f.minShare} * p) AS tag${f.bit}_s,
                 sumIf(${tagHits(f.bit)}, ${tagHits(f.bit)} > 0 AND ${tagHits(f.bit)} >= ${f.minShare} * p) AS tag${f.bit}_p`)
    .join(',\n');
  const [totals] = await events.query<Record<string, number>>(
    `SELECT count() AS sources, countIf(k = 1) AS scan_s, countIf(k = 2) AS backscatter_s, countIf(k = 0) AS other_s
            ${tagCols ? `, ${tagCols}` : ''}
     FROM (${perSource()})`,
    params,
  );
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
  // Exact distinct sources only for the top ports: merging every port's set would cost more.
  const ports = await events.query<{ proto: number; port: number; packets: number; sources: number }>(
    `SELECT proto, port, sum(packets) AS packets, uniqExactMerge(sources) AS sources
     FROM darknet_port_hour
     WHERE ${hourWhere} AND (proto, port) IN (
       SELECT proto, port FROM darknet_port_hour WHERE ${hourWhere}
       GROUP BY proto, port ORDER BY sum(packets) DESC, proto, port LIMIT 20)
     GROUP BY proto, port ORDER BY packets DESC, proto, port`,
    params,
  );
  const [iotRow] = await events.query<{ iot: number; total: number }>(
    `SELECT sumIf(packets, proto IN (6, 17) AND port IN {iot:Array(UInt16)}) AS iot, sum(packets) AS total
     FROM darknet_port_hour WHERE ${hourWhere}`,
    { ...params, iot: iotList },
  );

  const countries = await events.query<{ country: string; packets: number; sources: number }>(
    `SELECT c AS country, sum(p) AS packets, count() AS sources FROM (${perSource()})
     GROUP BY country ORDER BY packets DESC, country LIMIT 15`,
    params,
  );
  const asns = await events.query<{ asn: number; packets: number; sources: number }>(
    `SELECT a AS asn, sum(p) AS packets, count() AS sources FROM (${perSource()})
     GROUP BY asn ORDER BY packets DESC, asn LIMIT 15`,
    params,
  );
  const top = await events.query<{ ip: string; packets: number; ports: number; k: number; country: string; asn: number; th: [number[], number[]] }>(
    `SELECT ${ipText('src')} AS ip, p AS packets, np AS ports, k, c AS country, a AS asn, th
     FROM (${perSource()}) ORDER BY p DESC, src LIMIT 20`,
    params,
  );

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
    surges: await findPortSurges(events, config.darknet.surge, w),
    topSources: top.map((r) => ({
      ip: r.ip,
      packets: r.packets,
      ports: r.ports,
      class: CLASS_NAMES[r.k] ?? 'other',
      tags: sourceTags(fingerprints, r.packets, r.th),
      country: r.country,
      asn: r.asn,
    })),
  };
}

/** Tags a source carries: fingerprints matched by at least their minimum share of its packets. */
export function sourceTags(fingerprints: readonly Fingerprint[], packets: number, th: [number[], number[]]): string[] {
  const out: string[] = [];
  for (const f of fingerprints) {
    const idx = th[0].indexOf(f.bit);
    const hits = idx >= 0 ? (th[1][idx] ?? 0) : 0;
    if (hits > 0 && hits >= f.minShare * packets) out.push(f.name);
  }
  return out;
}

export interface TimePoint { t: string; packets: number; sources: number }

export async function darknetTimeseries(events: EventsStore, w: TimeWindow, stepSeconds: number): Promise<{ step: number; points: TimePoint[] }> {
  const step = Math.max(3600, Math.round(stepSeconds / 3600) * 3600);
  const rows = await events.query<{ t: string; packets: number; sources: number }>(
    `SELECT formatDateTime(toStartOfInterval(hour, toIntervalSecond({step:UInt32})), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS t,
            sum(packets) AS packets, uniqExactMerge(sources) AS sources
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
