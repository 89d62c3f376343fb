/**
 * Corroboration at the hub (migration 023): carriers' submissions of keyed hashes, and for each
 * carrier, for each of ITS OWN hashes only, how many other carriers submitted the same hash in
 * the window. An answer never names the others; their buckets' histogram is given only when at
 * least `CORROBORATION_K` others stand behind it, so no single carrier's client bucket is told.
 */
import { SakimoriError } from '../../errors.js';
import { seesEverything, type Role } from '../../auth/principal.js';
import type { StateStore } from '../../store/types.js';
import { CLIENT_BUCKETS, type ClientBucket } from './candidate-key.js';
import type { Submission } from './submission.js';

type Q = Pick<StateStore, 'query'>;

/** Others needed before their buckets' histogram is told. */
export const CORROBORATION_K = 3;
/** Days a submission is kept: the longest window an answer may ask for. */
export const CORROBORATION_KEEP_DAYS = 90;
export const DEFAULT_WINDOW_DAYS = 7;
/** Entries per submission. */
export const MAX_SUBMISSION_ENTRIES = 10_000;

const DAY_MS = 86_400_000;
const dayText = (t: number): string => new Date(t).toISOString().slice(0, 10);
const dayStart = (d: Date): number => Math.floor(d.getTime() / DAY_MS) * DAY_MS;

export interface Submitter { readonly userId: string; readonly orgId: string | null; readonly role: Role }

/**
 * The organisation a submission or answer is for: a member's own, always; an operator (platform
 * admin, analyst) names one. Anyone else is refused.
 */
export async function corroborationOrg(state: Q, who: Submitter, org: string | undefined): Promise<string> {
  if (who.orgId !== null) {
    if (org !== undefined) {
      const [o] = await state.query<{ id: string }>('SELECT id FROM organisations WHERE id = $1 OR name = $1', [org]);
      if (o?.id !== who.orgId) throw new SakimoriError('FORBIDDEN', 'a carrier submits and reads corroboration for its own organisation only', { field: 'org' });
    }
    return who.orgId;
  }
  if (!seesEverything(who)) throw new SakimoriError('FORBIDDEN', 'corroboration is for carriers\' organisations');
  if (org === undefined) throw new SakimoriError('BAD_REQUEST', 'name the carrier\'s organisation (--org, `org`)', { field: 'org' });
  const [o] = await state.query<{ id: string }>('SELECT id FROM organisations WHERE id = $1 OR name = $1', [org]);
  if (!o) throw new SakimoriError('NOT_FOUND', `no organisation ${org}`, { field: 'org' });
  return o.id;
}

export interface SubmitResult {
  readonly orgId: string;
  readonly keyId: string;
  /** Entries stored (new or with a changed bucket). */
  readonly stored: number;
  readonly entries: number;
}

export async function submitCorroboration(state: Q, orgId: string, by: string, s: Submission, now = new Date()): Promise<SubmitResult> {
  if (!/^[0-9a-f]{16}$/.test(s.keyId)) throw new SakimoriError('BAD_REQUEST', 'keyId is the key\'s 16-hex-digit fingerprint', { field: 'keyId' });
  if (s.entries.length > MAX_SUBMISSION_ENTRIES) throw new SakimoriError('BAD_REQUEST', `at most ${MAX_SUBMISSION_ENTRIES} entries per submission`, { field: 'entries' });
  const today = dayStart(now);
  const oldest = dayText(today - (CORROBORATION_KEEP_DAYS - 1) * DAY_MS);
  const latest = dayText(today + DAY_MS); // a carrier a few hours ahead (its own clock, its time zone)
  s.entries.forEach((e, i) => {
    if (!/^[0-9a-f]{64}$/.test(e.hash)) throw new SakimoriError('BAD_REQUEST', 'a hash is HMAC-SHA256 in 64 lower-case hex digits', { field: `entries.${i}.hash` });
    if (!(CLIENT_BUCKETS as readonly string[]).includes(e.bucket)) throw new SakimoriError('BAD_REQUEST', `a bucket is one of ${CLIENT_BUCKETS.join(', ')}`, { field: `entries.${i}.bucket` });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.day) || !Number.isFinite(Date.parse(`${e.day}T00:00:00Z`)) || dayText(Date.parse(`${e.day}T00:00:00Z`)) !== e.day) {
      throw new SakimoriError('BAD_TIME', 'a day is YYYY-MM-DD (UTC)', { field: `entries.${i}.day` });
    }
    if (e.day < oldest || e.day > latest) throw new SakimoriError('BAD_TIME', `a day is between ${oldest} and ${latest}`, { field: `entries.${i}.day` });
  });
  await state.query('DELETE FROM flow_corroboration WHERE day < $1::date', [oldest]);
  if (s.entries.length === 0) return { orgId, keyId: s.keyId, stored: 0, entries: 0 };
  const rows = await state.query<{ hash: string }>(
    `INSERT INTO flow_corroboration (org_id, key_id, hash, day, bucket, submitted_by, submitted_at)
     SELECT $1, $2, h, d::date, b, $3, $7 FROM unnest($4::text[], $5::text[], $6::text[]) AS x(h, d, b)
     ON CONFLICT (org_id, key_id, hash, day) DO UPDATE SET bucket = EXCLUDED.bucket, submitted_by = EXCLUDED.submitted_by, submitted_at = EXCLUDED.submitted_at
       WHERE flow_corroboration.bucket <> EXCLUDED.bucket
     RETURNING hash`,
    [orgId, s.keyId, by, s.entries.map((e) => e.hash), s.entries.map((e) => e.day), s.entries.map((e) => e.bucket), now.toISOString()],
  );
  return { orgId, keyId: s.keyId, stored: rows.length, entries: s.entries.length };
}

