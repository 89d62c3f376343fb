/**
 * Which packets of a batch are already stored, for inputs that overlap earlier ones (a prefix of
 * a capture, its continuation, rotated files sharing their edges).
 *
 * The state store records each batch's sensor and time range (`ingest_batches`, state migration
 * 014). A new batch whose range meets no other input's batch is stored as it is: that is the
 * common case, and it costs one indexed query. Where it meets batches of other inputs (or of an
 * earlier, killed run of the same input), the keys stored in its range are read and each packet
 * is looked up (ingest/packet-keys.ts). Batches of the current run are left out: one input is
 * always stored whole, as a clean run would store it, duplicated frames included.
 *
 * Packet keys are kept as long as raw packets; a batch whose keys have expired (or will within a
 * day) can only be compared by time, so the packets inside its range are taken as stored. That
 * is exact for the copies and rotations this is for, and wrong only for a second, different
 * capture of the same sensor over the same time ingested after the first one's retention.
 *
 * A batch left half-stored by a killed ingest (`committed` false) may have some of its inserts
 * done: only that same batch, sent again with its insert token, can complete it without counting
 * anything twice. Another input that overlaps it is refused until the interrupted one is run
 * again (INGEST_INTERRUPTED).
 */
import type { PacketBatch } from '../decode/packet-batch.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { StoredKeys } from './packet-keys.js';

/** Keys are read only while they are kept for at least this much longer. */
const KEY_MARGIN_DAYS = 1;

export interface InterruptedBatch {
  token: string;
  sourceKey: string;
  name: string;
}

export interface Overlap {
  /** The span of this batch's range where stored keys decide, or undefined. */
  keyed?: { lo: number; hi: number };
  /** Ranges of batches whose keys are gone: packets inside are taken as stored. */
  byTime: { lo: number; hi: number }[];
  /** Half-stored batches of other inputs within this range. */
  interrupted: InterruptedBatch[];
}

interface RangeRow {
  token: string;
  source_key: string;
  name: string | null;
  committed: boolean;
  keyed: boolean;
  ts_min: number | string;
  ts_max: number | string;
}

/** The stored batches of `sensor` that meet [lo, hi], except this run's own (`own` tokens, `runKey`'s pending ones). */
export async function findOverlap(
  state: StateStore,
  q: { sensor: string; lo: number; hi: number; runKey: string; own: ReadonlySet<string>; retentionDays: number },
): Promise<Overlap> {
  const rows = await state.query<RangeRow>(
    `SELECT b.token, b.source_key, f.name, b.committed, b.ts_min, b.ts_max,
            (b.keys_until > now() + make_interval(days => $5)
             AND b.committed_at + make_interval(days => $4) > now() + make_interval(days => $5)) AS keyed
       FROM ingest_batches b LEFT JOIN ingest_files f ON f.source_key = b.source_key
      WHERE b.sensor = $1 AND b.ts_max >= $2 AND b.ts_min <= $3`,
    [q.sensor, q.lo, q.hi, q.retentionDays, KEY_MARGIN_DAYS],
  );
  const out: Overlap = { byTime: [], interrupted: [] };
  for (const r of rows) {
    if (q.own.has(r.token)) continue;
    if (!r.committed) {
      // This run's own batch in flight, or the same input's batch that a killed run left: the
      // same token completes it. Any other input must wait for it.
      if (r.source_key !== q.runKey) out.interrupted.push({ token: r.token, sourceKey: r.source_key, name: r.name ?? r.source_key });
      continue;
    }
    const lo = Math.max(q.lo, Number(r.ts_min));
    const hi = Math.min(q.hi, Number(r.ts_max));
    if (r.keyed) out.keyed = { lo: Math.min(out.keyed?.lo ?? lo, lo), hi: Math.max(out.keyed?.hi ?? hi, hi) };
    else out.byTime.push({ lo, hi });
  }
  return out;
}

/** The keys stored for `sensor` in [lo, hi] (µs). */
export async function storedKeys(events: EventsStore, sensor: string, lo: number, hi: number): Promise<StoredKeys> {
  // RowBinary (Int64 µs, UInt32 key: 12 bytes a row): a million keys as JSON took seconds.
  const rows = await events.queryRowBinary(
    `SELECT toUnixTimestamp64Micro(ts), key FROM darknet_packet_keys
      WHERE sensor = {sensor:String} AND ts >= fromUnixTimestamp64Micro({lo:Int64}) AND ts <= fromUnixTimestamp64Micro({hi:Int64})
      ORDER BY ts`,
    { sensor, lo, hi },
  );
  return StoredKeys.fromRowBinary(rows);
}

/**
 * Marks in `drop` (1 = already stored) the packets of the batch that `keys` or a time range
 * says are stored; returns how many.
 */
export function markStored(b: PacketBatch, key: Uint32Array, overlap: Overlap, keys: StoredKeys | undefined, drop: Uint8Array): number {
  const n = b.length;
  const ts = b.tsMicros;
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    let stored = keys !== undefined && keys.has(t, key[i] as number);
    if (!stored) for (const r of overlap.byTime) if (t >= r.lo && t <= r.hi) { stored = true; break; }
    drop[i] = stored ? 1 : 0;
    if (stored) dropped++;
  }
  return dropped;
}

export interface BatchRecord {
  token: string;
  sourceKey: string;
  seq: number;
  packets: number;
  sensor: string;
  lo: number;
  hi: number;
}

/**
 * Records a batch as begun (not committed) before its inserts; returns true when an earlier run
 * had already committed it (nothing to insert).
 */
export async function beginBatch(state: StateStore, r: BatchRecord): Promise<boolean> {
  const [row] = await state.query<{ committed: boolean }>(
    `INSERT INTO ingest_batches (token, source_key, seq, packets, committed_at, sensor, ts_min, ts_max, committed)
     VALUES ($1, $2, $3, $4, now(), $5, $6, $7, false)
     ON CONFLICT (token) DO UPDATE SET token = EXCLUDED.token
     RETURNING committed`,
    [r.token, r.sourceKey, r.seq, r.packets, r.sensor, r.lo, r.hi],
  );
  return row?.committed === true;
}

/** Marks a batch complete once all its inserts are done; its keys are kept `retentionDays`. */
export async function commitBatch(state: StateStore, token: string, retentionDays: number): Promise<void> {
  await state.query(
    `UPDATE ingest_batches SET committed = true, committed_at = now(), keys_until = now() + make_interval(days => $2) WHERE token = $1`,
    [token, retentionDays],
  );
}
