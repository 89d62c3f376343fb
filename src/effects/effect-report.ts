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

/** Notified cases that share everything the report looks at, with their number `n`. */
interface CaseRow { recipient: string; recipient_name: string; kind: string; device_model: string; notified: Date; resolved: Date | null; round: number | null; reopened: boolean; n: number }

const WINDOWS = [7, 14, 30];
const DAY = 86_400_000;

/**
 * The notified cases with their first notice, that notice's round and their first resolution
 * after it, grouped by all of these: a round notifies many cases at one time and a verification
 * resolves many at one time, so 100,000 cases come back as a few thousand rows (fetching each
 * case, and a subquery per case, took seconds).
 */
async function notifiedCases(state: Pick<StateStore, 'query'>, recipient: string | null): Promise<CaseRow[]> {
  return state.query<CaseRow>(
    `WITH n AS (SELECT case_id, min(at) AS at FROM case_events WHERE to_state = 'notified' GROUP BY case_id),
          r AS (SELECT e.case_id, min(e.at) AS at FROM case_events e JOIN n ON n.case_id = e.case_id
                WHERE e.to_state = 'resolved' AND e.at >= n.at GROUP BY e.case_id),
          x AS (SELECT n.case_id, n.at, max((e.evidence->>'round')::bigint) AS round FROM n JOIN case_events e ON e.case_id = n.case_id AND e.at = n.at AND e.to_state = 'notified' GROUP BY n.case_id, n.at)
     SELECT c.recipient, c.recipient_name, c.kind, c.device_model, x.at AS notified, x.round, r.at AS resolved, c.reopened_count > 0 AS reopened, count(*)::int AS n
     FROM x JOIN cases c ON c.id = x.case_id LEFT JOIN r ON r.case_id = x.case_id
     WHERE $1::text IS NULL OR c.recipient = $1
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [recipient],
  );
}

/**
 * Open cases at the end of each day from the first day with a case (or `days` back, whichever is
 * later) to `now`: cases opened by then minus cases resolved by then, summed from per-day counts.
 */
async function openPerDay(state: Pick<StateStore, 'query'>, recipient: string | null, now: Date, days: number): Promise<{ day: string; open: number }[]> {
  const perDay = await state.query<{ day: string; opened: number; resolved: number }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, sum(o)::int AS opened, sum(r)::int AS resolved FROM (
       SELECT date_trunc('day', opened_at AT TIME ZONE 'UTC') AS d, 1 AS o, 0 AS r FROM cases WHERE $1::text IS NULL OR recipient = $1
       UNION ALL
       SELECT date_trunc('day', resolved_at AT TIME ZONE 'UTC'), 0, 1 FROM cases WHERE resolved_at IS NOT NULL AND ($1::text IS NULL OR recipient = $1)
     ) x GROUP BY d ORDER BY d`,
    [recipient],
  );
  if (perDay.length === 0) return [];
  const last = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const first = Math.max(Date.parse(`${perDay[0]?.day}T00:00:00Z`), last - (days - 1) * DAY);
  const out: { day: string; open: number }[] = [];
  let open = 0;
  let i = 0;
  for (let t = first; t <= last; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    // Everything up to and including this day (earlier days before the window too).
    for (; i < perDay.length && (perDay[i]?.day ?? '') <= day; i++) open += (perDay[i]?.opened ?? 0) - (perDay[i]?.resolved ?? 0);
    out.push({ day, open });
  }
  return out;
}

/**
 * The grouped notified cases, kept per state store until the cases change: a new case (the
 * highest id) or any transition (every notice, acknowledgement, resolution and reopening is a
 * case event, the highest event id) makes the next report read them again. The report itself
 * (censoring at `now`, Kaplan–Meier, rates) is computed on each request from these rows.
 */
const cache = new WeakMap<object, { version: string; rows: Promise<CaseRow[]> }>();

async function cachedNotifiedCases(state: Pick<StateStore, 'query'>): Promise<CaseRow[]> {
  const [v] = await state.query<{ v: string }>(
    "SELECT (SELECT coalesce(max(id), 0) FROM cases) || ':' || (SELECT coalesce(max(id), 0) FROM case_events) || ':' || (SELECT count(*) FROM cases) AS v",
  );
  const version = v?.v ?? '';
  const hit = cache.get(state);
  if (hit && hit.version === version) return hit.rows;
  const rows = notifiedCases(state, null);
  cache.set(state, { version, rows });
  rows.catch(() => cache.delete(state));
  return rows;
}

function effectOf(group: string, rows: readonly CaseRow[], now: Date): GroupEffect {
  const obs = rows.map((r) => ({ days: ((r.resolved ?? now).getTime() - r.notified.getTime()) / DAY, resolved: r.resolved !== null, count: r.n }));
  const curve = kaplanMeier(obs);
  const sum = (xs: readonly { n?: number; count?: number }[]): number => xs.reduce((t, x) => t + (x.n ?? x.count ?? 1), 0);
  const resolved = rows.filter((r) => r.resolved !== null);
  const nResolved = sum(resolved);
  return {
    group,
    notified: sum(rows),
    resolved: nResolved,
    organisations: new Set(rows.map((r) => r.recipient)).size,
    within: WINDOWS.map((d) => {
      // Only cases followed for d days (or resolved sooner) can say whether they were fixed within d days.
      const followed = sum(obs.filter((o) => o.resolved ? true : o.days >= d));
      const fixed = sum(obs.filter((o) => o.resolved && o.days <= d));
      return { days: d, followed, rate: followed ? fixed / followed : null };
    }),
    medianDays: medianDays(curve),
    reappearanceRate: nResolved ? sum(resolved.filter((r) => r.reopened)) / nResolved : null,
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
  const all = await cachedNotifiedCases(state);
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
  const open = await openPerDay(state, own, now, opts.days ?? 60);
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
