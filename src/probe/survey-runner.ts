/**
 * One survey run: scope → port discovery → L7 modules on each open port → post-processors
 * (fingerprints, CVEs) → service rows written in batches. Every connection goes through one
 * probe gate (scope guard, socket bound, rate limits, audit). The run and its progress are
 * recorded in `survey_runs`; a batch's dedup token is run id + batch number, so a batch
 * re-sent after an error is stored once.
 *
 * The scope and its exclusions are followed while the run goes on (scope/live-guard.ts): an
 * exclusion added mid-run cuts the traffic to its addresses, drops what was not yet recorded for
 * them, and is written to the probe audit as the moment it applied from; a scope that ends or
 * is removed stops the run (status aborted).
 */
import { SakimoriError, isSakimoriError, messageOf } from '../errors.js';
import type { IpEnricher } from '../enrich/index.js';
import { serviceRow, type ServiceFinding, type ServiceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { StateAuditLog, exclusionAuditRecord, type AuditSink } from './audit/audit-log.js';
import type { CredentialList, L7Module, ProbeContext, ProbeTarget } from './module.js';
import { identifyService } from './identify/index.js';
import { createProbeContext, ProbeGate, type GateStats } from './probe-context.js';
import { RateLimiter } from './rate/rate-limiter.js';
import { Semaphore } from './rate/semaphore.js';
import { ensureFdLimit, socketBudget } from './scan/fd-limit.js';
import { tcpScan, type ScanProgress } from './scan/tcp-scanner.js';
import { parseIpUnmapped } from '../net/ip.js';
import { LiveScopeGuard, type GuardChange, type LiveGuardOptions } from './scope/live-guard.js';
import { ExcludedTargetError, type ScopeGuard } from './scope/scope-guard.js';
import { isScopeRefusal } from './identify/scope-errors.js';
import { HEARTBEAT_MS, createRun, finishRun, heartbeat, newRunId, updateRun, type RunCounters, type RunStatus } from './survey-runs.js';

export interface SurveySettings {
  readonly ratePerSecond: number;
  readonly perHostRatePerSecond: number;
  readonly concurrency: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly retries: number;
  readonly maxCredentialAttempts: number;
}

export type PostProcessor = (row: ServiceRow) => void | Promise<void>;

export interface SurveyRunOptions {
  readonly state: StateStore;
  readonly events: EventsStore;
  readonly enricher: IpEnricher;
  /** Scope id or name. */
  readonly scope: string;
  readonly modules: readonly L7Module[];
  /** Default: every module's default ports. */
  readonly ports?: readonly number[];
  readonly settings: SurveySettings;
  readonly postProcessors?: readonly PostProcessor[];
  /** Given to modules only when the scope enables credential checks. */
  readonly credentials?: CredentialList;
  readonly runId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SurveyProgress) => void;
  /** Service rows per write (default 1000). */
  readonly batchSize?: number;
  /** Module probes at once (default min(256, concurrency)). */
  readonly moduleConcurrency?: number;
  readonly seed?: number;
  /** Default: the `probe_audit` table of `state`. */
  readonly audit?: AuditSink;
  /** How the scope and its exclusions are re-read while the run goes on (tests). */
  readonly guardRefresh?: LiveGuardOptions;
}

export interface SurveyProgress extends ScanProgress {
  readonly runId: string;
  readonly services: number;
  readonly modulesPending: number;
}

export interface SurveySummary {
  readonly runId: string;
  readonly scope: string;
  readonly status: RunStatus;
  readonly scan: ScanProgress;
  readonly services: number;
  /** Ports that were open in the current view and were found closed now. */
  readonly closedNow: number;
  readonly gate: GateStats;
  readonly fdLimit: number;
  readonly sockets: number;
  /** Open ports whose findings were dropped because an exclusion covered them before they were recorded. */
  readonly excludedMidRun: number;
  readonly error?: string;
}

