/**
 * Our own sensor's journal byte ranges the store holds (issue 18), so a journal shipped again
 * (its shipper's state file corrupt, truncated or lost) stores nothing twice.
 *
 * - `honeypot_journal_ranges`: per journal file name (unique per sensor process and file: it
 *   carries the process's start time, pid and a random part), the byte ranges stored.
 *   `committed` is false from just before the range's insert until it is done: such a row left by
 *   a kill may be partly stored, and only the same range sent again (same insert token, the same
 *   `stored_at_ms`) may cover it. A committed range is merged into the committed one it follows,
 *   so a journal delivered in order keeps one row however many chunks it went out in.
 *
 * Not honeypot_batches (024): a journal grows while it is delivered and is cut where its lines
 * end, so its chunks are byte ranges to compare, which that table has no columns for.
 */
export const migration = {
  id: 26,
  name: 'sensor-journal-ranges',
  statements: [
    `CREATE TABLE honeypot_journal_ranges (
       journal text NOT NULL,
       range_from bigint NOT NULL,
       range_to bigint NOT NULL,
       events bigint NOT NULL,
       stored_at_ms bigint NOT NULL,
       committed boolean NOT NULL DEFAULT false,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (journal, range_from),
       CHECK (range_to > range_from)
     )`,
  ],
};
