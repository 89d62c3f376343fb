/** Reading cases, acknowledging them, and the opt-out list. */
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import type { Restriction } from '../store/need-to-know.js';

export interface CaseView {
  id: number; recipient: string; recipientName: string; ip: string; kind: string; state: string; deviceModel: string; asn: number;
  detail: Record<string, unknown>; firstSeen: string; lastSeen: string; openedAt: string; notifiedAt: string | null;
  acknowledgedAt: string | null; resolvedAt: string | null; reopenedCount: number; resolution: Record<string, unknown> | null;
}

interface Row {
  id: number; recipient: string; recipient_name: string; ip: string; kind: string; state: string; device_model: string; asn: number;
  detail: Record<string, unknown>; first_seen: Date; last_seen: Date; opened_at: Date; notified_at: Date | null; acknowledged_at: Date | null;
  resolved_at: Date | null; reopened_count: number; resolution: Record<string, unknown> | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const view = (r: Row): CaseView => ({
  id: Number(r.id), recipient: r.recipient, recipientName: r.recipient_name, ip: r.ip, kind: r.kind, state: r.state, deviceModel: r.device_model,
  asn: Number(r.asn), detail: r.detail, firstSeen: r.first_seen.toISOString(), lastSeen: r.last_seen.toISOString(), openedAt: r.opened_at.toISOString(),
  notifiedAt: iso(r.notified_at), acknowledgedAt: iso(r.acknowledged_at), resolvedAt: iso(r.resolved_at), reopenedCount: r.reopened_count, resolution: r.resolution,
});

/** An organisation sees the cases addressed to it, nothing else. */
const recipientOf = (r: Restriction): string | null => (r.kind === 'constituency' ? `org:${r.orgId}` : null);

export async function listCases(state: Pick<StateStore, 'query'>, r: Restriction, f: { state?: string; kind?: string; recipient?: string; limit?: number; offset?: number } = {}): Promise<CaseView[]> {
  const rows = await state.query<Row>(
    `SELECT id, recipient, recipient_name, host(ip) AS ip, kind, state, device_model, asn, detail, first_seen, last_seen, opened_at,
            notified_at, acknowledged_at, resolved_at, reopened_count, resolution
     FROM cases
     WHERE ($1::text IS NULL OR recipient = $1) AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR recipient = $4)
     ORDER BY id LIMIT $5 OFFSET $6`,
    [recipientOf(r), f.state ?? null, f.kind ?? null, f.recipient ?? null, Math.min(f.limit ?? 100, 10_000), f.offset ?? 0],
  );
  return rows.map(view);
}

export async function getCase(state: Pick<StateStore, 'query'>, r: Restriction, id: number): Promise<CaseView & { events: { at: string; from: string | null; to: string; reason: string; evidence: unknown }[] }> {
  const [row] = (await listCasesById(state, r, id));
  if (!row) throw new SakimoriError('NOT_FOUND', `no case ${id}`, { case: id });
  const events = await state.query<{ at: Date; from_state: string | null; to_state: string; reason: string; evidence: unknown }>('SELECT at, from_state, to_state, reason, evidence FROM case_events WHERE case_id = $1 ORDER BY id', [id]);
  return { ...row, events: events.map((e) => ({ at: e.at.toISOString(), from: e.from_state, to: e.to_state, reason: e.reason, evidence: e.evidence })) };
}

async function listCasesById(state: Pick<StateStore, 'query'>, r: Restriction, id: number): Promise<CaseView[]> {
  const rows = await state.query<Row>(
    `SELECT id, recipient, recipient_name, host(ip) AS ip, kind, state, device_model, asn, detail, first_seen, last_seen, opened_at,
            notified_at, acknowledged_at, resolved_at, reopened_count, resolution
     FROM cases WHERE id = $1 AND ($2::text IS NULL OR recipient = $2)`,
    [id, recipientOf(r)],
  );
  return rows.map(view);
}

/** The recipient says it has seen the notice. It does not resolve anything. `at`: the demo's synthetic clock. */
export async function acknowledgeCase(state: StateStore, r: Restriction, id: number, note = '', at?: Date): Promise<void> {
  const c = await getCase(state, r, id);
  if (c.state !== 'notified' && c.state !== 'new' && c.state !== 'reopened') throw new SakimoriError('BAD_REQUEST', `case ${id} is ${c.state}; only new, notified or reopened cases can be acknowledged`, { case: id });
  await state.transaction(async (tx) => {
    await tx.query("UPDATE cases SET state = 'acknowledged', acknowledged_at = coalesce($2, now()) WHERE id = $1", [id, at ?? null]);
    await tx.query("INSERT INTO case_events (case_id, at, from_state, to_state, reason) VALUES ($1, coalesce($4, now()), $2, 'acknowledged', $3)", [id, c.state, note || 'acknowledged by the recipient', at ?? null]);
  });
}

export async function addOptOut(state: Pick<StateStore, 'query'>, target: string, reason: string): Promise<void> {
  if (!target.trim()) throw new SakimoriError('BAD_REQUEST', 'an address, block, e-mail or organisation', { field: 'target' });
  await state.query('INSERT INTO notify_opt_out (target, reason) VALUES ($1, $2) ON CONFLICT (target) DO UPDATE SET reason = EXCLUDED.reason', [target.trim(), reason]);
}

export async function caseCounts(state: Pick<StateStore, 'query'>, r: Restriction): Promise<{ state: string; kind: string; n: number }[]> {
  return state.query('SELECT state, kind, count(*)::int AS n FROM cases WHERE $1::text IS NULL OR recipient = $1 GROUP BY state, kind ORDER BY state, kind', [recipientOf(r)]);
}
