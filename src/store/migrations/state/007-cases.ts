/**
 * Notification cases: one per (recipient, IP, kind) — default credential, vulnerable firmware,
 * Mirai-like infection, exposed service — with its life cycle new → notified → acknowledged →
 * resolved → reopened. Every change after the opening (`opened_at`) is an event with its reason
 * and evidence (what the effect measurement counts). Resolution is only ever set from evidence
 * (a later survey, or the darknet staying quiet), never by a click.
 */
export const migration = {
  id: 7,
  name: 'cases',
  statements: [
    `CREATE TABLE cases (
       id bigserial PRIMARY KEY,
       recipient text NOT NULL,
       recipient_name text NOT NULL DEFAULT '',
       ip inet NOT NULL,
       kind text NOT NULL,
       detail jsonb NOT NULL,
       device_model text NOT NULL DEFAULT '',
       asn bigint NOT NULL DEFAULT 0,
       state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'notified', 'acknowledged', 'resolved', 'reopened')),
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       opened_at timestamptz NOT NULL DEFAULT now(),
       notified_at timestamptz,
       acknowledged_at timestamptz,
       resolved_at timestamptz,
       reopened_count integer NOT NULL DEFAULT 0,
       resolution jsonb,
       UNIQUE (recipient, ip, kind)
     )`,
    `CREATE INDEX cases_state ON cases (state)`,
    // btree, not GiST: cheap to maintain on a million-row build, and ranges (ip >= a AND ip <= b) use it.
    `CREATE INDEX cases_ip ON cases (ip)`,
    `CREATE TABLE case_events (
       id bigserial PRIMARY KEY,
       case_id bigint NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
       at timestamptz NOT NULL DEFAULT now(),
       from_state text,
       to_state text NOT NULL,
       reason text NOT NULL,
       evidence jsonb
     )`,
    `CREATE INDEX case_events_case ON case_events (case_id, at)`,
    // Targets that must never get a case: an address block, an e-mail or an organisation that opted out.
    `CREATE TABLE notify_opt_out (
       target text PRIMARY KEY,
       reason text NOT NULL DEFAULT '',
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    // Exposed-service cases are made only for the service classes an organisation asked for.
    `ALTER TABLE organisations ADD COLUMN case_services text[] NOT NULL DEFAULT '{}'`,
  ],
};
