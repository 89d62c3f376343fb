/**
 * What a NOTICE credential check (telnet, FTP, MQTT; HTTP has its own shape) adds to a finding:
 * the list tried, and when an entry was accepted the weak-credential flag, the entry's id (never
 * its password) and the `default-credential` tag; and the same summary in `details`.
 */
import type { ServiceFinding } from '../../schema/service-observation.js';

export interface CheckSummary {
  readonly outcome: string;
  readonly attempts: number;
  readonly connections?: number;
  readonly entryId?: string;
  readonly reason?: string;
}

/** The finding's fields for a check of list `listId`. */
export function checkFindingFields(listId: string, r: CheckSummary): Partial<ServiceFinding> {
  return r.outcome === 'success' && r.entryId !== undefined
    ? { credential_list: listId, weak_credential: 1, credential_id: r.entryId }
    : { credential_list: listId };
}

/** The check for `details.credential_check`: outcome, counts, entry, reason and what was tried (`tried`). */
export function checkDetails(r: CheckSummary, tried: readonly string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    outcome: r.outcome, attempts: r.attempts,
    ...(r.connections !== undefined ? { connections: r.connections } : {}),
    ...(r.entryId !== undefined ? { entry: r.entryId, ...extra } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    tried,
  };
}
