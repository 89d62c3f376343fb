/**
 * The demo's local mail sink: the messages `sakimori demo` "sends" to its synthetic
 * organisations, shown by the console as an outbox. Keyed by Message-ID, so a digest sent again
 * after a crash, or a second demo run, stores it once. `demo_story` records the story's weeks
 * that are done, so a second run (or one after an interruption) tells nothing twice.
 */
export const migration = {
  id: 16,
  name: 'demo-outbox',
  statements: [
    `CREATE TABLE demo_outbox (
       message_id text PRIMARY KEY,
       sent_at timestamptz NOT NULL,
       recipient text NOT NULL,
       subject text NOT NULL,
       body text NOT NULL
     )`,
    `CREATE TABLE demo_story (
       step integer PRIMARY KEY,
       done_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
