/**
 * Darknet telescope tables. Packets enter through `darknet_ingest` (a Null table) once per batch;
 * materialized views fan each block out to the raw table, the port-hour packet counts and the
 * backscatter minutes. The per-source, per-source-port and hourly aggregates are computed by the
 * ingest in one pass over the source-sorted batch and inserted as small blocks of their own
 * (ingest/batch-aggregates.ts). Every target deduplicates by the batch's insert token (or a token
 * derived from it), which is what makes a re-run after a crash or a repeated ingest count nothing
 * twice.
 */
//
// Released: the DDL below is literal and never changes (its checksum is pinned in
// store/migrations/checksums.test.ts). The packet registry (schema/darknet-packet.ts) may grow;
// a new column is a new migration (`ALTER TABLE … ADD COLUMN IF NOT EXISTS`), and
// store/schema-registry.test.ts fails until it exists.

const DEDUP = 'non_replicated_deduplication_window = 100000';

/** Fingerprint bits counted per source (see analyze/fingerprints). */
export const TAG_BITS = 16;

const PACKET_COLUMNS = `
  ts DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
  sensor LowCardinality(String),
  family UInt8,
  src IPv6,
  dst IPv6,
  proto UInt8,
  sport UInt16,
  dport UInt16,
  tcp_flags UInt8,
  tcp_seq UInt32,
  tcp_ack UInt32,
  tcp_window UInt16,
  ip_id UInt32,
  ttl UInt8,
  ip_len UInt16,
  icmp_type UInt8,
  icmp_code UInt8,
  frag UInt8,
  wire_len UInt32,
  cls UInt8,
  tags UInt32,
  src_asn UInt32,
  src_country LowCardinality(String)`;

