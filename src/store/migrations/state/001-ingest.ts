/**
 * Ingest bookkeeping and the audit log.
 *
 * - `ingest_files`: one row per input (a file's content key, or a per-run key for a stream),
 *   with its status and the reader's summary; a `complete` row makes a repeated ingest a no-op.
 * - `ingest_batches`: one row per batch committed to the events store, keyed by the batch's
 *   insert token, so a re-run after a crash skips what already arrived.
 * - `audit_log`: who did what to which object, append-only.
 */
export const migration = {
  id: 1,
  name: 'ingest',
  statements: [
    `CREATE TABLE ingest_files (
       source_key text PRIMARY KEY,
       name text NOT NULL,
       sensor text NOT NULL,
       status text NOT NULL,
       packets bigint NOT NULL DEFAULT 0,
       records bigint NOT NULL DEFAULT 0,
       bytes bigint NOT NULL DEFAULT 0,
       skipped jsonb NOT NULL DEFAULT '{}'::jsonb,
       truncated jsonb,
       batch_size integer,
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz
     )`,
    `CREATE INDEX ingest_files_started_at ON ingest_files (started_at)`,
    `CREATE TABLE ingest_batches (
       token text PRIMARY KEY,
       source_key text NOT NULL,
       seq integer NOT NULL,
       packets bigint NOT NULL,
       committed_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX ingest_batches_source_key ON ingest_batches (source_key, seq)`,
    `CREATE TABLE audit_log (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT now(),
       actor text NOT NULL,
       action text NOT NULL,
       target_type text,
       target_id text,
       detail jsonb NOT NULL DEFAULT '{}'::jsonb
     )`,
    `CREATE INDEX audit_log_at ON audit_log (at)`,
    `CREATE INDEX audit_log_target ON audit_log (target_type, target_id)`,
  ],
};
