/** Reading cases, acknowledging them, and the opt-out list. */
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import type { Restriction } from '../store/need-to-know.js';
import { normalizeIp } from '../net/ip.js';
import { rangeToCidrs } from '../net/cidr.js';

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
export const recipientOf = (r: Restriction): string | null => (r.kind === 'constituency' ? `org:${r.orgId}` : null);

/** The orders a case list can be read in; every one ends on the id, so pages never overlap. */
export const CASE_SORTS = { lastSeen: 'last_seen', firstSeen: 'first_seen', ip: 'cases.ip', state: 'state', id: 'id' } as const;
export type CaseSort = keyof typeof CASE_SORTS;

export interface CaseFilter {
  state?: string; kind?: string; recipient?: string;
  /** An address or a prefix (IPv4 or IPv6): the cases of the addresses it contains. */
  ip?: string;
  sort?: CaseSort; order?: 'asc' | 'desc';
  limit?: number; offset?: number;
}

/** A page of cases and how many match in all (for "1–50 of N"). */
export interface CasePage { total: number; offset: number; limit: number; cases: CaseView[] }

/** The largest page one request may ask for. */
export const MAX_CASE_PAGE = 1000;

/** An address or a prefix as PostgreSQL `cidr` text (host bits cleared); BAD_REQUEST naming the field otherwise. */
function ipPrefix(text: string): string {
  const t = text.trim();
  const single = normalizeIp(t);
  const [cidr] = single ? [single] : rangeToCidrs(t) ?? [];
  if (!cidr || (!single && !t.includes('/'))) throw new SakimoriError('BAD_REQUEST', `ip: not an address or a prefix: "${text}"`, { field: 'ip' });
  return cidr;
}

/** WHERE clause and parameters of a filter, need-to-know first. */
function caseWhere(r: Restriction, f: CaseFilter): { where: string; params: unknown[] } {
  // An empty filter (a cleared field in a form) filters nothing.
  const params: unknown[] = [recipientOf(r), f.state || null, f.kind || null, f.recipient || null, f.ip?.trim() ? ipPrefix(f.ip) : null];
  // `ip <<= cidr` is containment for both families, and PostgreSQL turns it into a range on the btree index cases_ip.
  const where = `($1::text IS NULL OR recipient = $1) AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3)
                 AND ($4::text IS NULL OR recipient = $4) AND ($5::cidr IS NULL OR ip <<= $5::cidr)`;
  return { where, params };
}

const CASE_COLUMNS = `id, recipient, recipient_name, host(ip) AS ip, kind, state, device_model, asn, detail, first_seen, last_seen, opened_at,
            notified_at, acknowledged_at, resolved_at, reopened_count, resolution`;

/** One page of the cases a principal may see, filtered and sorted, with the number that match. */
export async function pageCases(state: Pick<StateStore, 'query'>, r: Restriction, f: CaseFilter = {}): Promise<CasePage> {
  const { where, params } = caseWhere(r, f);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), MAX_CASE_PAGE);
  const offset = Math.max(f.offset ?? 0, 0);
  const [rows, [count]] = await Promise.all([
    state.query<Row>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${where} ${orderBy(f)} LIMIT $6 OFFSET $7`, [...params, limit, offset]),
    state.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE ${where}`, params),
  ]);
  return { total: count?.n ?? 0, offset, limit, cases: rows.map(view) };
}

/** Default: the most recently seen first (what an analyst works on); the id breaks ties. */
function orderBy(f: CaseFilter): string {
  const dir = f.order === 'asc' ? 'ASC' : f.order === 'desc' ? 'DESC' : f.sort === undefined || f.sort === 'lastSeen' || f.sort === 'firstSeen' ? 'DESC' : 'ASC';
  return `ORDER BY ${CASE_SORTS[f.sort ?? 'lastSeen']} ${dir}, id ${dir}`;
}

/** The rows of one page (the CLI's `cases list`), in id order unless a sort is asked for. */
export async function listCases(state: Pick<StateStore, 'query'>, r: Restriction, f: CaseFilter = {}): Promise<CaseView[]> {
  const { where, params } = caseWhere(r, f);
  const rows = await state.query<Row>(`SELECT ${CASE_COLUMNS} FROM cases WHERE ${where} ${f.sort ? orderBy(f) : 'ORDER BY id'} LIMIT $6 OFFSET $7`,
    [...params, Math.min(f.limit ?? 100, 10_000), f.offset ?? 0]);
  return rows.map(view);
}

export interface CaseEventView { at: string; from: string | null; to: string; reason: string; evidence: unknown }

/** One notice about the case: a digest delivery (one per round, recipient and target) and how far it got. */
export interface CaseDeliveryView {
  id: number; roundId: number; createdAt: string; channel: string; target: string; status: string;
  attempts: number; nextAttemptAt: string | null; lastError: string | null; sentAt: string | null;
}

export type CaseDetailView = CaseView & { events: CaseEventView[]; deliveries: CaseDeliveryView[] };

export async function getCase(state: Pick<StateStore, 'query'>, r: Restriction, id: number): Promise<CaseDetailView> {
  const [row] = (await listCasesById(state, r, id));
  if (!row) throw new SakimoriError('NOT_FOUND', `no case ${id}`, { case: id });
  const events = await state.query<{ at: Date; from_state: string | null; to_state: string; reason: string; evidence: unknown }>('SELECT at, from_state, to_state, reason, evidence FROM case_events WHERE case_id = $1 ORDER BY id', [id]);
  const deliveries = await state.query<{
    id: number; round_id: number; created_at: Date; channel: string; target: string; status: string; attempts: number;
    next_attempt_at: Date; last_error: string | null; sent_at: Date | null;
  }>(
    `SELECT d.id, d.round_id, r.created_at, d.channel, d.target, d.status, d.attempts, d.next_attempt_at, d.last_error, d.sent_at
     FROM deliveries d JOIN notify_rounds r ON r.id = d.round_id WHERE $1 = ANY (d.case_ids) ORDER BY d.id`,
    [id],
  );
  return {
    ...row,
    events: events.map((e) => ({ at: e.at.toISOString(), from: e.from_state, to: e.to_state, reason: e.reason, evidence: e.evidence })),
    deliveries: deliveries.map((d) => ({
      id: Number(d.id), roundId: Number(d.round_id), createdAt: d.created_at.toISOString(), channel: d.channel, target: d.target, status: d.status,
      attempts: d.attempts,
      // A next try only means something while the delivery is still to be sent.
      nextAttemptAt: d.status === 'pending' || d.status === 'retrying' || d.status === 'sending' ? d.next_attempt_at.toISOString() : null,
      lastError: d.last_error, sentAt: iso(d.sent_at),
    })),
  };
}

async function listCasesById(state: Pick<StateStore, 'query'>, r: Restriction, id: number): Promise<CaseView[]> {
  const rows = await state.query<Row>(
    `SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 AND ($2::text IS NULL OR recipient = $2)`,
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
