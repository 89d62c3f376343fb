/**
 * The console's server page (GET /api/v1/flows/servers/:ip): one external server's clients,
 * flows and octets per hour from the hourly aggregate (flow_server_hour, no raw read), the
 * histogram of the intervals between its clients' successive connections (a beacon shows as one
 * tall column) from flows_raw, and its score parts when detection scores it. Both raw reads are
 * audited (purpose 'server-page') before they run.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import { chTime } from '../../store/events/sql-helpers.js';
import { auditRawFlowRead, finishRawFlowRead } from '../store/raw-read-audit.js';
import { DIR } from '../store/orient.js';
import { cncCandidates, type CandidateKey } from '../detect/candidates.js';
import type { CncCandidate } from '../detect/candidate.js';

export interface ServerHour {
  /** ISO 8601, start of the hour. */
  hour: string;
  /** Distinct clients (estimated: uniqCombined64). */
  clients: number;
  flows: number;
  /** As exported, and scaled by each record's sampling rate. */
  octets: number;
  scaledOctets: number;
}

export interface IntervalBucket {
  /** Intervals in [fromSeconds, toSeconds); toSeconds null for the last, open bucket. */
  fromSeconds: number;
  toSeconds: number | null;
  count: number;
}

export interface ServerView {
  server: string;
  port: number;
  proto: number;
  from: string;
  to: string;
  hours: ServerHour[];
  intervals: IntervalBucket[];
  /** Its score and parts in the window, or null when detection does not score it. */
  candidate: CncCandidate | null;
}

/** Bucket bounds in seconds: beacons sit at a minute, five, ten, an hour; bursts below ten seconds. */
export const INTERVAL_BOUNDS = [0, 1, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400] as const;

interface Reader { readonly userId: string | null; readonly orgId: string | null }

const sec = (d: Date): number => Math.floor(d.getTime() / 1000);

async function serverHours(events: EventsStore, k: CandidateKey, w: TimeWindow): Promise<ServerHour[]> {
  const rows = await events.query<{ h: number; clients: number; flows: number; octets: number; scaled: number }>(
    `SELECT toUnixTimestamp(hour) AS h, uniqCombined64Merge(14)(clients) AS clients, sum(flows) AS flows, sum(octets) AS octets, sum(scaled_octets) AS scaled
       FROM flow_server_hour
      WHERE server = toIPv6({server:String}) AND server_port = {port:UInt16} AND proto = {proto:UInt8}
        AND hour >= toDateTime({from:UInt32}, 'UTC') AND hour < toDateTime({to:UInt32}, 'UTC')
      GROUP BY hour ORDER BY hour`,
    { server: k.server, port: k.port, proto: k.proto, from: sec(w.from), to: sec(w.to) },
  );
  return rows.map((r) => ({
    hour: new Date(Number(r.h) * 1000).toISOString(), clients: Number(r.clients), flows: Number(r.flows), octets: Number(r.octets), scaledOctets: Number(r.scaled),
  }));
}

/** Intervals between successive client→server flows of each client, bucketed by INTERVAL_BOUNDS. */
async function intervalHistogram(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, k: CandidateKey, w: TimeWindow, who: Reader): Promise<IntervalBucket[]> {
  const auditId = await auditRawFlowRead(stores.state, {
    userId: who.userId, orgId: who.orgId, purpose: 'server-page', fromMs: w.from.getTime(), toMs: w.to.getTime(),
    detail: { server: k.server, port: k.port, proto: k.proto },
  });
  const bounds = INTERVAL_BOUNDS.slice(1).map((b) => b * 1000);
  // Per client: its sorted start times, their differences bucketed (arrayFirstIndex is 1-based,
  // 0 when no bound is above: the open bucket), then summed across clients in one row.
  const [row] = await stores.events.query<{ hist: number[]; records: number }>(
    `SELECT sumForEach(h) AS hist, sum(k) AS records FROM (
       SELECT length(ts) AS k,
              arrayMap(i -> countEqual(arrayMap(d -> arrayFirstIndex(x -> d < x, {bounds:Array(UInt64)}), arrayPopFront(arrayDifference(ts))), i),
                       range({buckets:UInt32})) AS h
         FROM (SELECT arraySort(groupArray(toUInt64(toUnixTimestamp64Milli(start)))) AS ts
                 FROM flows_raw
                WHERE server = toIPv6({server:String}) AND server_port = {port:UInt16} AND proto = {proto:UInt8}
                  AND start >= {from:DateTime64(3)} AND start < {to:DateTime64(3)} AND dir IN ({up:UInt8}, {upByPorts:UInt8})
                GROUP BY client))`,
    {
      server: k.server, port: k.port, proto: k.proto, from: chTime(w.from), to: chTime(w.to), bounds, buckets: INTERVAL_BOUNDS.length,
      up: DIR.clientToServer, upByPorts: DIR.clientToServerByPorts,
    },
  );
  const hist = (row?.hist ?? []).map(Number);
  await finishRawFlowRead(stores.state, auditId, Number(row?.records ?? 0));
  // Index i + 1 holds [bound i, bound i + 1); index 0 the intervals above the last bound.
  return INTERVAL_BOUNDS.map((from, i) => ({
    fromSeconds: from, toSeconds: INTERVAL_BOUNDS[i + 1] ?? null, count: hist[i + 1 < INTERVAL_BOUNDS.length ? i + 1 : 0] ?? 0,
  }));
}

export async function serverView(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, k: CandidateKey, w: TimeWindow, who: Reader): Promise<ServerView> {
  const hours = await serverHours(stores.events, k, w);
  const intervals = await intervalHistogram(stores, k, w, who);
  const [candidate] = await cncCandidates(stores, {
    fromMs: w.from.getTime(), toMs: w.to.getTime(), userId: who.userId, orgId: who.orgId, purpose: 'server-page', limit: 1, only: k,
  });
  return { server: k.server, port: k.port, proto: k.proto, from: w.from.toISOString(), to: w.to.toISOString(), hours, intervals, candidate: candidate ?? null };
}
