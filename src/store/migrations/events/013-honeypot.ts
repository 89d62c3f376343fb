/**
 * Honeypot events (issue 18): Cowrie, Dionaea and Conpot logs and our own IoT sensor, in one
 * harmonised row (schema/honeypot-event.ts, whose list these columns follow). Ordered by client
 * address and time, so one address's sessions (the host timeline) and one address's features
 * (campaigns) are ranges. Partitioned by the time of storing, not the honeypot's clock: a sensor
 * whose clock jumps must not make a partition per bad time stamp. Kept for good, like the
 * darknet's aggregates: what attackers did is the evidence cases and campaigns cite.
 *
 * An insert carries a token (the file and batch, or the sensor's flush), so a retried batch is
 * stored once.
 */
export const migration = {
  id: 13,
  name: 'honeypot',
  sharding: { honeypot_events: 'cityHash64(src)' },
  statements: [
    `CREATE TABLE IF NOT EXISTS honeypot_events (
       stored_at DateTime('UTC'),
       ts DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
       honeypot LowCardinality(String),
       sensor LowCardinality(String),
       session String,
       kind LowCardinality(String),
       proto LowCardinality(String),
       src IPv6,
       src_port UInt16,
       dst IPv6,
       dst_port UInt16,
       src_asn UInt32,
       src_country LowCardinality(String),
       username String,
       password String,
       success Int8 DEFAULT -1,
       input String,
       url String,
       url_host String,
       sha256 String,
       size UInt64,
       target String,
       client String,
       fingerprint String,
       duration Float64,
       detail String CODEC(ZSTD(3))
     ) ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMM(stored_at)
     ORDER BY (src, ts)
     SETTINGS non_replicated_deduplication_window = 100000`,
  ],
};
