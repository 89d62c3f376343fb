/**
 * Victim reports (issue 16, item 8): incidents members submit to the hub. The attack-technical
 * part (C2 addresses, malware, techniques, STIX objects) may be shared at once; the
 * victim-identifying part (addresses, name, affected systems) stays with the reporting
 * organisation until its admin consents and the hub releases it pseudonymised (Crypto-PAn under
 * the hub's key, kept here and never logged) and generalised to sector, size band and region.
 * Aggregates per month, sector and attack kind are kept with their number of distinct reporters:
 * only those with at least k are ever served.
 */
export const migration = {
  id: 20,
  name: 'victim-reports',
  statements: [
    `CREATE TABLE share_hub_keys (
       name text PRIMARY KEY,
       key bytea NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE victim_reports (
       id text PRIMARY KEY,
       owner_org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       owner_user_id text NOT NULL,
       title text NOT NULL,
       attack_kind text NOT NULL,
       occurred_at timestamptz NOT NULL,
       technical jsonb NOT NULL,
       victim jsonb NOT NULL,
       sector text NOT NULL,
       size_band text NOT NULL,
       region text NOT NULL,
       state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'consented', 'released')),
       consented_by text,
       consented_at timestamptz,
       released_by text,
       released_at timestamptz,
       submitted_at timestamptz NOT NULL DEFAULT now(),
       content_hash text NOT NULL,
       UNIQUE (owner_org_id, content_hash),
       CHECK ((state = 'draft') = (consented_at IS NULL)),
       CHECK ((state = 'released') = (released_at IS NOT NULL))
     )`,
    `CREATE INDEX victim_reports_owner ON victim_reports (owner_org_id, submitted_at)`,
    `CREATE INDEX victim_reports_cell ON victim_reports (occurred_at, sector, attack_kind)`,
    `CREATE TABLE victim_aggregates (
       month date NOT NULL,
       sector text NOT NULL,
       attack_kind text NOT NULL,
       victims integer NOT NULL,
       reporters integer NOT NULL,
       k integer NOT NULL,
       released boolean NOT NULL,
       computed_at timestamptz NOT NULL,
       PRIMARY KEY (month, sector, attack_kind)
     )`,
  ],
};
