/**
 * Sharing C&C candidates among carriers without sharing flows (issue 17, item 6; docs/flows.md,
 * "What leaves a carrier").
 *
 * `flow_corroboration`: what each carrier (an organisation of this hub) submitted — keyed hashes
 * of its candidates' (server, port, proto) under the community key, a coarse client-count bucket
 * and the day — never an address, a client or an exact count. The hub answers each carrier, for
 * its own hashes only, how many other carriers submitted the same hash. `key_id` names the key a
 * hash was made with (a fingerprint, not the key), so hashes under a rotated key are not mixed.
 *
 * `flow_cnc_published`: what the hub last published of each candidate per collection, so a re-run
 * makes a new version only when something a consumer sees changed, under the same ids.
 */
export const migration = {
  id: 23,
  name: 'flow-corroboration',
  statements: [
    `CREATE TABLE flow_corroboration (
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       key_id text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
       hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
       day date NOT NULL,
       bucket text NOT NULL CHECK (bucket IN ('1', '2-9', '10-99', '100+')),
       submitted_by text NOT NULL,
       submitted_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (org_id, key_id, hash, day)
     )`,
    `CREATE INDEX flow_corroboration_hash ON flow_corroboration (key_id, hash, day)`,
    `CREATE INDEX flow_corroboration_day ON flow_corroboration (day)`,
    `CREATE TABLE flow_cnc_published (
       collection_id text NOT NULL,
       candidate text NOT NULL,
       indicator_id text NOT NULL UNIQUE,
       created timestamptz NOT NULL,
       modified timestamptz NOT NULL,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       confidence integer NOT NULL,
       revoked boolean NOT NULL DEFAULT false,
       content text NOT NULL,
       PRIMARY KEY (collection_id, candidate)
     )`,
  ],
};
