/**
 * k-anonymous aggregates of victim reports: victims per month, sector and attack kind. A cell is
 * released only when at least k distinct reporting organisations stand behind it (config
 * `victimReports.k`, default 5); fewer, and it is suppressed: not served, not even as a count of
 * zero. Every submitted report counts, consented or not: a released cell names nobody. The
 * table is rebuilt on each computation, so the stored cells always match the reports and k.
 */
import type { StateStore } from '../../store/types.js';

export interface AggregateCell { month: string; sector: string; attackKind: string; victims: number; reporters: number }
export interface VictimAggregates { k: number; computedAt: string; cells: AggregateCell[]; suppressed: number }

export async function computeVictimAggregates(state: Pick<StateStore, 'transaction'>, k: number, now = new Date()): Promise<VictimAggregates> {
  return state.transaction(async (tx) => {
    await tx.query('DELETE FROM victim_aggregates');
    await tx.query(
      `INSERT INTO victim_aggregates (month, sector, attack_kind, victims, reporters, k, released, computed_at)
       SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, sector, attack_kind, count(*), count(DISTINCT owner_org_id), $1::int,
              count(DISTINCT owner_org_id) >= $1::int, $2::timestamptz
         FROM victim_reports GROUP BY 1, 2, 3`,
      [k, now],
    );
    const rows = await tx.query<{ month: string; sector: string; attack_kind: string; victims: number; reporters: number; released: boolean }>(
      `SELECT to_char(month, 'YYYY-MM') AS month, sector, attack_kind, victims, reporters, released FROM victim_aggregates ORDER BY month, sector, attack_kind`,
    );
    return {
      k, computedAt: now.toISOString(),
      cells: rows.filter((r) => r.released).map((r) => ({ month: r.month, sector: r.sector, attackKind: r.attack_kind, victims: Number(r.victims), reporters: Number(r.reporters) })),
      suppressed: rows.filter((r) => !r.released).length,
    };
  });
}
