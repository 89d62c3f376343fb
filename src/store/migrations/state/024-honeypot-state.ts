/**
 * Honeypot ingest state (issue 18), as the flow ingest keeps flow_files and flow_batches:
 *
 * - `honeypot_files`: one row per honeypot log ingested (`sakimori ingest honeypot`), keyed by
 *   its content key (ingest/source-key.ts) or a per-run key for a stream; `complete` makes a
 *   repeat a no-op; `stored_at_ms` and `batch_size` are fixed at the first try, so a re-run after
 *   a kill cuts the same batches with the same tokens and ClickHouse keeps each one once.
 *   `skipped` counts what was not stored, by reason (broken JSON, unknown event ids, …);
 *   `anomalies` what was stored but is odd (sessions without a close, clocks that jump).
 * - `honeypot_batches`: each batch of a file by its insert token; `committed` once stored.
 */
export const migration = {
  id: 24,
  name: 'honeypot-state',
  statements: [
    `CREATE TABLE honeypot_files (
       source_key text PRIMARY KEY,
       name text NOT NULL,
       format text,
       status text NOT NULL,
       records bigint NOT NULL DEFAULT 0,
       bytes bigint NOT NULL DEFAULT 0,
       skipped jsonb NOT NULL DEFAULT '{}'::jsonb,
       anomalies jsonb NOT NULL DEFAULT '{}'::jsonb,
       problem jsonb,
       batch_size integer NOT NULL,
       stored_at_ms bigint NOT NULL,
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz
     )`,
    `CREATE TABLE honeypot_batches (
       token text PRIMARY KEY,
       source_key text NOT NULL,
       seq integer NOT NULL,
       records bigint NOT NULL,
       committed boolean NOT NULL DEFAULT false,
       committed_at timestamptz
     )`,
    `CREATE INDEX honeypot_batches_source_key ON honeypot_batches (source_key, seq)`,
  ],
};
