/**
 * One scoring run over a window of flows_raw: the read is audited first (a read that cannot be
 * audited does not run), the window and orientation are settled, the pairs are scored into a
 * scratch table, and `fn` queries the per-server scores (server-sql.ts) from it; the scratch
 * table is dropped afterwards whatever happens.
 */
import { randomBytes } from 'node:crypto';
import type { EventsStore, EventParams, StateStore } from '../../store/types.js';
import { auditRawFlowRead, finishRawFlowRead } from '../store/raw-read-audit.js';
import { chTime } from '../../store/events/sql-helpers.js';
import { DIR } from '../store/orient.js';
import { PAIR_COLUMNS, pairInsertSql } from './pair-sql.js';
import { importedIndicatorRanges } from './indicator-ranges.js';
import { CNC_THRESHOLDS } from './weights.js';

export interface CncWindowOptions {
  /** Window of flow start times, ms since the epoch; default the last 24 hours of stored flows. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** 1-in-N thinning of stored packets at query time (evaluation at realistic sampling rates). */
  readonly sample?: number;
  /** Who reads (audit): null for the system. */
  readonly userId?: string | null;
  readonly orgId?: string | null;
  readonly purpose?: string;
}

export interface ScoreRun {
  /** The scratch table holding one row per pair. */
  readonly scratch: string;
  /** Parameters the server query (serverScoreSql) needs. */
  readonly params: EventParams;
  readonly fromMs: number;
  readonly toMs: number;
  readonly dirs: readonly [number, number];
  readonly clients: number;
  readonly sample: number;
}

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function withScoreRun<T>(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, o: CncWindowOptions, fn: (run: ScoreRun) => Promise<T>): Promise<T> {
  const sample = Math.max(1, Math.floor(o.sample ?? 1));
  const auditId = await auditRawFlowRead(stores.state, {
    userId: o.userId ?? null, orgId: o.orgId ?? null, purpose: o.purpose ?? 'cnc-detect', fromMs: o.fromMs ?? null, toMs: o.toMs ?? null, detail: { sample },
  });
  let toMs = o.toMs;
  if (toMs === undefined) {
    const [r] = await stores.events.query<{ t: number | null }>('SELECT if(count() = 0, NULL, toUnixTimestamp64Milli(max(start))) AS t FROM flows_raw');
    toMs = r?.t == null ? Date.now() : Number(r.t) + 1;
  }
  const fromMs = o.fromMs ?? toMs - DAY;
  const win = { from: chTime(new Date(fromMs)), to: chTime(new Date(toMs)) };
  // Candidates are external servers of internal clients; without internal prefixes, by ports.
  const [known] = await stores.events.query<{ n: number }>(
    `SELECT count() AS n FROM (SELECT 1 FROM flows_raw WHERE start >= {from:DateTime64(3)} AND start < {to:DateTime64(3)} AND dir IN (1, 2) LIMIT 1)`, win);
  const dirs: [number, number] = Number(known?.n ?? 0) > 0 ? [DIR.clientToServer, DIR.serverToClient] : [DIR.clientToServerByPorts, DIR.serverToClientByPorts];
  const scratch = `cnc_pairs_${randomBytes(6).toString('hex')}`;
  const dark = { darkFrom: day(fromMs - 7 * DAY), darkTo: day(toMs) };
  await stores.events.exec(`CREATE TABLE ${scratch} (${PAIR_COLUMNS}) ENGINE = MergeTree ORDER BY (server, port, proto, client)`);
  try {
    await stores.events.exec(pairInsertSql(scratch, { dirs, sample }), { ...win, windowS: (toMs - fromMs) / 1000, ...dark }, { optimize_aggregation_in_order: 1 });
    const [t] = await stores.events.query<{ clients: number; records: number }>(`SELECT uniqExact(client) AS clients, sum(n) + sum(nrev) AS records FROM ${scratch}`);
    const clients = Number(t?.clients ?? 0);
    await finishRawFlowRead(stores.state, auditId, Number(t?.records ?? 0));
    const ind = await importedIndicatorRanges(stores.state);
    const n0 = Math.max(CNC_THRESHOLDS.minN0, CNC_THRESHOLDS.n0Share * clients);
    return await fn({ scratch, params: { n0, ilo: ind.lo, ihi: ind.hi, ...dark }, fromMs, toMs, dirs, clients, sample });
  } finally {
    await stores.events.exec(`DROP TABLE IF EXISTS ${scratch}`);
  }
}
