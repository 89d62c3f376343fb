/**
 * Feeds the TAXII client pulls: a remote API root's collection into a local collection, with the
 * cursor that lets a pull resume where the last one stopped (`added_after` as the remote sent
 * it, as text to keep its precision, and the remote's `next` while a paged read is under way).
 * The cursor moves only after a page's objects are stored (and a stored version is never stored
 * twice), so a pull killed at any moment resumes without losing or repeating an object.
 * Credentials are never stored.
 */
export const migration = {
  id: 21,
  name: 'taxii-feeds',
  statements: [
    `CREATE TABLE share_feeds (
       id text PRIMARY KEY,
       api_root text NOT NULL,
       remote_collection text NOT NULL,
       local_collection text NOT NULL,
       added_after text,
       next_cursor text,
       pages bigint NOT NULL DEFAULT 0,
       objects_received bigint NOT NULL DEFAULT 0,
       objects_failed bigint NOT NULL DEFAULT 0,
       created_at timestamptz NOT NULL DEFAULT now(),
       last_pull_at timestamptz,
       last_error text,
       UNIQUE (api_root, remote_collection, local_collection)
     )`,
  ],
};
