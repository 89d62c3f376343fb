/**
 * `cnc candidates`: the external servers of internal clients that look most like C&C servers,
 * best first, each with the parts of its score and a few flows as evidence (candidate.ts).
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import { chTime, ipText, isoFromCh } from '../../store/events/sql-helpers.js';
import type { CandidateEvidence, CncCandidate } from './candidate.js';
import { serverScoreSql } from './server-sql.js';
import { withScoreRun, type CncWindowOptions, type ScoreRun } from './score-window.js';

export interface CandidateOptions extends CncWindowOptions {
  /** How many (default 50). */
  readonly limit?: number;
  /** Evidence flows per candidate (default 3). */
  readonly evidence?: number;
  /** Only this server (the server page): its score whatever its rank. */
  readonly only?: CandidateKey;
}

export interface CandidateKey { readonly server: string; readonly port: number; readonly proto: number }

interface Row {
  server_text: string; port: number; proto: number; score: number; clients: number; first_text: string; last_text: string;
  beacon: number; size_reg: number; server_part: number; grouping: number; rarity: number; darknet: number; indicator: number;
  best: string; best_key: string; ival: number; isize: number;
}

const TIME = (c: string): string => `toString(${c})`;

/** The parts as reported: each in [0, 1], rounded for reading. */
const r3 = (v: number): number => Math.round(Number(v) * 1000) / 1000;

export async function topCandidates(events: EventsStore, run: ScoreRun, limit: number, evidence: number, only?: CandidateKey): Promise<CncCandidate[]> {
  const where = only ? 'WHERE server = toIPv6({onlyServer:String}) AND port = {onlyPort:UInt16} AND proto = {onlyProto:UInt8}' : '';
  const rows = await events.query<Row>(
    `SELECT ${ipText('server')} AS server_text, port, proto, score, clients, ${TIME('first')} AS first_text, ${TIME('last')} AS last_text,
            beacon, size_reg, server_part, grouping, rarity, darknet, indicator, ${ipText('best_client')} AS best,
            concat(toString(server), '|', toString(port), '|', toString(proto), '|', toString(best_client)) AS best_key, ival, isize
     FROM (${serverScoreSql(run.scratch)}) ${where} ORDER BY score DESC, server, port, proto LIMIT {limit:UInt32}`,
    { ...run.params, limit, ...(only ? { onlyServer: only.server, onlyPort: only.port, onlyProto: only.proto } : {}) },
  );
  const flows = evidence > 0 && rows.length > 0 ? await evidenceFlows(events, run, rows, evidence) : new Map<string, Omit<CandidateEvidence, 'note'>[]>();
  return rows.map((r) => {
    const note = Number(r.beacon) > 0
      ? `beacon interval ${Math.round(Number(r.ival))} s, request ${Math.round(Number(r.isize))} bytes (median of the most regular client)`
      : 'no beaconing client';
    return {
      server: r.server_text, port: Number(r.port), proto: Number(r.proto), score: r3(r.score),
      parts: {
        beacon: r3(r.beacon), 'size-regularity': r3(r.size_reg), server: r3(r.server_part), 'client-grouping': r3(r.grouping),
        rarity: r3(r.rarity), darknet: r3(r.darknet), indicator: r3(r.indicator),
      },
      clients: Number(r.clients), firstSeen: isoFromCh(r.first_text), lastSeen: isoFromCh(r.last_text),
      evidence: (flows.get(r.best_key) ?? []).map((f) => ({ ...f, note })),
    };
  });
}

/** The first flows of each candidate's most regular client (client→server records). */
async function evidenceFlows(events: EventsStore, run: ScoreRun, rows: readonly Row[], per: number): Promise<Map<string, Omit<CandidateEvidence, 'note'>[]>> {
  const got = await events.query<{ key: string; client_text: string; start_text: string; est_octets: number; est_packets: number }>(
    `SELECT concat(toString(server), '|', toString(server_port), '|', toString(proto), '|', toString(client)) AS key, ${ipText('client')} AS client_text,
            ${TIME('start')} AS start_text, octets * sampling AS est_octets, packets * sampling AS est_packets
     FROM flows_raw
     WHERE server IN (SELECT toIPv6(arrayJoin({servers:Array(String)}))) AND start >= {from:DateTime64(3)} AND start < {to:DateTime64(3)}
       AND dir = {up:UInt8} AND key IN {keys:Array(String)}
     ORDER BY key, start_text LIMIT {per:UInt32} BY key`,
    {
      servers: [...new Set(rows.map((r) => r.best_key.split('|')[0] as string))], keys: rows.map((r) => r.best_key), per, up: run.dirs[0],
      from: chTime(new Date(run.fromMs)), to: chTime(new Date(run.toMs)),
    },
  );
  const out = new Map<string, Omit<CandidateEvidence, 'note'>[]>();
  for (const f of got) {
    const list = out.get(f.key) ?? [];
    list.push({ client: f.client_text, start: isoFromCh(f.start_text), octets: Number(f.est_octets), packets: Number(f.est_packets) });
    out.set(f.key, list);
  }
  return out;
}

export async function cncCandidates(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, o: CandidateOptions = {}): Promise<CncCandidate[]> {
  return withScoreRun(stores, { ...o, purpose: o.purpose ?? 'cnc-detect' }, (run) => topCandidates(stores.events, run, o.limit ?? 50, o.evidence ?? 3, o.only));
}
