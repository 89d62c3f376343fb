/**
 * Every read of raw flows is written down first (state migration 022): raw flows are
 * communications data kept to the necessary minimum, and each use of them must be accountable.
 * Readers of flows_raw call this before they query; a read that cannot be audited does not run.
 */
import type { StateStore } from '../../store/types.js';

export interface RawFlowRead {
  /** Who asked: a user (and organisation), or null for the system (scheduled detection). */
  readonly userId: string | null;
  readonly orgId: string | null;
  /** Why: 'cnc-detect', 'cnc-evaluate', 'server-page', 'report-flows', … */
  readonly purpose: string;
  readonly fromMs?: number | null;
  readonly toMs?: number | null;
  readonly detail?: Record<string, unknown>;
}

/** Records the read; returns its id, to which `finishRawFlowRead` adds the records returned. */
export async function auditRawFlowRead(state: Pick<StateStore, 'query'>, r: RawFlowRead): Promise<number> {
  const rows = await state.query<{ id: string }>(
    `INSERT INTO flow_raw_reads (user_id, org_id, purpose, window_from, window_to, detail)
     VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::jsonb) RETURNING id`,
    [r.userId, r.orgId, r.purpose, r.fromMs == null ? null : new Date(r.fromMs).toISOString(), r.toMs == null ? null : new Date(r.toMs).toISOString(), JSON.stringify(r.detail ?? {})],
  );
  return Number(rows[0]?.id ?? 0);
}

export async function finishRawFlowRead(state: Pick<StateStore, 'query'>, id: number, records: number): Promise<void> {
  await state.query('UPDATE flow_raw_reads SET records = $2 WHERE id = $1', [id, records]);
}
