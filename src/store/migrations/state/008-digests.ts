/**
 * Notification rounds and their deliveries: one digest per recipient and channel target per
 * round, holding the ids of the cases it tells about. A round is created in one transaction;
 * each delivery is then claimed, sent and recorded together with the cases it notified, so a
 * process killed in the middle of a round loses nothing and, on the next run, sends only what
 * was not recorded as sent.
 */
export const migration = {
  id: 8,
  name: 'digests',
  statements: [
    `ALTER TABLE organisations ADD COLUMN webhooks text[] NOT NULL DEFAULT '{}'`,
    `CREATE TABLE notify_rounds (
       id bigserial PRIMARY KEY,
       created_at timestamptz NOT NULL DEFAULT now(),
       cases integer NOT NULL,
       recipients integer NOT NULL
     )`,
    `CREATE TABLE deliveries (
       id bigserial PRIMARY KEY,
       round_id bigint NOT NULL REFERENCES notify_rounds(id) ON DELETE CASCADE,
       recipient text NOT NULL,
       recipient_name text NOT NULL DEFAULT '',
       language text NOT NULL DEFAULT 'ja',
       channel text NOT NULL CHECK (channel IN ('email', 'webhook', 'escalation')),
       target text NOT NULL,
       case_ids bigint[] NOT NULL,
       status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'retrying', 'sent', 'failed')),
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz NOT NULL DEFAULT now(),
       last_error text,
       sent_at timestamptz,
       UNIQUE (round_id, recipient, channel, target)
     )`,
    `CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)`,
    `CREATE INDEX deliveries_round ON deliveries (round_id)`,
  ],
};