export async function runSurvey(o: SurveyRunOptions): Promise<SurveySummary> {
  const s = o.settings;
  const live = await LiveScopeGuard.open(o.state, o.scope, o.guardRefresh);
  const guard = live.current;
  const expired = guard.checkTime();
  if (expired) throw expired;
  const ports = [...new Set(o.ports ?? o.modules.flatMap((m) => m.defaultPorts))].sort((a, b) => a - b);
  if (ports.length === 0) throw new SakimoriError('BAD_REQUEST', 'no ports: give --ports or at least one module');
  const targetsTotal = guard.allowed.size * BigInt(ports.length);

  const limit = await ensureFdLimit(s.concurrency);
  const moduleConcurrency = Math.max(1, o.moduleConcurrency ?? Math.min(256, s.concurrency));
  const budget = socketBudget(s.concurrency + moduleConcurrency, limit);
  const scanConcurrency = Math.max(1, Math.min(s.concurrency, budget - Math.min(moduleConcurrency, Math.floor(budget / 2))));

  const runId = o.runId ?? newRunId();
  await createRun(o.state, { id: runId, scopeId: guard.scope.id, modules: o.modules.map((m) => m.name), ports, targetsTotal: Number(targetsTotal) });

  // Alive while it runs: readers mark a run whose process stopped as aborted (survey-runs.ts).
  const beat = setInterval(() => void heartbeat(o.state, runId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  let gate: ProbeGate | undefined;
  try {
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort(o.signal?.reason);
    if (o.signal?.aborted) controller.abort(o.signal.reason);
    o.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const audit = o.audit ?? new StateAuditLog(o.state);
    // Before the gate subscribes: the cut-over is audited before the sockets it closes.
    let scopeEnded: SakimoriError | undefined;
    live.onChange((c: GuardChange) => {
      for (const e of c.added) audit.append(exclusionAuditRecord(runId, e, c.at, 'applied'));
      for (const e of c.removed) audit.append(exclusionAuditRecord(runId, e, c.at, 'lifted'));
      if (c.ended) {
        scopeEnded = c.ended;
        controller.abort(c.ended);
      }
    });
    gate = new ProbeGate({
      guard: live, limiter: new RateLimiter({ rate: s.ratePerSecond, perHostRate: s.perHostRatePerSecond }), sockets: new Semaphore(budget),
      audit, runId, connectTimeoutMs: s.connectTimeoutMs, signal: controller.signal,
    });
    live.start();
    const liveGate = gate;
    /** A target an exclusion covers now: nothing more is sent to it nor recorded about it. */
    const excludedNow = (ip: string): boolean => {
      const a = parseIpUnmapped(ip);
      return a !== undefined && liveGate.guard.excluded.has(a);
    };
    let excludedMidRun = 0;
    const ctx = createProbeContext(gate, { readTimeoutMs: s.readTimeoutMs, maxCredentialAttempts: s.maxCredentialAttempts, credentials: o.credentials });

    const counters: RunCounters = { targetsDone: 0, openPorts: 0, services: 0, batches: 0 };
    const batchSize = o.batchSize ?? 1000;
    let pendingRows: ServiceRow[] = [];
    let writing: Promise<void> = Promise.resolve();
    let failure: unknown;
    const openKeys = new Set<string>();

    const flushRows = (): Promise<void> => {
      const rows = pendingRows;
      pendingRows = [];
      if (rows.length === 0) return writing;
      writing = writing.then(async () => {
        const batch = ++counters.batches;
        await writeServices(o.events, o.enricher, rows, { dedupToken: `${runId}:${batch}` });
        counters.services += rows.length;
      }).catch((e: unknown) => {
        failure ??= e;
        controller.abort(e);
      });
      return writing;
    };
    const addRow = async (f: ServiceFinding, time: number, post: boolean): Promise<void> => {
      const row = serviceRow({ ...f, source: 'survey', run_id: runId }, time);
      if (post) for (const p of o.postProcessors ?? []) await p(row);
      pendingRows.push(row);
      if (pendingRows.length >= batchSize) void flushRows();
    };

    // Open ports go to a queue served by a bounded pool of module workers.
    const queue: ProbeTarget[] = [];
    const idle: (() => void)[] = [];
    let scanning = true;
    let inModules = 0;
    const wakeOne = (): void => idle.shift()?.();
    const wakeAll = (): void => { for (const w of idle.splice(0)) w(); };
    controller.signal.addEventListener('abort', wakeAll, { once: true });
    const moduleWorker = async (): Promise<void> => {
      for (;;) {
        if (controller.signal.aborted) return;
        const t = queue.shift();
        if (!t) {
          if (!scanning) return;
          await new Promise<void>((r) => idle.push(r));
          continue;
        }
        inModules++;
        try {
          const time = Date.now();
          const f = o.modules.length > 0 ? (await identifyService(t, ctx, o.modules)).finding : { ...t, status: 'open' as const };
          // Excluded while its modules ran (their sockets were cut): what they saw is not kept.
          if (excludedNow(t.ip)) excludedMidRun++;
          else await addRow(f, time, true);
        } catch (e) {
          if (e instanceof ExcludedTargetError) {
            excludedMidRun++;
            continue;
          }
          if (!controller.signal.aborted) {
            failure ??= e;
            controller.abort(e);
          }
        } finally {
          inModules--;
        }
      }
    };

    let lastScan: ScanProgress = { total: Number(targetsTotal), done: 0, open: 0, closed: 0, timeout: 0, error: 0, excluded: 0, attempts: 0, elapsedMs: 0 };
    let lastSaved = 0;
    const report = (p: ScanProgress): void => {
      lastScan = p;
      counters.targetsDone = p.done;
      counters.openPorts = p.open;
      o.onProgress?.({ ...p, runId, services: counters.services, modulesPending: queue.length + inModules });
      if (p.elapsedMs - lastSaved >= 1000) {
        lastSaved = p.elapsedMs;
        void updateRun(o.state, runId, counters).catch(() => undefined);
      }
    };

    let status: RunStatus = 'done';
    let closedNow = 0;
    let error: string | undefined;
    const workers = Array.from({ length: moduleConcurrency }, moduleWorker);
    try {
      lastScan = await tcpScan({
        gate, targets: guard.allowed, ports, concurrency: scanConcurrency, timeoutMs: s.connectTimeoutMs, retries: s.retries,
        ...(o.seed !== undefined ? { seed: o.seed } : {}), signal: controller.signal, onProgress: report, progressEveryMs: 250,
        onResult: (r) => {
          if (r.status !== 'open') return;
          if (excludedNow(r.ip)) {
            excludedMidRun++;
            return;
          }
          openKeys.add(`${r.ip}|${r.port}`);
          queue.push({ ip: r.ip, port: r.port, transport: 'tcp' });
          wakeOne();
        },
      });
      report(lastScan);
    } catch (e) {
      failure ??= e;
    } finally {
      scanning = false;
      wakeAll();
    }
    // Workers drain the queue, or stop at once when the run failed or was aborted.
    await Promise.all(workers);
    o.signal?.removeEventListener('abort', onOuterAbort);

    if (failure === undefined && !controller.signal.aborted) {
      try {
        closedNow = await markClosed(o.events, gate.guard, ports, openKeys, runId, (f, t) => addRow(f, t, false));
      } catch (e) {
        failure ??= e;
      }
    }
    await flushRows();
    const stop = scopeEnded ?? (isSakimoriError(failure) && failure.code === 'SCOPE_EXPIRED' ? failure : undefined);
    if (stop !== undefined && (failure === undefined || failure === stop || isScopeRefusal(failure))) {
      // Stopped by the scope (its validity ended, it was removed), not by a fault of the run.
      status = stop.code === 'SCOPE_EXPIRED' ? 'aborted' : 'failed';
      error = messageOf(stop);
    } else if (failure !== undefined) {
      const aborted = o.signal?.aborted === true && failure === o.signal.reason;
      status = aborted ? 'aborted' : 'failed';
      error = messageOf(failure);
    } else if (controller.signal.aborted) {
      status = 'aborted';
      error = messageOf(controller.signal.reason);
    }
    try {
      await audit.close();
    } catch (e) {
      status = 'failed';
      error ??= messageOf(e);
    }
    await finishRun(o.state, runId, status, counters, error ?? null);
    return {
      runId, scope: guard.scope.name, status, scan: lastScan, services: counters.services, closedNow, gate: { ...gate.stats },
      fdLimit: limit.soft, sockets: budget, excludedMidRun, ...(error !== undefined ? { error } : {}),
    };
  } finally {
    clearInterval(beat);
    live.close();
    gate?.close();
  }
}

/**
 * Keeps the current view honest: a port open in `services_current` that this (complete) run
 * scanned and did not find open gets a 'closed' row. Only ports inside the scope and not
 * excluded count — those are the ones the run actually tried.
 */
async function markClosed(
  events: EventsStore, guard: ScopeGuard, ports: readonly number[], openKeys: ReadonlySet<string>, runId: string,
  add: (f: ServiceFinding, time: number) => Promise<void>,
): Promise<number> {
  const rows = await events.query<{ ip: string; port: number }>(
    `SELECT toString(ip) AS ip, port FROM services_current FINAL
     WHERE status = 'open' AND transport = 'tcp' AND port IN {ports:Array(UInt16)} AND run_id != {run:String}`,
    { ports: [...ports], run: runId },
  );
  let n = 0;
  const now = Date.now();
  for (const r of rows) {
    const a = parseIpUnmapped(r.ip);
    if (!a || !guard.permits(a)) continue;
    const ip = a.family === 4 ? r.ip.replace(/^::ffff:/i, '') : r.ip;
    if (openKeys.has(`${ip}|${r.port}`)) continue;
    await add({ ip, port: r.port, transport: 'tcp', status: 'closed' }, now);
    n++;
  }
  return n;
}
