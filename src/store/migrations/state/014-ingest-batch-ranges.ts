/**
 * Which time range of which sensor each ingested batch covers, and whether it is complete, so
 * that a capture overlapping one already stored is checked packet by packet only where it
 * overlaps (ingest/overlap.ts).
 *
 * - `sensor`, `ts_min`, `ts_max` (microseconds): the batch's capture times. Rows written before
 *   this migration have none and never overlap anything.
 * - `committed`: false from just before the batch's inserts until all of them (packets,
 *   aggregates, packet keys) are done. A false row left by a killed ingest marks a batch that may
 *   be partly stored: only the same batch sent again (same insert token) may cover its range.
 * - `keys_until`: until when the batch's packet keys are kept (its commit + the retention of the
 *   time); after that an overlap with it is decided by its time range.
 */
export const migration = {
  id: 14,
  name: 'ingest-batch-ranges',
  statements: [
    `ALTER TABLE ingest_batches
       ADD COLUMN sensor text,
       ADD COLUMN ts_min bigint,
       ADD COLUMN ts_max bigint,
       ADD COLUMN committed boolean NOT NULL DEFAULT true,
       ADD COLUMN keys_until timestamptz`,
    `CREATE INDEX ingest_batches_sensor_ts ON ingest_batches (sensor, ts_max)`,
  ],
};
