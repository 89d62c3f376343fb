/**
 * The store's record of the sensor journal byte ranges it holds (state migration 026): the store
 * side of the shipper's exactly-once. A chunk is claimed before its insert and committed after,
 * so a range sent again is recognised whatever the shipper remembers: held ranges store nothing,
 * a range begun by a killed delivery goes out again with its token and time of storing (so
 * ClickHouse keeps the block once), and a range that overlaps held ones without being one of them
 * is refused, naming what the store holds, for the shipper to realign on.
 */
import { SakimoriError } from '../../errors.js';
import type { StateStore } from '../../store/types.js';

export interface StoredRange { readonly from: number; readonly to: number; readonly committed: boolean }

export type RangeClaim = { readonly held: true } | { readonly held: false; readonly storedAtMs: number };

interface RangeRow { range_from: string | number; range_to: string | number; committed: boolean; stored_at_ms: string | number }

const lockJournal = (tx: Pick<StateStore, 'query'>, journal: string): Promise<unknown> =>
  tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`honeypot-journal:${journal}`]);

const toRange = (r: RangeRow): StoredRange & { storedAtMs: number } => ({
  from: Number(r.range_from), to: Number(r.range_to), committed: r.committed, storedAtMs: Number(r.stored_at_ms),
});

/** Whether committed ranges (sorted) cover [from, to) without a gap. */
function covered(ranges: readonly StoredRange[], from: number, to: number): boolean {
  let at = from;
  for (const r of ranges) {
    if (!r.committed || r.from > at) return false;
    at = Math.max(at, r.to);
    if (at >= to) return true;
  }
  return at >= to;
}

export const describeRanges = (ranges: readonly StoredRange[]): string =>
  ranges.slice(0, 5).map((r) => `${r.from}-${r.to}${r.committed ? '' : ' (begun)'}`).join(', ') + (ranges.length > 5 ? `, … (${ranges.length})` : '');

/** Claims [from, to) of a journal for an insert, or says the store already holds it. */
export async function claimRange(state: StateStore, c: { journal: string; from: number; to: number; events: number }, nowMs: number): Promise<RangeClaim> {
  return state.transaction(async (tx) => {
    await lockJournal(tx, c.journal);
    const over = (await tx.query<RangeRow>(
      `SELECT range_from, range_to, committed, stored_at_ms FROM honeypot_journal_ranges
        WHERE journal = $1 AND range_from < $3 AND range_to > $2 ORDER BY range_from`,
      [c.journal, c.from, c.to],
    )).map(toRange);
    const same = over.find((r) => r.from === c.from && r.to === c.to);
    if (same) return same.committed ? { held: true } : { held: false, storedAtMs: same.storedAtMs };
    if (over.length > 0) {
      if (covered(over, c.from, c.to)) return { held: true };
      throw new SakimoriError('INGEST_INTERRUPTED',
        `bytes ${c.from}-${c.to} of sensor journal ${c.journal} overlap ranges the store holds (${describeRanges(over)}) without being one of them: deliver only the bytes the store lacks`,
        { journal: c.journal, from: c.from, to: c.to });
    }
    await tx.query(
      'INSERT INTO honeypot_journal_ranges (journal, range_from, range_to, events, stored_at_ms) VALUES ($1, $2, $3, $4, $5)',
      [c.journal, c.from, c.to, c.events, nowMs],
    );
    return { held: false, storedAtMs: nowMs };
  });
}

/** Marks [from, to) stored and merges it with the committed ranges it touches (one row per contiguous run). */
export async function commitRange(state: StateStore, c: { journal: string; from: number; to: number }): Promise<void> {
  await state.transaction(async (tx) => {
    await lockJournal(tx, c.journal);
    const touching = (await tx.query<RangeRow & { events: string | number }>(
      `SELECT range_from, range_to, committed, stored_at_ms, events FROM honeypot_journal_ranges
        WHERE journal = $1 AND committed AND (range_to = $2 OR range_from = $3)`,
      [c.journal, c.from, c.to],
    ));
    let from = c.from;
    let to = c.to;
    let extra = 0;
    for (const r of touching) {
      from = Math.min(from, Number(r.range_from));
      to = Math.max(to, Number(r.range_to));
      extra += Number(r.events);
      await tx.query('DELETE FROM honeypot_journal_ranges WHERE journal = $1 AND range_from = $2', [c.journal, r.range_from]);
    }
    await tx.query(
      `UPDATE honeypot_journal_ranges SET range_from = $3, range_to = $4, events = events + $5, committed = true, updated_at = now()
        WHERE journal = $1 AND range_from = $2`,
      [c.journal, c.from, from, to, extra],
    );
  });
}

/** The ranges of a journal the store holds, in order: what a shipper rebuilds a lost state from. */
export async function storedRanges(state: Pick<StateStore, 'query'>, journal: string): Promise<StoredRange[]> {
  const rows = await state.query<RangeRow>(
    'SELECT range_from, range_to, committed, stored_at_ms FROM honeypot_journal_ranges WHERE journal = $1 ORDER BY range_from LIMIT 100000',
    [journal],
  );
  return rows.map((r) => ({ from: Number(r.range_from), to: Number(r.range_to), committed: r.committed }));
}