export interface CorroborationAnswer {
  readonly hash: string;
  readonly keyId: string;
  /** The last day this carrier submitted the hash in the window, and its own (largest) bucket. */
  readonly lastDay: string;
  readonly bucket: ClientBucket;
  /** Other carriers (organisations) that submitted the same hash in the window. Never named. */
  readonly others: number;
  /** Each other carrier's largest bucket, counted; null when fewer than `k` others. */
  readonly othersBuckets: Readonly<Record<ClientBucket, number>> | null;
}

export interface CorroborationReport {
  readonly orgId: string;
  /** The window's first and last day (UTC, inclusive). */
  readonly from: string;
  readonly to: string;
  readonly k: number;
  readonly answers: CorroborationAnswer[];
}

interface Row { key_id: string; hash: string; org_id: string; last_day: string; b: number }

export async function corroborationFor(state: Q, orgId: string, opts: { days?: number; now?: Date } = {}): Promise<CorroborationReport> {
  const days = opts.days ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > CORROBORATION_KEEP_DAYS) throw new SakimoriError('BAD_REQUEST', `the window is 1 to ${CORROBORATION_KEEP_DAYS} days`, { field: 'days' });
  const today = dayStart(opts.now ?? new Date());
  const from = dayText(today - (days - 1) * DAY_MS);
  // Tomorrow too: a carrier ahead of UTC may submit it (submitCorroboration allows it).
  const to = dayText(today + DAY_MS);
  // Only rows of the caller's hashes are ever read: another carrier's hash that the caller did
  // not submit is not looked at. One row per (hash, carrier): each counts once over its days.
  const rows = await state.query<Row>(
    `SELECT c.key_id, c.hash, c.org_id, to_char(max(c.day), 'YYYY-MM-DD') AS last_day, max(array_position($4::text[], c.bucket))::int AS b
     FROM flow_corroboration c
     WHERE c.day BETWEEN $2::date AND $3::date
       AND (c.key_id, c.hash) IN (SELECT key_id, hash FROM flow_corroboration WHERE org_id = $1 AND day BETWEEN $2::date AND $3::date)
     GROUP BY c.key_id, c.hash, c.org_id`,
    [orgId, from, to, [...CLIENT_BUCKETS]],
  );
  const byHash = new Map<string, { mine?: Row; others: Row[] }>();
  for (const r of rows) {
    const k = `${r.key_id}|${r.hash}`;
    const e = byHash.get(k) ?? { others: [] };
    if (r.org_id === orgId) e.mine = r;
    else e.others.push(r);
    byHash.set(k, e);
  }
  const answers: CorroborationAnswer[] = [];
  for (const { mine, others } of byHash.values()) {
    if (!mine) continue;
    const hist = { '1': 0, '2-9': 0, '10-99': 0, '100+': 0 };
    for (const o of others) hist[CLIENT_BUCKETS[o.b - 1] ?? '1']++;
    answers.push({
      hash: mine.hash, keyId: mine.key_id, lastDay: mine.last_day, bucket: CLIENT_BUCKETS[mine.b - 1] ?? '1', others: others.length,
      othersBuckets: others.length >= CORROBORATION_K ? hist : null,
    });
  }
  answers.sort((x, y) => y.others - x.others || (x.hash < y.hash ? -1 : x.hash > y.hash ? 1 : 0));
  return { orgId, from, to: dayText(today), k: CORROBORATION_K, answers };
}
