/**
 * Darknet telescope tables. Packets enter through `darknet_ingest` (a Null table) once per batch;
 * materialized views fan each block out to the raw table and the aggregates, so ClickHouse parses
 * the batch once. Every target deduplicates by the batch's insert token, which is what makes a
 * re-run after a crash or a repeated ingest count nothing twice.
 */
import { packetColumnsDdl } from '../../../schema/darknet-packet.js';

const DEDUP = 'non_replicated_deduplication_window = 100000';

/** Fingerprint bits counted per source (see analyze/fingerprints): one countIf per bit. */
export const TAG_BITS = 16;
const HITS = Array.from({ length: TAG_BITS }, (_, b) => `countIf(bitTest(tags, ${b}))`).join(', ');

const PACKET_COLUMNS = `
${packetColumnsDdl()}`;

export const migration = {
  id: 1,
  name: 'darknet',
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
       ports AggregateFunction(uniqCombined64(14), UInt32),
       dsts AggregateFunction(uniqCombined64(14), IPv6),
       asn SimpleAggregateFunction(anyLast, UInt32),
       country SimpleAggregateFunction(anyLast, LowCardinality(String)),
       INDEX src_bloom src TYPE bloom_filter GRANULARITY 2
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(day)
     ORDER BY (day, sensor, src)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_source_day_mv TO darknet_source_day AS
     WITH [${HITS}] AS hits
     SELECT toDate(ts) AS day, sensor, src,
       min(ts) AS first_seen, max(ts) AS last_seen, count() AS packets,
       countIf(cls = 1) AS pkts_scan, countIf(cls = 2) AS pkts_backscatter, countIf(cls = 0 OR cls > 2) AS pkts_other,
       (arrayFilter((b, n) -> n > 0, range(${TAG_BITS}), hits)::Array(UInt8), arrayFilter(n -> n > 0, hits)) AS tag_hits,
       uniqCombined64State(14)(toUInt32(toUInt32(proto) * 65536 + dport)) AS ports,
       uniqCombined64State(14)(dst) AS dsts,
       anyLast(src_asn) AS asn, anyLast(src_country) AS country
     FROM darknet_ingest
     GROUP BY day, sensor, src`,

    // Per hour × protocol × destination port × class: top ports, IoT share, surges. Distinct
    // sources are exact: reports compare them across days and with other telescopes.
    `CREATE TABLE IF NOT EXISTS darknet_port_hour (
       hour DateTime('UTC'),
       sensor LowCardinality(String),
       proto UInt8,
       port UInt16,
       cls UInt8,
       packets SimpleAggregateFunction(sum, UInt64),
       sources AggregateFunction(uniqExact, IPv6)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, sensor, proto, port, cls)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_port_hour_mv TO darknet_port_hour AS
     SELECT toStartOfHour(ts) AS hour, sensor, proto, dport AS port, cls,
       count() AS packets, uniqExactState(src) AS sources
     FROM darknet_ingest GROUP BY hour, sensor, proto, port, cls`,

    // Per hour × class: the time series of packets and distinct sources.
    `CREATE TABLE IF NOT EXISTS darknet_hourly (
       hour DateTime('UTC'),
       sensor LowCardinality(String),
       cls UInt8,
       family UInt8,
       packets SimpleAggregateFunction(sum, UInt64),
       sources AggregateFunction(uniqExact, IPv6)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, sensor, cls, family)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS darknet_hourly_mv TO darknet_hourly AS
     SELECT toStartOfHour(ts) AS hour, sensor, cls, family,
       count() AS packets, uniqExactState(src) AS sources
     FROM darknet_ingest GROUP BY hour, sensor, cls, family`,

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
