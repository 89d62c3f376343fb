/**
 * Flow collection state (issue 17). `flow_raw_reads`: every read of raw flows (flows_raw in the
 * events store) — who, why, which window, how many records — because raw flows are
 * communications data kept only to the necessary minimum and their use must be accountable.
 *
 * - `flow_files`: one row per flow file ingested (`sakimori ingest flows`), keyed by its content
 *   key (ingest/source-key.ts) or a per-run key for a stream; `complete` makes a repeat a no-op.
 *   `stored_at_ms` and `batch_size` are fixed at the first try, so a re-run after a kill cuts the
 *   same batches with the same tokens and ClickHouse keeps each one once.
 * - `flow_batches`: each batch of a file by its insert token; `committed` once stored.
 * - `flow_exporters`: per exporter address, domain and protocol: datagrams, records, lost
 *   (sequence gaps net of late arrivals), restarts, sampling rates seen, records/s, templates,
 *   first and last seen, and where its sequence stood (collect/exporter-stats.ts). Counters are
 *   added to (several collectors and ingests may report the same exporter).
 * - `flow_templates`: the collector's template cache snapshot (warm restart), one row per name.
 */
export const migration = {
  id: 22,
  name: 'flow-state',
  statements: [
    `CREATE TABLE flow_raw_reads (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT now(),
       user_id text,
       org_id text,
       purpose text NOT NULL,
       window_from timestamptz,
       window_to timestamptz,
       detail jsonb NOT NULL DEFAULT '{}',
       records bigint
     )`,
    `CREATE INDEX flow_raw_reads_at ON flow_raw_reads (at)`,
    `CREATE TABLE flow_files (
       source_key text PRIMARY KEY,
       name text NOT NULL,
       format text,
       status text NOT NULL,
       records bigint NOT NULL DEFAULT 0,
       bytes bigint NOT NULL DEFAULT 0,
       skipped jsonb NOT NULL DEFAULT '{}'::jsonb,
       problem jsonb,
       batch_size integer NOT NULL,
       stored_at_ms bigint NOT NULL,
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz
     )`,
    `CREATE TABLE flow_batches (
       token text PRIMARY KEY,
       source_key text NOT NULL,
       seq integer NOT NULL,
       records bigint NOT NULL,
       committed boolean NOT NULL DEFAULT false,
       committed_at timestamptz
     )`,
    `CREATE INDEX flow_batches_source_key ON flow_batches (source_key, seq)`,
    `CREATE TABLE flow_exporters (
       exporter text NOT NULL,
       domain bigint NOT NULL,
       protocol text NOT NULL,
       datagrams bigint NOT NULL DEFAULT 0,
       records bigint NOT NULL DEFAULT 0,
       lost bigint NOT NULL DEFAULT 0,
       restarts bigint NOT NULL DEFAULT 0,
       sampling_rates integer[] NOT NULL DEFAULT '{}',
       records_per_second double precision NOT NULL DEFAULT 0,
       templates integer NOT NULL DEFAULT 0,
       next_sequence bigint,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       PRIMARY KEY (exporter, domain, protocol)
     )`,
    `CREATE TABLE flow_templates (
       name text PRIMARY KEY,
       snapshot jsonb NOT NULL,
       saved_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
