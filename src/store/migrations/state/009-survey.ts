/**
 * Survey scopes, exclusions, runs and the probe audit log (NOTICE-style survey).
 *
 * - `scopes`: an authorised address space (CIDRs) with its owner, legal basis and validity; a
 *   survey runs only inside one. Credential checks are off unless `credential_checks` is true.
 * - `scope_exclusions`: CIDRs never probed; `scope_id` NULL means global (every scope). An
 *   exclusion always wins over a scope's CIDRs.
 * - `survey_runs`: one row per run, its status and progress counters.
 * - `probe_audit`: one row per connection a probe made (append-only; the general `audit_log`
 *   of migration 1 is for user actions). Never holds a password: only the credential list id.
 */
export const migration = {
  id: 9,
  name: 'survey',
  statements: [
    `CREATE TABLE scopes (
       id text PRIMARY KEY,
       name text NOT NULL UNIQUE,
       owner text NOT NULL,
       legal_basis text NOT NULL,
       cidrs cidr[] NOT NULL,
       credential_checks boolean NOT NULL DEFAULT false,
       valid_from timestamptz NOT NULL,
       valid_to timestamptz NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       note text NOT NULL DEFAULT '',
       CHECK (valid_to > valid_from),
       CHECK (cardinality(cidrs) > 0)
     )`,
    `CREATE TABLE scope_exclusions (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       scope_id text REFERENCES scopes(id) ON DELETE CASCADE,
       cidr cidr NOT NULL,
       reason text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE UNIQUE INDEX scope_exclusions_unique ON scope_exclusions (coalesce(scope_id, ''), cidr)`,
    `CREATE TABLE survey_runs (
       id text PRIMARY KEY,
       scope_id text NOT NULL REFERENCES scopes(id),
       modules text[] NOT NULL DEFAULT '{}',
       ports integer[] NOT NULL DEFAULT '{}',
       status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'aborted')),
       started_at timestamptz NOT NULL DEFAULT now(),
       finished_at timestamptz,
       targets_total bigint NOT NULL DEFAULT 0,
       targets_done bigint NOT NULL DEFAULT 0,
       open_ports bigint NOT NULL DEFAULT 0,
       services bigint NOT NULL DEFAULT 0,
       batches integer NOT NULL DEFAULT 0,
       error text
     )`,
    `CREATE INDEX survey_runs_scope ON survey_runs (scope_id, started_at)`,
    `CREATE TABLE probe_audit (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       at timestamptz NOT NULL,
       run_id text,
       source_ip inet,
       target_ip inet NOT NULL,
       port integer NOT NULL,
       module text NOT NULL,
       credential_list text
     )`,
    `CREATE INDEX probe_audit_at ON probe_audit (at)`,
    `CREATE INDEX probe_audit_run ON probe_audit (run_id)`,
    `CREATE INDEX probe_audit_target ON probe_audit (target_ip)`,
    // Append-only: updates and deletes are refused by the database itself.
    `CREATE FUNCTION probe_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'probe_audit is append-only'; END $$`,
    `CREATE TRIGGER probe_audit_no_change BEFORE UPDATE OR DELETE ON probe_audit
       FOR EACH ROW EXECUTE FUNCTION probe_audit_append_only()`,
  ],
};
