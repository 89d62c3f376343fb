/**
 * Organisations (ISPs, enterprises, ISAC members, CERTs) and their constituencies: the prefixes,
 * ASNs and domains they answer for. The constituency is what need-to-know restricts every query
 * of the organisation's members to, and the first place a finding's recipient is looked up.
 */
export const migration = {
  id: 5,
  name: 'organisations',
  statements: [
    `CREATE TABLE organisations (
       id text PRIMARY KEY,
       name text NOT NULL UNIQUE,
       kind text NOT NULL,
       country text NOT NULL DEFAULT '',
       emails text[] NOT NULL DEFAULT '{}',
       language text NOT NULL DEFAULT 'ja',
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE org_prefixes (
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       prefix cidr NOT NULL,
       note text NOT NULL DEFAULT '',
       PRIMARY KEY (org_id, prefix)
     )`,
    `CREATE INDEX org_prefixes_prefix ON org_prefixes USING gist (prefix inet_ops)`,
    `CREATE TABLE org_asns (
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       asn bigint NOT NULL,
       PRIMARY KEY (org_id, asn)
     )`,
    `CREATE INDEX org_asns_asn ON org_asns (asn)`,
    `CREATE TABLE org_domains (
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       domain text NOT NULL,
       PRIMARY KEY (org_id, domain)
     )`,
  ],
};
