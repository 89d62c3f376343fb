/**
 * One evaluation of a monitor: run its query over its ranges, turn the matching services into
 * findings, remember them, and queue one delivery per channel for the findings that are new (or
 * came back after they had gone) and not muted. Everything is written in one transaction, so a
 * crash leaves either the whole run or none of it; the deliveries are sent afterwards (deliver.ts).
 *
 * The first run of a monitor records what is there as its baseline and alerts nothing, as
 * Shodan Monitor does; `alertOnFirstRun` alerts the baseline too.
 */
import type { StateStore } from '../store/types.js';
import { findingsOf, type Finding, type MonitoredService } from './findings.js';
import type { Monitor } from './monitor-store.js';

/** Services matching `query` inside `cidrs` (the search compiler with the ranges as its restriction). */
export type FindServices = (query: string, cidrs: readonly string[]) => Promise<MonitoredService[]>;

export interface MonitorRunResult {
  monitor: string;
  runAt: string;
  matched: number;
  findings: number;
  alerted: Finding[];
  baseline: boolean;
  gone: number;
  deliveries: number;
}

export interface RunMonitorOptions {
  now?: Date;
  alertOnFirstRun?: boolean;
}

export async function runMonitor(state: StateStore, findServices: FindServices, m: Monitor, opts: RunMonitorOptions = {}): Promise<MonitorRunResult> {
  const runAt = opts.now ?? new Date();
  const services = await findServices(m.query, m.cidrs);
  const byKey = new Map<string, Finding>();
  for (const s of services) for (const f of findingsOf(s, m.kinds)) byKey.set(f.key, f);
  const baseline = m.lastRunAt === null && !opts.alertOnFirstRun;

  return state.transaction(async (tx) => {
    const known = new Map<string, { present: boolean; muted: boolean }>();
    for (const r of await tx.query<{ key: string; present: boolean; muted: boolean }>('SELECT key, present, muted FROM monitor_findings WHERE monitor_id = $1', [m.id])) {
      known.set(r.key, { present: r.present, muted: r.muted });
    }
    const alerted: Finding[] = [];
    const fresh: Finding[] = [];
    const seenAgain: string[] = [];
    for (const f of byKey.values()) {
      const k = known.get(f.key);
      if (!k) fresh.push(f);
      else seenAgain.push(f.key);
      if ((!k || !k.present) && !(k?.muted ?? false) && !baseline) alerted.push(f);
    }
    const gone = [...known].filter(([key, k]) => k.present && !byKey.has(key)).map(([key]) => key);
    // Set-based writes: a monitor over a large constituency can have many thousands of findings.
    if (fresh.length > 0) {
      await tx.query(
        `INSERT INTO monitor_findings (monitor_id, key, kind, ip, port, transport, detail, first_seen, last_seen)
         SELECT $1, f.key, f.kind, f.ip, f.port, f.transport, f.detail, $3, $3
         FROM jsonb_to_recordset($2::jsonb) AS f(key text, kind text, ip text, port integer, transport text, detail jsonb)`,
        [m.id, JSON.stringify(fresh), runAt],
      );
    }
    if (seenAgain.length > 0) {
      await tx.query('UPDATE monitor_findings SET present = true, last_seen = $3 WHERE monitor_id = $1 AND key = ANY($2::text[])', [m.id, seenAgain, runAt]);
    }
    if (gone.length > 0) {
      await tx.query('UPDATE monitor_findings SET present = false WHERE monitor_id = $1 AND key = ANY($2::text[])', [m.id, gone]);
    }
    let deliveries = 0;
    if (alerted.length > 0) {
      await tx.query('UPDATE monitor_findings SET alerted_at = $3 WHERE monitor_id = $1 AND key = ANY($2::text[])', [m.id, alerted.map((f) => f.key), runAt]);
      const payload = { monitor: { id: m.id, name: m.name, query: m.query }, runAt: runAt.toISOString(), language: m.language, findings: alerted };
      const keys = alerted.map((f) => f.key);
      for (const [channel, targets] of [['webhook', m.webhooks], ['email', m.emails]] as const) {
        for (const target of targets) {
          await tx.query(
            `INSERT INTO monitor_deliveries (monitor_id, run_at, channel, target, finding_keys, payload, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $2) ON CONFLICT DO NOTHING`,
            [m.id, runAt, channel, target, keys, JSON.stringify(payload)],
          );
          deliveries++;
        }
      }
    }
    await tx.query('UPDATE monitors SET last_run_at = $2, last_run_findings = $3 WHERE id = $1', [m.id, runAt, byKey.size]);
    return { monitor: m.name, runAt: runAt.toISOString(), matched: services.length, findings: byKey.size, alerted, baseline, gone: gone.length, deliveries };
  });
}
