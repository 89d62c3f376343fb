/**
 * Raw packets expire a retention after they were stored, not after they were captured. Under
 * migration 001's `TTL toDateTime(ts) + …` a capture from years ago (research captures, CAIDA, a
 * replay) lost all its raw rows at the first merge, while its aggregates stayed.
 *
 * `stored_at` is the time of the insert, computed by ClickHouse (MATERIALIZED: the ingest never
 * writes it, `SELECT *` leaves it out). `now()` is one value per insert, so the column is
 * constant within a batch and compresses to almost nothing.
 *
 * Rows stored before this migration get the time the migration ran: MATERIALIZE COLUMN computes
 * `now()` when it rewrites each part (on a cluster, each replica at its own moment). It runs
 * before the TTL changes, and MODIFY TTL then recomputes every part's expiry from the stored
 * times (the TTL info kept per part is what decides when a part is dropped).
 *
 * The retention is re-applied at start from `darknet.retentionDays` (app/retention.ts); 90 days
 * here is the default.
 */
export const migration = {
  id: 7,
  name: 'darknet-packets-stored-at',
  statements: [
    `ALTER TABLE darknet_packets ADD COLUMN IF NOT EXISTS stored_at DateTime('UTC') MATERIALIZED now()`,
    'ALTER TABLE darknet_packets MATERIALIZE COLUMN stored_at SETTINGS mutations_sync = 1',
    'ALTER TABLE darknet_packets MODIFY TTL stored_at + INTERVAL 90 DAY SETTINGS mutations_sync = 1',
  ],
};
