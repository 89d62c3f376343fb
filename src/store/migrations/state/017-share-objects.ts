/**
 * The sharing hub's object store (TAXII 2.1): collections with per-organisation read/write access,
 * every stored STIX object version with the JSON text exactly as posted, and the status
 * resources of POSTed envelopes.
 *
 * `date_added` is unique within the server and increases in commit order: writers take it from
 * the one-row `share_clock` (microseconds, never the same twice; the row lock makes a later
 * writer wait for the earlier one's commit), so paging by `added_after` never skips or repeats.
 * A version is `modified`, else `created`, else `date_added` (TAXII 2.1 section 3.6); its text as
 * the object gave it is kept for the manifest, the timestamp for ordering and matching.
 */
export const migration = {
  id: 17,
  name: 'share-objects',
  statements: [
    `CREATE TABLE share_collections (
       id uuid PRIMARY KEY,
       title text NOT NULL,
       description text NOT NULL DEFAULT '',
       alias text UNIQUE,
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by text NOT NULL
     )`,
    `CREATE TABLE share_collection_access (
       collection_id uuid NOT NULL REFERENCES share_collections(id) ON DELETE CASCADE,
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       can_read boolean NOT NULL DEFAULT false,
       can_write boolean NOT NULL DEFAULT false,
       PRIMARY KEY (collection_id, org_id)
     )`,
    `CREATE INDEX share_collection_access_org ON share_collection_access (org_id)`,
    `CREATE TABLE share_clock (
       one boolean PRIMARY KEY DEFAULT true CHECK (one),
       last timestamptz NOT NULL
     )`,
    `INSERT INTO share_clock (one, last) VALUES (true, '-infinity')`,
    `CREATE TABLE share_objects (
       collection_id uuid NOT NULL REFERENCES share_collections(id) ON DELETE CASCADE,
       date_added timestamptz NOT NULL,
       stix_id text NOT NULL,
       type text NOT NULL,
       spec_version text NOT NULL,
       version timestamptz NOT NULL,
       version_text text NOT NULL,
       owner_org_id text,
       owner_user_id text,
       tlp text CHECK (tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red')),
       body text NOT NULL,
       PRIMARY KEY (collection_id, date_added),
       UNIQUE (collection_id, stix_id, version)
     )`,
    `CREATE INDEX share_objects_type ON share_objects (collection_id, type, date_added)`,
    `CREATE TABLE share_status (
       id uuid PRIMARY KEY,
       collection_id uuid NOT NULL REFERENCES share_collections(id) ON DELETE CASCADE,
       user_id text NOT NULL,
       org_id text,
       status text NOT NULL CHECK (status IN ('pending', 'complete')),
       request_timestamp timestamptz NOT NULL,
       total_count integer NOT NULL,
       success_count integer NOT NULL,
       failure_count integer NOT NULL,
       pending_count integer NOT NULL,
       successes jsonb NOT NULL DEFAULT '[]',
       failures jsonb NOT NULL DEFAULT '[]',
       pendings jsonb NOT NULL DEFAULT '[]'
     )`,
  ],
};
