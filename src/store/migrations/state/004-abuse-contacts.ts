/**
 * Abuse contacts imported from RIR databases (RPSL: RIPE, APNIC, JPNIC, …) and from CSV: which
 * mailbox answers for which address block or AS. A lookup takes the most specific block that has
 * a contact (a block without one inherits its parent's, as RIPE's "Abuse contact for" does).
 * One import replaces the rows of its source, so importing the same dump again changes nothing.
 */
export const migration = {
  id: 4,
  name: 'abuse-contacts',
  statements: [
    `CREATE TABLE abuse_contacts (
       id bigserial PRIMARY KEY,
       source text NOT NULL,
       resource text NOT NULL,
       prefix cidr,
       asn bigint,
       email text NOT NULL,
       via text NOT NULL,
       name text NOT NULL DEFAULT '',
       country text NOT NULL DEFAULT '',
       imported_at timestamptz NOT NULL DEFAULT now(),
       CHECK ((prefix IS NULL) <> (asn IS NULL))
     )`,
    `CREATE INDEX abuse_contacts_prefix ON abuse_contacts USING gist (prefix inet_ops) WHERE prefix IS NOT NULL`,
    `CREATE INDEX abuse_contacts_asn ON abuse_contacts (asn) WHERE asn IS NOT NULL`,
    `CREATE INDEX abuse_contacts_source ON abuse_contacts (source)`,
  ],
};
