/** Survey runs in the state store (`survey_runs`): created, updated with progress, read back. */
import { randomBytes } from 'node:crypto';
import { SakimoriError } from '../errors.js';
import type { StateStore } from '../store/types.js';

export type RunStatus = 'pending' | 'running' | 'done' | 'failed' | 'aborted';

export interface SurveyRun {
  id: string;
  scopeId: string;
  scopeName: string;
  modules: string[];
  ports: number[];
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  targetsTotal: number;
  targetsDone: number;
  openPorts: number;
  services: number;
  batches: number;
  error: string | null;
}

export interface RunCounters {
  targetsDone: number;
  openPorts: number;
  services: number;
  batches: number;
}

interface Row {
  id: string; scope_id: string; scope_name: string; modules: string[]; ports: number[]; status: RunStatus; started_at: Date; finished_at: Date | null;
  targets_total: number; targets_done: number; open_ports: number; services: number; batches: number; error: string | null;
}

const SELECT = `SELECT r.id, r.scope_id, s.name AS scope_name, r.modules, r.ports, r.status, r.started_at, r.finished_at,
  r.targets_total, r.targets_done, r.open_ports, r.services, r.batches, r.error
  FROM survey_runs r JOIN scopes s ON s.id = r.scope_id`;

function fromRow(r: Row): SurveyRun {
  return {
    id: r.id, scopeId: r.scope_id, scopeName: r.scope_name, modules: r.modules, ports: r.ports, status: r.status,
    startedAt: new Date(r.started_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    targetsTotal: Number(r.targets_total), targetsDone: Number(r.targets_done), openPorts: Number(r.open_ports), services: Number(r.services),
    batches: r.batches, error: r.error,
  };
}

/** `run-20261122T163000-1a2b3c`: sortable by time, unique enough across processes. */
export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

export async function createRun(state: Pick<StateStore, 'query'>, r: { id: string; scopeId: string; modules: readonly string[]; ports: readonly number[]; targetsTotal: number }): Promise<void> {
  await state.query(
    `INSERT INTO survey_runs (id, scope_id, modules, ports, status, targets_total) VALUES ($1, $2, $3, $4, 'running', $5)`,
    [r.id, r.scopeId, [...r.modules], [...r.ports], r.targetsTotal],
  );
}

export async function updateRun(state: Pick<StateStore, 'query'>, id: string, c: RunCounters): Promise<void> {
  await state.query(
    'UPDATE survey_runs SET targets_done = $2, open_ports = $3, services = $4, batches = $5, heartbeat_at = now() WHERE id = $1',
    [id, c.targetsDone, c.openPorts, c.services, c.batches],
  );
}

export async function finishRun(state: Pick<StateStore, 'query'>, id: string, status: RunStatus, c: RunCounters, error: string | null): Promise<void> {
  await state.query(
    `UPDATE survey_runs SET status = $2, finished_at = now(), targets_done = $3, open_ports = $4, services = $5, batches = $6, error = $7 WHERE id = $1`,
    [id, status, c.targetsDone, c.openPorts, c.services, c.batches, error],
  );
}

/** How often a running survey says it is alive, and after how long without a word it is not. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_S = 120;

export async function heartbeat(state: Pick<StateStore, 'query'>, id: string): Promise<void> {
  await state.query(`UPDATE survey_runs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id]);
}

/** Runs left `running` by a process that stopped: aborted, at the time they were last alive. */
export async function sweepInterruptedRuns(state: Pick<StateStore, 'query'>, staleAfterS = STALE_AFTER_S): Promise<number> {
  const rows = await state.query<{ id: string }>(
    `UPDATE survey_runs SET status = 'aborted', finished_at = heartbeat_at,
       error = 'interrupted: the process running it stopped (no sign of life since ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
     WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1) RETURNING id`,
    [staleAfterS],
  );
  return rows.length;
}

export async function getRun(state: Pick<StateStore, 'query'>, id: string): Promise<SurveyRun> {
  await sweepInterruptedRuns(state);
  const [row] = await state.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
  if (!row) throw new SakimoriError('SURVEY_NOT_FOUND', `"${id}"`, { run: id });
  return fromRow(row);
}

export async function listRuns(state: Pick<StateStore, 'query'>, opts: { scope?: string; limit?: number } = {}): Promise<SurveyRun[]> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
  await sweepInterruptedRuns(state);
  const rows = opts.scope
    ? await state.query<Row>(`${SELECT} WHERE s.id = $1 OR s.name = $1 ORDER BY r.started_at DESC LIMIT $2`, [opts.scope, limit])
    : await state.query<Row>(`${SELECT} ORDER BY r.started_at DESC LIMIT $1`, [limit]);
  return rows.map(fromRow);
}
