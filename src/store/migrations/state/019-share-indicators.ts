/**
 * The sharing hub's indicators from our own observations (docs/sharing.md, issue 16 items 5–6):
 * the hub's identity (created once: the `created_by_ref` of everything we publish), one row per
 * observable published into a collection (each collection has its own marking, so its own
 * indicator) with what its next version is computed from, the warning lists whose
 * addresses are never published (known research scanners and other benign sources), our own
 * sensors' addresses, the feedback peers sent about our indicators (sightings, opinions, notes;
 * one row per object version, so nothing counts twice) and the sightings we made of theirs.
 */
export const migration = {
  id: 19,
  name: 'share-indicators',
  statements: [
    `CREATE TABLE share_hub_identity (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       id text NOT NULL UNIQUE,
       name text NOT NULL,
       created timestamptz NOT NULL
     )`,
    `CREATE TABLE share_indicators (
       collection_id text NOT NULL,
       value text NOT NULL,
       id text NOT NULL UNIQUE,
       kind text NOT NULL,
       created timestamptz NOT NULL,
       modified timestamptz NOT NULL,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       days_seen integer NOT NULL DEFAULT 1,
       packets bigint NOT NULL DEFAULT 0,
       class text NOT NULL,
       tags text[] NOT NULL DEFAULT '{}',
       base_confidence integer NOT NULL,
       peer_sightings integer NOT NULL DEFAULT 0,
       peer_objections integer NOT NULL DEFAULT 0,
       confidence integer NOT NULL,
       valid_until timestamptz,
       revoked boolean NOT NULL DEFAULT false,
       tlp text NOT NULL,
       PRIMARY KEY (collection_id, value)
     )`,
    `CREATE INDEX share_indicators_modified ON share_indicators (modified)`,
    `CREATE TABLE share_warning_lists (
       name text PRIMARY KEY,
       description text NOT NULL DEFAULT '',
       imported_at timestamptz NOT NULL DEFAULT now(),
       entries integer NOT NULL DEFAULT 0
     )`,
    `CREATE TABLE share_warning_entries (
       list text NOT NULL REFERENCES share_warning_lists (name) ON DELETE CASCADE,
       prefix cidr NOT NULL,
       PRIMARY KEY (list, prefix)
     )`,
    `CREATE TABLE share_own_sensors (
       prefix cidr PRIMARY KEY,
       note text NOT NULL DEFAULT ''
     )`,
    `CREATE TABLE share_feedback (
       object_id text NOT NULL,
       version text NOT NULL,
       indicator_id text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('sighting', 'opinion', 'note')),
       from_ref text NOT NULL DEFAULT '',
       opinion text NOT NULL DEFAULT '',
       count integer NOT NULL DEFAULT 1,
       negative boolean NOT NULL DEFAULT false,
       received_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (object_id, version)
     )`,
    `CREATE INDEX share_feedback_indicator ON share_feedback (indicator_id)`,
    `CREATE TABLE share_sightings_made (
       indicator_id text PRIMARY KEY,
       sighting_id text NOT NULL UNIQUE,
       created timestamptz NOT NULL,
       modified timestamptz NOT NULL,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       count integer NOT NULL
     )`,
  ],
};