export const migration = {
  id: 1,
  name: 'darknet',
  // The ingest inserts darknet_hourly blocks itself (no src column): a deterministic key sends a
  // re-sent block to the shard that holds it already, so its insert token deduplicates it there.
  sharding: { darknet_hourly: 'cityHash64(hour, cls, family)' },
  statements: [
    `CREATE TABLE IF NOT EXISTS darknet_ingest (${PACKET_COLUMNS}) ENGINE = Null`,

    // Raw packets, kept for the configured retention (the TTL is re-applied at start).
    `CREATE TABLE IF NOT EXISTS darknet_packets (${PACKET_COLUMNS})
     ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMMDD(ts)
     ORDER BY (src, ts)
     TTL toDateTime(ts) + INTERVAL 90 DAY
     SETTINGS ${DEDUP}, ttl_only_drop_parts = 1`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_packets_mv TO darknet_packets AS SELECT * FROM darknet_ingest`,

    // Per source per day, kept for good: the basis of per-source classes, tags and host pages.
    // Filled by the ingest from a block it aggregates itself (one sequential pass over the
    // source-sorted batch), not by a view: see ingest/batch-aggregates.ts. `ports` and `dsts` are
    // HyperLogLog sketches (register → rank, merged by max) of the source's distinct proto × port
    // codes and darknet addresses, read with analyze/sql-helpers `sketchEstimate`.
    `CREATE TABLE IF NOT EXISTS darknet_source_day (
       day Date,
       sensor LowCardinality(String),
       src IPv6,
       first_seen SimpleAggregateFunction(min, DateTime64(6, 'UTC')),
       last_seen SimpleAggregateFunction(max, DateTime64(6, 'UTC')),
       packets SimpleAggregateFunction(sum, UInt64),
       pkts_scan SimpleAggregateFunction(sum, UInt64),
       pkts_backscatter SimpleAggregateFunction(sum, UInt64),
       pkts_other SimpleAggregateFunction(sum, UInt64),
       tag_hits SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64))),
       ports SimpleAggregateFunction(maxMap, Tuple(Array(UInt16), Array(UInt8))),
       dsts SimpleAggregateFunction(maxMap, Tuple(Array(UInt16), Array(UInt8))),
       asn SimpleAggregateFunction(anyLast, UInt32),
       country SimpleAggregateFunction(anyLast, LowCardinality(String)),
       INDEX src_bloom src TYPE bloom_filter GRANULARITY 2
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(day)
     ORDER BY (day, sensor, src)
     SETTINGS ${DEDUP}`,
    // Per hour × protocol × destination port × class: packets for top ports, IoT share, surges.
    `CREATE TABLE IF NOT EXISTS darknet_port_hour (
       hour DateTime('UTC'),
       sensor LowCardinality(String),
       proto UInt8,
       port UInt16,
       cls UInt8,
       packets SimpleAggregateFunction(sum, UInt64)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, sensor, proto, port, cls)
     SETTINGS ${DEDUP}`,
    // The view groups by one packed UInt64 (hour, proto, port, class): a single-number key costs
    // ClickHouse less than half of the five-column one. An insert into darknet_ingest carries one
    // sensor (the ingest puts it in as a constant), hence any(sensor).
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_port_hour_mv TO darknet_port_hour AS
     SELECT toDateTime(intDiv(k, 4294967296) * 3600, 'UTC') AS hour, sensor, toUInt8(bitAnd(bitShiftRight(k, 24), 255)) AS proto,
       toUInt16(bitAnd(bitShiftRight(k, 8), 65535)) AS port, toUInt8(bitAnd(k, 255)) AS cls, packets
     FROM (SELECT any(sensor) AS sensor, count() AS packets,
             intDiv(toUnixTimestamp64Micro(ts), 3600000000) * 4294967296 + toUInt64(proto) * 16777216 + toUInt64(dport) * 256 + cls AS k
           FROM darknet_ingest GROUP BY k)`,

    // Per source × day × protocol × destination port, kept for good: exact distinct sources per
    // port (reports compare them across days and with other telescopes) without a uniqExact
    // state per port and hour, and a source's ports. Filled by the ingest (batch-aggregates.ts).
    `CREATE TABLE IF NOT EXISTS darknet_source_port_day (
       day Date,
       sensor LowCardinality(String),
       proto UInt8,
       port UInt16,
       src IPv6,
       packets SimpleAggregateFunction(sum, UInt64)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(day)
     ORDER BY (day, sensor, proto, port, src)
     SETTINGS ${DEDUP}`,

    // Per hour × class: the time series of packets and distinct sources (approximate, ~1 %: a
    // chart; exact uniqExact states of a million sources per hour made every merge of this table
    // and every time series query slow). Filled by the ingest (batch-aggregates.ts) with each
    // batch's distinct sources per row.
    `CREATE TABLE IF NOT EXISTS darknet_hourly (
       hour DateTime('UTC'),
       sensor LowCardinality(String),
       cls UInt8,
       family UInt8,
       packets SimpleAggregateFunction(sum, UInt64),
       sources AggregateFunction(uniqCombined64(14), IPv6)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, sensor, cls, family)
     SETTINGS ${DEDUP}`,
    // Backscatter per victim per minute: DoS attacks (Moore et al.) are built from these rows.
    `CREATE TABLE IF NOT EXISTS darknet_backscatter_minute (
       minute DateTime('UTC'),
       sensor LowCardinality(String),
       victim IPv6,
       first_ts SimpleAggregateFunction(min, DateTime64(6, 'UTC')),
       last_ts SimpleAggregateFunction(max, DateTime64(6, 'UTC')),
       packets SimpleAggregateFunction(sum, UInt64),
       dsts AggregateFunction(uniqCombined64(14), IPv6),
       ports SimpleAggregateFunction(groupUniqArrayArray(8), Array(UInt32))
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(minute)
     ORDER BY (minute, sensor, victim)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_backscatter_minute_mv TO darknet_backscatter_minute AS
     SELECT toStartOfMinute(ts) AS minute, sensor, src AS victim, min(ts) AS first_ts, max(ts) AS last_ts, count() AS packets,
       uniqCombined64State(14)(dst) AS dsts,
       groupUniqArray(8)(toUInt32(toUInt32(proto) * 65536 + sport)) AS ports
     FROM darknet_ingest WHERE cls = 2 GROUP BY minute, sensor, victim`,
  ],
};
