import type { EventsStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { CLASS_NAMES } from '../classify/packet-class.js';
import { tagConfidence, type Fingerprint } from '../classify/fingerprints.js';
import { ipText, protoName, sketchEstimate } from '../store/events/sql-helpers.js';
import { normalizeIp } from '../net/ip.js';

export interface HostTag { tag: string; confidence: number; packets: number; share: number; falseMatchChance: number; description: string; descriptionJa: string }

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
}

interface DayRow {
  day: string; first: string; last: string; p: number; s: number; b: number; o: number;
  th: [number[], number[]]; np: number; nd: number; a: number; c: string;
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
  const days = await events.query<DayRow>(
    `SELECT toString(day) AS day,
            formatDateTime(min(first_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS first,
            formatDateTime(max(last_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS last,
            sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            sumMap(tag_hits) AS th, ${sketchEstimate('maxMap(ports)')} AS np, ${sketchEstimate('maxMap(dsts)')} AS nd,
            anyLast(asn) AS a, anyLast(country) AS c
     FROM darknet_source_day WHERE src = {ip:IPv6} GROUP BY day ORDER BY day`,
    { ip },
  );
  if (days.length === 0) return undefined;
  // Over several days the sketches are merged once more; for one day its row says it all.
  const [totals] = days.length === 1
    ? [{ np: (days[0] as DayRow).np, nd: (days[0] as DayRow).nd }]
    : await events.query<{ np: number; nd: number }>(
      `SELECT ${sketchEstimate('maxMap(ports)')} AS np, ${sketchEstimate('maxMap(dsts)')} AS nd FROM darknet_source_day WHERE src = {ip:IPv6}`,
      { ip },
    );
  const ports = await events.query<{ proto: number; port: number; packets: number }>(
    `SELECT proto, dport AS port, count() AS packets FROM darknet_packets WHERE src = {ip:IPv6}
     GROUP BY proto, port ORDER BY packets DESC, proto, port LIMIT 100`,
    { ip },
  );
  const [shown] = await events.query<{ ip: string }>(`SELECT ${ipText('{ip:IPv6}')} AS ip`, { ip });

  const sum = (f: (d: DayRow) => number): number => days.reduce((a, d) => a + f(d), 0);
  const packets = sum((d) => d.p);
  const classPackets = { scan: sum((d) => d.s), backscatter: sum((d) => d.b), other: sum((d) => d.o) };
  const k = classPackets.scan >= classPackets.backscatter && classPackets.scan >= classPackets.other ? 1
    : classPackets.backscatter >= classPackets.other ? 2 : 0;
  const hits = new Map<number, number>();
  for (const d of days) d.th[0].forEach((bit, j) => hits.set(bit, (hits.get(bit) ?? 0) + (d.th[1][j] ?? 0)));
  const tags: HostTag[] = [];
  for (const f of fingerprints) {
    const h = hits.get(f.bit) ?? 0;
    if (h === 0 || h < f.minShare * packets) continue;
    tags.push({
      tag: f.name,
      confidence: tagConfidence(packets, h, f.falseMatchChance),
      packets: h,
      share: h / packets,
      falseMatchChance: f.falseMatchChance,
      description: f.description,
      descriptionJa: f.descriptionJa,
    });
  }
  const last = days[days.length - 1] as DayRow;
  return {
    ip: shown?.ip ?? ipInput,
    firstSeen: (days[0] as DayRow).first.replace(/(\.\d{3})\d*Z$/, '$1Z'),
    lastSeen: last.last.replace(/(\.\d{3})\d*Z$/, '$1Z'),
    packets,
    ports: ports.map((r) => ({ proto: protoName(r.proto), port: r.port, packets: r.packets })),
    distinctPorts: totals?.np ?? 0,
    darknetAddresses: totals?.nd ?? 0,
    class: CLASS_NAMES[k] ?? 'other',
    classPackets,
    tags,
    asn: last.a,
    org: orgOfAsn(last.a),
    country: last.c,
    daily: days.map((d) => ({ day: d.day, packets: d.p, ports: d.np })),
  };
}
