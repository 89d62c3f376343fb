/**
 * One address's darknet activity per day for its timeline: packets per class from the daily
 * rollup (kept for good) and the most targeted ports of each day from the raw packets while they
 * are kept (ordered by (src, ts): a range of that address). Backscatter days are left to the
 * backscatter episodes, which say when the address was a DoS victim.
 */
import type { EventsStore } from '../../store/types.js';
import { protoName } from '../../store/events/sql-helpers.js';

export interface DarknetDay {
  day: string;
  first: string;
  last: string;
  packets: number;
  scan: number;
  backscatter: number;
  other: number;
  /** `tcp/23 1,200` style, the day's top ports of its scan and other packets; '' once raw packets expired. */
  ports: string;
}

/** Days read at most (the most recent): the timeline keeps 500 entries. */
export const DAY_LIMIT = 500;
const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;
const trimMs = (s: string): string => s.replace(/(\.\d{3})\d*Z$/, '$1Z');

export async function darknetDays(events: EventsStore, ip: string): Promise<DarknetDay[]> {
  const [days, ports] = await Promise.all([
    events.query<{ day: string; first: string; last: string; p: number; s: number; b: number; o: number }>(
      `SELECT toString(day) AS day, ${ISO('min(first_seen)')} AS first, ${ISO('max(last_seen)')} AS last,
              sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o
       FROM darknet_source_day WHERE src = {ip:IPv6} GROUP BY day ORDER BY day DESC LIMIT ${DAY_LIMIT} SETTINGS max_threads = 1`,
      { ip },
    ),
    events.query<{ day: string; proto: number; port: number; n: number }>(
      `SELECT toString(toDate(ts)) AS day, proto, dport AS port, count() AS n FROM darknet_packets
       WHERE src = {ip:IPv6} AND cls != 2 GROUP BY day, proto, port ORDER BY day, n DESC, proto, port LIMIT 5 BY day SETTINGS max_threads = 1`,
      { ip },
    ),
  ]);
  const portsOf = new Map<string, string[]>();
  for (const r of ports) {
    const list = portsOf.get(r.day) ?? [];
    list.push(`${protoName(Number(r.proto))}/${r.port} ${Number(r.n)}`);
    portsOf.set(r.day, list);
  }
  return days.reverse().map((d) => ({
    day: d.day, first: trimMs(d.first), last: trimMs(d.last),
    packets: Number(d.p), scan: Number(d.s), backscatter: Number(d.b), other: Number(d.o),
    ports: (portsOf.get(d.day) ?? []).join(', '),
  }));
}
