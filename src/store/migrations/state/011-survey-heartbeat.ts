/**
 * A running survey touches `heartbeat_at` every few seconds. A run still `running` whose process
 * stopped (killed, machine restarted) stops touching it, and readers mark it aborted
 * (probe/survey-runs.ts) instead of showing it running for ever.
 */
export const migration = {
  id: 11,
  name: 'survey-heartbeat',
  statements: [
    'ALTER TABLE survey_runs ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz NOT NULL DEFAULT now()',
  ],
};
