/**
 * The identity of every stored packet, so that captures which overlap (a capture cut short and
 * copied again, rotated files sharing their edges, a prefix of one already stored) count each
 * packet once (ingest/packet-keys.ts, docs/darknet.md "Exactly once").
 *
 * A row is (sensor, capture time, 32-bit hash of the decoded packet and its rank among identical
 * packets of the same microsecond): about 7 bytes a packet compressed, a third of a raw packet.
 * Ordered by (sensor, ts), so the keys of one batch's time range are read from a few granules.
 * Written last for each batch, after its packets and aggregates; the state store's
 * `ingest_batches` row says when a batch is complete and which time range it covers.
 *
 * Kept as long as the raw packets (`stored_at` + `darknet.retentionDays`, re-applied at start);
 * an overlap with batches older than that is decided by their time range (ingest/overlap.ts).
 */
export const migration = {
  id: 9,
  name: 'darknet-packet-keys',
  // A re-sent block goes to the shard that holds it already, so its insert token deduplicates it.
  sharding: { darknet_packet_keys: 'cityHash64(sensor, toStartOfHour(ts))' },
  statements: [
    `CREATE TABLE IF NOT EXISTS darknet_packet_keys (
       sensor LowCardinality(String),
       ts DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
       key UInt32,
       stored_at DateTime('UTC') MATERIALIZED now()
     ) ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMM(ts)
     ORDER BY (sensor, ts)
     TTL stored_at + INTERVAL 90 DAY
     SETTINGS non_replicated_deduplication_window = 100000`,
  ],
};
