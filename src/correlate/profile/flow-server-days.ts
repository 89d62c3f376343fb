/**
 * Whether the address was a server in our flows, per day, from the hourly aggregate
 * (flow_server_hour: ordered by server first, so a range of that address; it holds no client
 * address, only a distinct count). Raw flows are never read for a profile.
 */
import type { EventsStore } from '../../store/types.js';
import { isoFromCh, protoName } from '../../store/events/sql-helpers.js';

export interface FlowServerDay {
  day: string;
  first: string;
  last: string;
  flows: number;
  /** Distinct clients of its busiest port that day (estimated). */
  clients: number;
  /** `tcp/443 12` style: the day's ports by flows (at most 5). */
  ports: string;
}

const DAY_LIMIT = 500;

export async function flowServerDays(events: EventsStore, ip: string): Promise<FlowServerDay[]> {
  const rows = await events.query<{ day: string; first: string; last: string; flows: number; clients: number; top: [number, number, number][] }>(
    `SELECT day, toString(min(f)) AS first, toString(max(l)) AS last, sum(n) AS flows, max(c) AS clients,
            arraySlice(arraySort(x -> -x.3, groupArray((proto, server_port, n))), 1, 5) AS top
     FROM (SELECT toString(toDate(hour)) AS day, proto, server_port, sum(flows) AS n, uniqCombined64Merge(14)(clients) AS c,
                  min(first_seen) AS f, max(last_seen) AS l
           FROM flow_server_hour WHERE server = {ip:IPv6} GROUP BY day, proto, server_port)
     GROUP BY day ORDER BY day DESC LIMIT ${DAY_LIMIT} SETTINGS max_threads = 1`,
    { ip },
  );
  return rows.reverse().map((r) => ({
    day: r.day, first: isoFromCh(r.first), last: isoFromCh(r.last), flows: Number(r.flows), clients: Number(r.clients),
    ports: r.top.map(([proto, port, n]) => `${protoName(Number(proto))}/${port} ${Number(n)}`).join(', '),
  }));
}
