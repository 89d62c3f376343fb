/**
 * The case digests' deliveries as an operator follows them: where each went, its state, how many
 * attempts, when it is tried next and why the last attempt failed. An organisation sees only the
 * deliveries addressed to it (as with its cases).
 */
import type { StateStore } from '../store/types.js';
import type { Restriction } from '../store/need-to-know.js';
import { recipientOf } from '../cases/case-store.js';

export const DELIVERY_STATES = ['pending', 'sending', 'retrying', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export type DeliveryChannel = 'email' | 'webhook' | 'escalation';

export interface DeliveryView {
  id: number; round: number; recipient: string; recipientName: string; channel: DeliveryChannel; target: string;
  cases: number; state: DeliveryState; attempts: number;
  /** When it is tried next; null once sent or failed for good. */
  nextAttemptAt: string | null;
  lastError: string | null; sentAt: string | null;
}

export interface DeliveryFilter { state?: DeliveryState; recipient?: string; caseId?: number; limit?: number; offset?: number }

interface Row {
  id: number; round_id: number; recipient: string; recipient_name: string; channel: DeliveryChannel; target: string; cases: number;
  status: DeliveryState; attempts: number; next_attempt_at: Date; last_error: string | null; sent_at: Date | null;
}

/** Newest first: the round just made and its failures are what one looks for. */
export async function listDeliveries(state: Pick<StateStore, 'query'>, r: Restriction, f: DeliveryFilter = {}): Promise<DeliveryView[]> {
  const rows = await state.query<Row>(
    `SELECT id, round_id, recipient, recipient_name, channel, target, cardinality(case_ids) AS cases, status, attempts, next_attempt_at, last_error, sent_at
     FROM deliveries
     WHERE ($1::text IS NULL OR recipient = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR recipient = $3)
       AND ($4::bigint IS NULL OR $4 = ANY (case_ids))
     ORDER BY id DESC LIMIT $5 OFFSET $6`,
    [recipientOf(r), f.state ?? null, f.recipient ?? null, f.caseId ?? null, Math.min(f.limit ?? 100, 10_000), f.offset ?? 0],
  );
  return rows.map((d) => ({
    id: Number(d.id), round: Number(d.round_id), recipient: d.recipient, recipientName: d.recipient_name, channel: d.channel, target: d.target,
    cases: Number(d.cases), state: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'sent' || d.status === 'failed' ? null : new Date(d.next_attempt_at).toISOString(),
    lastError: d.last_error, sentAt: d.sent_at ? new Date(d.sent_at).toISOString() : null,
  }));
}

export interface Waiting { deliveries: number; nextAttemptAt: string | null }

/** Deliveries not due yet (a retry's back-off), so `notify send` can say when to try again. */
export async function waitingDeliveries(state: Pick<StateStore, 'query'>, now = new Date()): Promise<Waiting> {
  const [row] = await state.query<{ n: number; next: Date | null }>(
    "SELECT count(*)::int AS n, min(next_attempt_at) AS next FROM deliveries WHERE status IN ('pending', 'retrying') AND next_attempt_at > $1",
    [now],
  );
  return { deliveries: row?.n ?? 0, nextAttemptAt: row?.next ? new Date(row.next).toISOString() : null };
}
