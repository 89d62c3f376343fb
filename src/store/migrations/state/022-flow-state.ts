/**
 * Flow collection state (issue 17). `flow_raw_reads`: every read of raw flows (flows_raw in the
 * events store) — who, why, which window, how many records — because raw flows are
 * communications data kept only to the necessary minimum and their use must be accountable.
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
  ],
};
