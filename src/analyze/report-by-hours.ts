import { CLASS_NAMES } from '../classify/packet-class.js';
import { HOUR_SET_DIMS } from '../schema/darknet-aggregates.js';
import { chTime, ipText, protoName } from '../store/events/sql-helpers.js';
import { isWholeDays, type TimeWindow } from './time-window.js';
import { HOUR_WHERE, type Count, type ReportDeps, type WindowFigures } from './darknet-report.js';
import { topSourcesByDays } from './report-by-days.js';
import { tagCounts } from './tag-hours.js';

const D = HOUR_SET_DIMS;
/** Ports, countries and ASNs listed; the sources of these only are counted. */
const TOP = { [D.port]: 20, [D.country]: 15, [D.asn]: 15 } as const;

interface SetRow { dim: number; key: number; packets: number; sources: number }

/**
 * A window's figures from the hour sets (events migration 011), exact for any whole hours:
 *
 * - sources, and per class, port, country and ASN, are the sizes of unions of the hours' bitmaps
 *   of sources: a source counts once in the window, and in each class it sent packets of (so the
 *   classes may add up to more than the sources), each port it sent to, each country and ASN its
 *   packets were attributed to;
 * - a fingerprint's sources are the sources that carry its tag and sent packets matching it in
 *   the window, the tag decided from all of the source's packets of that UTC day (the unit of
 *   evidence, as on the host page), and its packets are those matching packets;
 * - the top sources are ranked by their packets in the window (whole days: from the per-day
 *   rows); their class, tags and ports are those of their packets on the window's days.
 *
 * Returns undefined when the hour sets lack packets of the window's hours (ingested before
 * migration 011): the caller then counts by days.
 */
export async function figuresByHours(deps: ReportDeps, hours: TimeWindow): Promise<WindowFigures | undefined> {
  const { events, fingerprints, config } = deps;
  const params = { from: chTime(hours.from), to: chTime(hours.to) };
  if (!(await hoursCovered(deps, hours))) return undefined;

  const limits = `multiIf(dim = ${D.port}, ${TOP[D.port]}, dim = ${D.country}, ${TOP[D.country]}, ${TOP[D.asn]})`;
  const [sets, tagFigures, ranked] = await Promise.all([
    events.query<SetRow>(
      `SELECT dim, key, sum(packets) AS packets, groupBitmapMerge(sources) AS sources
       FROM darknet_hour_sets
       WHERE ${HOUR_WHERE} AND (dim IN (${D.all}, ${D.cls}) OR (dim, key) IN (
         SELECT dim, key FROM (
           SELECT dim, key, sum(packets) AS p, row_number() OVER (PARTITION BY dim ORDER BY p DESC, key) AS r
           FROM darknet_hour_sets WHERE ${HOUR_WHERE} AND dim IN (${D.port}, ${D.country}, ${D.asn}) GROUP BY dim, key)
         WHERE r <= ${limits}))
       GROUP BY dim, key`,
      params,
    ),
    tagCounts(deps, hours),
    isWholeDays(hours)
      ? Promise.resolve(undefined)
      : events.query<{ ip: string; packets: number }>(
        `SELECT ${ipText('src')} AS ip, sum(packets) AS packets FROM darknet_source_hour WHERE ${HOUR_WHERE}
         GROUP BY src ORDER BY packets DESC, src LIMIT 20`,
        params,
      ),
  ]);
  const of = (dim: number): SetRow[] => sets.filter((r) => r.dim === dim);
  const all = of(D.all)[0];
  const classes: Record<string, Count> = {};
  for (const [i, name] of CLASS_NAMES.entries()) {
    const r = of(D.cls).find((x) => x.key === i);
    classes[name] = { packets: r?.packets ?? 0, sources: r?.sources ?? 0 };
  }
  const tags: Record<string, Count> = {};
  for (const f of fingerprints) tags[f.name] = tagFigures.get(f.bit) ?? { packets: 0, sources: 0 };
  const byPackets = (x: SetRow, y: SetRow): number => y.packets - x.packets || x.key - y.key;
  const iot = new Set(config.darknet.iotPorts);
  return {
    packets: all?.packets ?? 0,
    sources: all?.sources ?? 0,
    classes,
    tags,
    topPorts: of(D.port).sort(byPackets).map((r) => {
      const proto = r.key >>> 16;
      const port = r.key & 0xffff;
      return { proto: protoName(proto), port, packets: r.packets, sources: r.sources, iot: (proto === 6 || proto === 17) && iot.has(port) };
    }),
    topCountries: of(D.country).sort(byPackets).map((r) => ({ country: countryOf(r.key), packets: r.packets, sources: r.sources })),
    topAsns: of(D.asn).sort(byPackets).map((r) => ({ asn: r.key, org: deps.orgOfAsn(r.key), packets: r.packets, sources: r.sources })),
    topSources: await topSourcesByDays(deps, hours, ranked ? new Map(ranked.map((r) => [r.ip, r.packets])) : undefined),
  };
}

/** Whether the hour sets hold every packet of the window's hours (none stored before migration 011). */
export async function hoursCovered(deps: ReportDeps, hours: TimeWindow): Promise<boolean> {
  const [covered] = await deps.events.query<{ hourly: number; sets: number }>(
    `SELECT (SELECT sum(packets) FROM darknet_hourly WHERE ${HOUR_WHERE}) AS hourly,
            (SELECT sum(packets) FROM darknet_hour_sets WHERE dim = ${D.all} AND ${HOUR_WHERE}) AS sets`,
    { from: chTime(hours.from), to: chTime(hours.to) },
  );
  return Boolean(covered) && Number(covered?.sets) >= Number(covered?.hourly);
}

/** Two ASCII letters packed in a key (0: unknown, ''). */
function countryOf(key: number): string {
  return key === 0 ? '' : String.fromCharCode(key >>> 8, key & 0xff);
}
