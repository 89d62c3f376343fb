/**
 * Findings nobody can be told about are no longer cases (issue 15): the last case build counts
 * them per origin AS and country, with the addresses per finding kind, so an admin sees where
 * registrations or abuse contacts are missing. Replaced by every build; one summary row.
 */
export const migration = {
  id: 15,
  name: 'no-recipient',
  statements: [
    `CREATE TABLE no_recipient (
       asn bigint NOT NULL,
       country text NOT NULL,
       as_name text NOT NULL DEFAULT '',
       addresses integer NOT NULL,
       by_kind jsonb NOT NULL,
       PRIMARY KEY (asn, country)
     )`,
    `CREATE TABLE no_recipient_build (
       id smallint PRIMARY KEY CHECK (id = 1),
       built_at timestamptz NOT NULL,
       findings integer NOT NULL,
       addresses integer NOT NULL
     )`,
  ],
};
