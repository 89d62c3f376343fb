import type { EventsStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import type { Fingerprint } from '../classify/fingerprints.js';
import { binomialTail, carriesTag, tagPosterior } from '../classify/tag-evidence.js';
import { distinctCount, ipText, protoName } from '../store/events/sql-helpers.js';
import { normalizeIp } from '../net/ip.js';
import { rawPacketsKept, type RawPacketsKept } from './raw-packets.js';
import { backscatterEpisodes, type BackscatterEpisode, type HourCount } from './backscatter-episodes.js';

/** The hourly chart covers at most this many days, the host's last ones (31 × 24 bars). */
export const HOURLY_DAYS = 31;

/** A tag with its evidence: `packets` of the `applicable` packets (`appliesTo`, e.g. TCP SYN) match. */
export interface HostTag {
  tag: string;
  /** P(the source runs the tool | its counts), see classify/tag-evidence.ts. */
  confidence: number;
  packets: number;
  applicable: number;
  appliesTo: string;
  appliesToJa: string;
  share: number;
  falseMatchChance: number;
  prior: number;
  /** P[X ≥ packets], X ~ Binomial(applicable, falseMatchChance). */
  pValue: number;
  description: string;
  descriptionJa: string;
}

export interface HostProfile {
  ip: string;
  firstSeen: string;
  lastSeen: string;
  packets: number;
  ports: { proto: string; port: number; packets: number }[];
  distinctPorts: number;
  darknetAddresses: number;
  class: string;
  classPackets: Record<string, number>;
  tags: HostTag[];
  asn: number;
  org: string;
  country: string;
  daily: { day: string; packets: number; ports: number }[];
  /** Packets per hour with any, over the last HOURLY_DAYS days of the host's window (none for hours stored before events migration 011). */
  hourly: HourCount[];
  /** Runs of backscatter: the attacks on the host when it is a DoS victim (analyze/backscatter-episodes.ts). */
  dosEpisodes: BackscatterEpisode[];
  /** Whether the raw packets behind `ports` are still stored (they expire, the aggregates stay). */
  rawPackets: RawPacketsKept;
}

interface DayRow {
  day: string; first: string; last: string; p: number; s: number; b: number; o: number;
  th: [number[], number[]]; ti: [number[], number[]]; np: number; nd: number; a: number; c: string;
  /** [hour as Unix seconds, packets, backscatter] of the host's last HOURLY_DAYS days. */
  hours?: [number, number, number][];
}

/** Everything the darknet knows about one address, with the evidence behind its tags. */
export async function hostProfile(
  events: EventsStore,
  ipInput: string,
  fingerprints: readonly Fingerprint[],
  orgOfAsn: (asn: number) => string,
): Promise<HostProfile | undefined> {
  const ip = normalizeIp(ipInput);
  if (!ip) throw new SakimoriError('BAD_IP', ipInput, { ip: ipInput });
  // Both queries at once, each on a request lane of its own (store/events/fair-scheduler.ts): the
  // days with a rollup row (the sketches merged over all days) and the address as text, and the
  // ports from the raw packets; the first also brings the hours (darknet_source_hour is ordered
  // by hour first, so the host's own last days bound what is read). One round trip each, which
  // counts most right after an ingest, when every query visits every unmerged part; one thread each, as a cheap request beside
  // others (a second thread cost more CPU merging its half of 64k ports than it saved).
  const [rows, ports] = await Promise.all([
    events.query<DayRow & { whole: number; shown: string }>(
      `SELECT toString(day) AS day, grouping(day) AS whole, ${ipText('{ip:IPv6}')} AS shown,
              formatDateTime(min(first_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS first,
              formatDateTime(max(last_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS last,
              sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
              sumMap(tag_hits) AS th, sumMap(tag_inapplicable) AS ti, ${distinctCount('ports', 'p')} AS np, ${distinctCount('dsts', 'p')} AS nd,
              anyLast(asn) AS a, anyLast(country) AS c,
              (SELECT groupArray((toUnixTimestamp(hour), p, b)) FROM (
                 SELECT hour, sum(packets) AS p, sum(pkts_backscatter) AS b FROM darknet_source_hour
                 WHERE src = {ip:IPv6} AND hour >= (SELECT toDateTime(greatest(min(day), max(day) - ${HOURLY_DAYS - 1}), 'UTC') FROM darknet_source_day WHERE src = {ip:IPv6})
                 GROUP BY hour ORDER BY hour)) AS hours
       FROM darknet_source_day WHERE src = {ip:IPv6} GROUP BY day WITH ROLLUP ORDER BY whole, day SETTINGS max_threads = 1`,
      { ip },
    ),
    // `kept`: all raw packets of the address still stored, to tell whether some have expired.
    events.query<{ proto: number; port: number; packets: number; kept: number }>(
      `SELECT proto, dport AS port, count() AS packets, sum(packets) OVER () AS kept FROM darknet_packets WHERE src = {ip:IPv6}
       GROUP BY proto, port ORDER BY packets DESC, proto, port LIMIT 100 SETTINGS max_threads = 1`,
      { ip },
    ),
  ]);
  const days = rows.filter((r) => r.whole === 0);
  const totals = rows.find((r) => r.whole === 1);
  if (days.length === 0 || !totals) return undefined;
  const sum = (f: (d: DayRow) => number): number => days.reduce((a, d) => a + f(d), 0);
  const packets = sum((d) => d.p);
  const classPackets = { scan: sum((d) => d.s), backscatter: sum((d) => d.b), other: sum((d) => d.o) };
  const k = classPackets.scan >= classPackets.backscatter && classPackets.scan >= classPackets.other ? 1
    : classPackets.backscatter >= classPackets.other ? 2 : 0;
  const hits = bitSums(days.map((d) => d.th));
  // Rows stored before migration 008 have no inapplicable counts: all their packets count as applicable.
  const inapplicable = bitSums(days.map((d) => d.ti));
  const tags: HostTag[] = [];
  for (const f of fingerprints) {
    const h = hits.get(f.bit) ?? 0;
    const applicable = packets - (inapplicable.get(f.bit) ?? 0);
    if (!carriesTag(f.minShare, h, applicable)) continue;
    tags.push({
      tag: f.name,
      confidence: tagPosterior(applicable, h, f.falseMatchChance, f.prior),
      packets: h,
      applicable,
      appliesTo: f.appliesToName,
      appliesToJa: f.appliesToNameJa,
      share: h / applicable,
      falseMatchChance: f.falseMatchChance,
      prior: f.prior,
      pValue: binomialTail(applicable, h, f.falseMatchChance),
      description: f.description,
      descriptionJa: f.descriptionJa,
    });
  }
  const last = days[days.length - 1] as DayRow;
  const hourly = (totals.hours ?? []).map(([t, p, b]) => ({ hour: new Date(Number(t) * 1000).toISOString(), packets: Number(p), backscatter: Number(b) }));
  return {
    ip: totals.shown,
    firstSeen: (days[0] as DayRow).first.replace(/(\.\d{3})\d*Z$/, '$1Z'),
    lastSeen: last.last.replace(/(\.\d{3})\d*Z$/, '$1Z'),
    packets,
    ports: ports.map((r) => ({ proto: protoName(r.proto), port: r.port, packets: r.packets })),
    distinctPorts: totals.np,
    darknetAddresses: totals.nd,
    rawPackets: rawPacketsKept(packets, ports[0]?.kept ?? 0),
    class: CLASS_NAMES[k] ?? 'other',
    classPackets,
    tags,
    asn: last.a,
    org: orgOfAsn(last.a),
    country: last.c,
    daily: days.map((d) => ({ day: d.day, packets: d.p, ports: d.np })),
    hourly,
    dosEpisodes: backscatterEpisodes(hourly),
  };
}

/** Per-bit sums of sumMap tuples (bits → counts). */
function bitSums(maps: readonly [number[], number[]][]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [bits, counts] of maps) bits.forEach((bit, j) => out.set(bit, (out.get(bit) ?? 0) + (counts[j] ?? 0)));
  return out;
}
