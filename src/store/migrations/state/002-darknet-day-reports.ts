/**
 * Daily darknet reports, computed once per day and data version. A day's report needs every
 * source's class and tags over the whole day (a GROUP BY over millions of sources), so it is
 * computed when an ingest touches the day, or on first request, and then served from here.
 */
export const migration = {
  id: 2,
  name: 'darknet-day-reports',
  statements: [
    `CREATE TABLE darknet_day_reports (
       day date NOT NULL,
       kind text NOT NULL,
       data_version text NOT NULL,
       body jsonb NOT NULL,
       computed_at timestamptz NOT NULL DEFAULT now(),
       compute_ms integer NOT NULL,
       PRIMARY KEY (day, kind)
     )`,
  ],
};
