/**
 * Did the notices work? For every notified case: days from its first notification to its first
 * resolution after it (censored at `now` when not resolved), whether it came back after being
 * resolved, grouped per finding kind, device model, recipient (ISP) or notification round:
 * remediation within 7/14/30 days (over the cases followed that long), the Kaplan–Meier curve
 * and median, and the reappearance rate. Plus the number of open cases per day.
 *
 * Need-to-know and k-anonymity: an organisation sees its own groups and, only when at least k
 * organisations have notified cases, the overall figures and its anonymous rank among them.
 */
import type { StateStore } from '../store/types.js';
import type { Restriction } from '../store/need-to-know.js';
import { csvDocument } from '../util/csv.js';
import { kaplanMeier, medianDays, type KmStep } from './kaplan-meier.js';

export const GROUP_BY = ['kind', 'device_model', 'recipient', 'round'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface GroupEffect {
  group: string;
  notified: number;
  resolved: number;
  organisations: number;
  within: { days: number; rate: number | null; followed: number }[];
  medianDays: number | null;
  reappearanceRate: number | null;
  curve: KmStep[];
}

export interface EffectReport {
  groupBy: GroupBy;
  now: string;
  groups: GroupEffect[];
  /** Organisations only: where they stand among their peers (null below k peers). */
  peers: { organisations: number; rank: number | null; overall: GroupEffect } | null;
  openOverTime: { day: string; open: number }[];
}

interface CaseRow { id: number; recipient: string; recipient_name: string; kind: string; device_model: string; notified: Date; resolved: Date | null; round: number | null; reopened: number }

const WINDOWS = [7, 14, 30];
const DAY = 86_400_000;

async function notifiedCases(state: Pick<StateStore, 'query'>, recipient: string | null): Promise<CaseRow[]> {
  return state.query<CaseRow>(
    `WITH n AS (SELECT DISTINCT ON (case_id) case_id, at, (evidence->>'round')::bigint AS round FROM case_events WHERE to_state = 'notified' ORDER BY case_id, at)
     SELECT c.id, c.recipient, c.recipient_name, c.kind, c.device_model, n.at AS notified, n.round,
            (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.to_state = 'resolved' AND e.at >= n.at) AS resolved,
            c.reopened_count AS reopened
     FROM cases c JOIN n ON n.case_id = c.id
     WHERE $1::text IS NULL OR c.recipient = $1`,
    [recipient],
  );
}

function effectOf(group: string, rows: readonly CaseRow[], now: Date): GroupEffect {
  const obs = rows.map((r) => ({ days: ((r.resolved ?? now).getTime() - r.notified.getTime()) / DAY, resolved: r.resolved !== null }));
  const curve = kaplanMeier(obs);
  const resolved = rows.filter((r) => r.resolved !== null);
  return {
    group,
    notified: rows.length,
    resolved: resolved.length,
    organisations: new Set(rows.map((r) => r.recipient)).size,
    within: WINDOWS.map((d) => {
      // Only cases followed for d days (or resolved sooner) can say whether they were fixed within d days.
      const followed = obs.filter((o) => o.resolved ? true : o.days >= d);
      const fixed = followed.filter((o) => o.resolved && o.days <= d).length;
      return { days: d, followed: followed.length, rate: followed.length ? fixed / followed.length : null };
    }),
    medianDays: medianDays(curve),
    reappearanceRate: resolved.length ? resolved.filter((r) => r.reopened > 0).length / resolved.length : null,
    curve,
  };
}

function keyOf(r: CaseRow, by: GroupBy): string {
  return by === 'kind' ? r.kind : by === 'device_model' ? r.device_model || '(unknown model)' : by === 'recipient' ? r.recipient_name || r.recipient : r.round === null ? '(none)' : `round ${r.round}`;
}

export async function effectReport(state: Pick<StateStore, 'query'>, restriction: Restriction, opts: { groupBy?: GroupBy; now?: Date; k?: number; days?: number } = {}): Promise<EffectReport> {
  const now = opts.now ?? new Date();
  const by = opts.groupBy ?? 'kind';
  const k = opts.k ?? 5;
  const own = restriction.kind === 'constituency' ? `org:${restriction.orgId}` : null;
  const all = await notifiedCases(state, null);
  const mine = own ? all.filter((r) => r.recipient === own) : all;
  const groups = new Map<string, CaseRow[]>();
  for (const r of mine) {
    const g = keyOf(r, by);
    let l = groups.get(g);
    if (!l) groups.set(g, (l = []));
    l.push(r);
  }
  let peers: EffectReport['peers'] = null;
  if (own) {
    const byOrg = new Map<string, CaseRow[]>();
    for (const r of all) if (r.recipient.startsWith('org:')) (byOrg.get(r.recipient) ?? byOrg.set(r.recipient, []).get(r.recipient))?.push(r);
    if (byOrg.size >= k) {
      const rate30 = (rows: CaseRow[]): number => effectOf('', rows, now).within[2]?.rate ?? 0;
      const ranked = [...byOrg.entries()].map(([org, rows]) => ({ org, rate: rate30(rows) })).sort((a, b) => b.rate - a.rate);
      const i = ranked.findIndex((x) => x.org === own);
      peers = { organisations: byOrg.size, rank: i >= 0 ? i + 1 : null, overall: effectOf('all organisations', all.filter((r) => r.recipient.startsWith('org:')), now) };
    }
  }
  const days = opts.days ?? 60;
  const open = await state.query<{ day: string; open: number }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day,
            (SELECT count(*)::int FROM cases c WHERE c.opened_at < d + interval '1 day' AND (c.resolved_at IS NULL OR c.resolved_at >= d + interval '1 day')
               AND ($3::text IS NULL OR c.recipient = $3)) AS open
     FROM generate_series(date_trunc('day', $1::timestamptz) - ($2 || ' days')::interval, date_trunc('day', $1::timestamptz), interval '1 day') AS d
     ORDER BY d`,
    [now, String(days - 1), own],
  );
  return {
    groupBy: by,
    now: now.toISOString(),
    groups: [...groups.entries()].map(([g, rows]) => effectOf(g, rows, now)).sort((a, b) => b.notified - a.notified || a.group.localeCompare(b.group)),
    peers,
    openOverTime: open,
  };
}

/** Published aggregates: only groups with cases of at least k organisations, no recipient names. */
export function publishable(r: EffectReport, k: number): EffectReport {
  return { ...r, groups: r.groupBy === 'recipient' ? [] : r.groups.filter((g) => g.organisations >= k), peers: null };
}

/** By the shared CSV writer: group names are device models and organisation names, i.e. untrusted. */
export function effectCsv(r: EffectReport): string {
  const head = ['group', 'notified', 'resolved', 'organisations', ...WINDOWS.map((d) => `resolved_within_${d}d`), ...WINDOWS.map((d) => `followed_${d}d`), 'median_days', 'reappearance_rate'];
  // Rates and days are fixed-point text (never negative, so the writer leaves them as they are).
  return csvDocument(head, r.groups.map((g) => [
    g.group, g.notified, g.resolved, g.organisations, ...g.within.map((w) => (w.rate === null ? '' : w.rate.toFixed(4))), ...g.within.map((w) => w.followed),
    g.medianDays === null ? '' : g.medianDays.toFixed(2), g.reappearanceRate === null ? '' : g.reappearanceRate.toFixed(4),
  ]));
}
