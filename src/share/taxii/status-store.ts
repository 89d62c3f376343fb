/**
 * TAXII status resources (TAXII 2.1 section 4.3): what became of each object of a POSTed
 * envelope. The store takes every envelope in at once, so a status is complete when it is made;
 * `pending` stays in the schema for writers that finish later. A status is read by the principal
 * that posted it (its user, or a platform admin).
 */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import type { PutResult } from './object-store.js';

type Q = Pick<StateStore, 'query'>;

export interface StatusDetail { readonly id: string; readonly version: string; readonly message?: string }

export interface TaxiiStatus {
  readonly id: string;
  readonly collectionId: string;
  readonly userId: string;
  readonly status: 'pending' | 'complete';
  readonly requestTimestamp: string;
  readonly totalCount: number;
  readonly successCount: number;
  readonly failureCount: number;
  readonly pendingCount: number;
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

/** Records the outcome of one POST; `requestTimestamp` is when the request came in. */
export async function saveStatus(state: Q, collectionId: string, by: { userId: string; orgId: string | null }, requestTimestamp: Date, total: number, r: PutResult): Promise<TaxiiStatus> {
  const id = randomUUID();
  // jsonb takes no NUL character, which a refused object's id may hold.
  const clean = (t: string): string => t.replace(/\u0000/g, '\ufffd');
  const successes: StatusDetail[] = r.successes.map((s) => ({ id: s.id, version: s.version }));
  // A failed object may have no usable version: the status detail still needs the property.
  const failures: StatusDetail[] = r.failures.map((f) => ({ id: clean(f.id), version: '', message: clean(f.message) }));
  await state.query(
    `INSERT INTO share_status (id, collection_id, user_id, org_id, status, request_timestamp, total_count, success_count, failure_count, pending_count, successes, failures, pendings)
     VALUES ($1, $2::uuid, $3, $4, 'complete', $5, $6, $7, $8, 0, $9::jsonb, $10::jsonb, '[]'::jsonb)`,
    [id, collectionId, by.userId, by.orgId, requestTimestamp, total, successes.length, failures.length, JSON.stringify(successes), JSON.stringify(failures)],
  );
  return {
    id, collectionId, userId: by.userId, status: 'complete', requestTimestamp: requestTimestamp.toISOString(), totalCount: total,
    successCount: successes.length, failureCount: failures.length, pendingCount: 0, successes, failures, pendings: [],
  };
}

export async function getStatus(state: Q, id: string): Promise<TaxiiStatus | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [r] = await state.query<{
    id: string; collection_id: string; user_id: string; status: 'pending' | 'complete'; request_timestamp: Date; total_count: number; success_count: number;
    failure_count: number; pending_count: number; successes: StatusDetail[]; failures: StatusDetail[]; pendings: StatusDetail[];
  }>('SELECT id::text AS id, collection_id::text AS collection_id, user_id, status, request_timestamp, total_count, success_count, failure_count, pending_count, successes, failures, pendings FROM share_status WHERE id = $1::uuid', [id]);
  if (!r) return undefined;
  return {
    id: r.id, collectionId: r.collection_id, userId: r.user_id, status: r.status, requestTimestamp: r.request_timestamp.toISOString(),
    totalCount: r.total_count, successCount: r.success_count, failureCount: r.failure_count, pendingCount: r.pending_count,
    successes: r.successes, failures: r.failures, pendings: r.pendings,
  };
}
