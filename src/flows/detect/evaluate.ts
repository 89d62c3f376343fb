/**
 * `cnc evaluate`: detection scored against the generator's truth (labels.json). Server level:
 * the detection rate (labelled servers scored at or above the decision threshold), the false-
 * positive rate among candidate servers (unlabelled candidates at or above it, over all
 * unlabelled candidates), precision at 10 and 100, and the rank of every labelled server. With
 * `sample`, stored packets are thinned 1-in-N at query time first (pair-sql.ts).
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { parseIpUnmapped } from '../../net/ip.js';
import type { CncLabel } from '../synth/isp-plan.js';
import { serverScoreSql } from './server-sql.js';
import { withScoreRun, type CncWindowOptions, type ScoreRun } from './score-window.js';
import { CNC_THRESHOLDS } from './weights.js';

export interface LabelRank extends CncLabel {
  /** 1 = best; null when the server is no candidate at all (no client reached it in the window, or sampling removed it). */
  readonly rank: number | null;
  readonly score: number | null;
}

export interface CncEvaluation {
  readonly sample: number;
  readonly threshold: number;
  readonly candidates: number;
  readonly labelled: number;
  readonly detected: number;
  readonly detectionRate: number;
  readonly falsePositives: number;
  readonly falsePositiveRate: number;
  readonly precisionAt10: number;
  readonly precisionAt100: number;
  readonly ranks: readonly LabelRank[];
}

/** A label's key as the scores give it: toString(server) (IPv4 mapped), port, proto. */
function keyOf(server: string, port: number, proto: number): string {
  const ip = parseIpUnmapped(server);
  if (!ip) throw new SakimoriError('BAD_REQUEST', `not an address in the labels: ${server}`, { server });
  return `${ip.family === 4 ? `::ffff:${server.trim()}` : server.trim().toLowerCase()}/${port}/${proto}`;
}

/** Reads labels.json: an array of {server, port, proto, kind, botnet}. */
export function parseLabels(text: string): CncLabel[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SakimoriError('BAD_REQUEST', `labels are not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new SakimoriError('BAD_REQUEST', 'labels must be a JSON array of {server, port, proto, kind, botnet}');
  return doc.map((x: unknown, i) => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    if (typeof o['server'] !== 'string' || typeof o['port'] !== 'number' || typeof o['proto'] !== 'number') {
      throw new SakimoriError('BAD_REQUEST', `label ${i} needs server (text), port and proto (numbers)`, { label: i });
    }
    return { server: o['server'], port: o['port'], proto: o['proto'], kind: String(o['kind'] ?? '') as CncLabel['kind'], botnet: String(o['botnet'] ?? '') };
  });
}

export async function evaluateRun(events: EventsStore, run: ScoreRun, labels: readonly CncLabel[]): Promise<CncEvaluation> {
  const thr = CNC_THRESHOLDS.decision;
  const keys = labels.map((l) => keyOf(l.server, l.port, l.proto));
  const unique = [...new Set(keys)];
  const rows = await events.query<{ key: string; score: number; rank: number; total: number; above: number }>(
    `SELECT key, score, rank, total, above FROM (
       SELECT concat(toString(server), '/', toString(port), '/', toString(proto)) AS key, score,
              row_number() OVER (ORDER BY score DESC, server, port, proto) AS rank,
              count() OVER () AS total, countIf(score >= {thr:Float64}) OVER () AS above
       FROM (${serverScoreSql(run.scratch)}))
     WHERE rank <= 100 OR key IN {labels:Array(String)}
     ORDER BY rank`,
    { ...run.params, thr, labels: unique },
  );
  const truth = new Set(unique);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const total = Number(rows[0]?.total ?? 0);
  const above = Number(rows[0]?.above ?? 0);
  const present = unique.filter((k) => byKey.has(k));
  const detected = present.filter((k) => Number(byKey.get(k)?.score ?? 0) >= thr).length;
  const negatives = total - present.length;
  const falsePositives = above - detected;
  const topTrue = (n: number): number => rows.filter((r) => Number(r.rank) <= n && truth.has(r.key)).length;
  return {
    sample: run.sample, threshold: thr, candidates: total, labelled: unique.length, detected,
    detectionRate: unique.length === 0 ? 0 : detected / unique.length,
    falsePositives, falsePositiveRate: negatives <= 0 ? 0 : falsePositives / negatives,
    precisionAt10: topTrue(10) / 10, precisionAt100: topTrue(100) / 100,
    ranks: labels.map((l, i) => {
      const r = byKey.get(keys[i] as string);
      return { ...l, rank: r ? Number(r.rank) : null, score: r ? Math.round(Number(r.score) * 1000) / 1000 : null };
    }),
  };
}

export async function evaluateCnc(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, labels: readonly CncLabel[], o: CncWindowOptions = {}): Promise<CncEvaluation> {
  return withScoreRun(stores, { ...o, purpose: o.purpose ?? 'cnc-evaluate' }, (run) => evaluateRun(stores.events, run, labels));
}
