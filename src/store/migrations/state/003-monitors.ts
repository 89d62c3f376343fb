/**
 * Monitors (as Shodan Monitor): a saved search over one's own ranges that alerts when a new
 * service, a new weak credential or a new CVE appears. Findings are remembered per monitor by a
 * stable key, so each is alerted once (again only after it disappeared and came back), and can
 * be muted one by one. Every alert to every channel is a delivery row: retried with back-off,
 * never sent twice.
 */
export const migration = {
  id: 3,
  name: 'monitors',
  statements: [
    `CREATE TABLE monitors (
       id text PRIMARY KEY,
       name text NOT NULL UNIQUE,
       -- The organisation that owns it (its members see only its monitors); NULL: the platform's.
       org_id text,
       query text NOT NULL,
       cidrs text[] NOT NULL,
       kinds text[] NOT NULL,
       webhooks text[] NOT NULL DEFAULT '{}',
       emails text[] NOT NULL DEFAULT '{}',
       language text NOT NULL DEFAULT 'ja',
       enabled boolean NOT NULL DEFAULT true,
       created_at timestamptz NOT NULL DEFAULT now(),
       last_run_at timestamptz,
       last_run_findings integer
     )`,
    `CREATE TABLE monitor_findings (
       monitor_id text NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
       key text NOT NULL,
       kind text NOT NULL,
       ip text NOT NULL,
       port integer NOT NULL,
       transport text NOT NULL,
       detail jsonb NOT NULL,
       first_seen timestamptz NOT NULL DEFAULT now(),
       last_seen timestamptz NOT NULL DEFAULT now(),
       present boolean NOT NULL DEFAULT true,
       muted boolean NOT NULL DEFAULT false,
       alerted_at timestamptz,
       PRIMARY KEY (monitor_id, key)
     )`,
    `CREATE TABLE monitor_deliveries (
       id bigserial PRIMARY KEY,
       monitor_id text NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
       run_at timestamptz NOT NULL,
       channel text NOT NULL,
       target text NOT NULL,
       finding_keys text[] NOT NULL,
       payload jsonb NOT NULL,
       status text NOT NULL DEFAULT 'pending',
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz NOT NULL DEFAULT now(),
       last_error text,
       sent_at timestamptz,
       UNIQUE (monitor_id, run_at, channel, target)
     )`,
    `CREATE INDEX monitor_deliveries_due ON monitor_deliveries (status, next_attempt_at)`,
  ],
};
