/**
 * The one way a due delivery is taken for sending, for monitor alerts and case digests alike:
 * the oldest due row (new, to retry, or a claim whose lease ran out after a crash) is marked
 * `sending` with a new lease in the same statement, skipping rows another worker holds, so no
 * two workers ever send the same delivery.
 */
import type { StateStore } from '../store/types.js';

export type DeliveryTable = 'deliveries' | 'monitor_deliveries';

export async function claimDue<T>(state: Pick<StateStore, 'query'>, table: DeliveryTable, columns: string, now: Date, leaseSeconds: number): Promise<T | undefined> {
  const [row] = await state.query<T>(
    `UPDATE ${table} SET status = 'sending', next_attempt_at = $1::timestamptz + ($2 || ' seconds')::interval
     WHERE id = (SELECT id FROM ${table} WHERE status IN ('pending', 'retrying', 'sending') AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [now, String(leaseSeconds)],
  );
  return row;
}

/** When the next attempt is due: back-off doubling from `backoffSeconds` after each failure. */
export function nextAttempt(now: Date, backoffSeconds: number, attempts: number): Date {
  return new Date(now.getTime() + backoffSeconds * 1000 * 2 ** Math.max(0, attempts - 1));
}
