/**
 * Flow records (issue 17): NetFlow v5/v9, IPFIX, sFlow and flow files, kept to the necessary
 * minimum. `flows_raw` holds each record as exported (counters never scaled: `sampling` is kept
 * beside them and applied at query time) for `keep_days` counted from `stored_at`, the time of
 * ingest (default 7, set per insert from the configuration), so retention follows the law's
 * "necessary minimum" rather than the flows' own clocks. Every read of it is audited (state).
 *
 * Each record is oriented at ingest (flows/store/orient.ts): `client` is the internal side,
 * `server` the external one and `server_port` its port; `dir` says whether the record went
 * client→server (1) or server→client (2) by the internal prefixes, or the same by ports (3, 4)
 * when the prefixes cannot tell (none given, both sides internal, or neither). Unidirectional records of one session meet under the same
 * (server, server_port, proto, client) key, which is the table's order: detection reads one
 * server's clients and one pair's records as ranges.
 *
 * `agg_keep_days` is the retention its rows give the hourly aggregates (flows.aggregateKeepDays).
 *
 * - `flow_server_hour`: per server, port, protocol and hour (of the flows' start): flows, counters
 *   as exported and scaled by their sampling (forward direction; `rev_*` as exported), distinct
 *   clients as a uniqCombined64 state (hashes, never addresses), first and last seen.
 * - `flow_exporter_hour`: per exporter, domain, kind and hour: records and counters, for the
 *   report (`sakimori report flows`) without reading raw flows.
 */
const DEDUP = 'non_replicated_deduplication_window = 100000';

// The aggregates below are filled by views on flows_raw (the inner SELECT renames the counters
// so that the sums' aliases do not shadow them): an insert into it carries its token
// and `deduplicate_blocks_in_dependent_materialized_views`, so a retried batch counts once in
// them too. They hold no client address (only a distinct-count state) and are kept
// `keep_days` (flows.aggregateKeepDays, default 400) from the latest ingest into the row.

export const migration = {
  id: 12,
  name: 'flows',
  sharding: { flows_raw: 'cityHash64(server)', flow_server_hour: 'cityHash64(server)', flow_exporter_hour: 'cityHash64(exporter)' },
  statements: [
    `CREATE TABLE IF NOT EXISTS flows_raw (
       stored_at DateTime('UTC'),
       keep_days UInt16,
       start DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
       end DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
       kind UInt8,
       exporter IPv6,
       domain UInt32,
       src IPv6,
       dst IPv6,
       sport UInt16,
       dport UInt16,
       proto UInt8,
       tcp_flags UInt8,
       octets UInt64,
       packets UInt64,
       rev_octets UInt64,
       rev_packets UInt64,
       sampling UInt32,
       in_if UInt32,
       out_if UInt32,
       src_as UInt32,
       dst_as UInt32,
       client IPv6,
       server IPv6,
       server_port UInt16,
       dir UInt8,
       agg_keep_days UInt16 DEFAULT 400
     ) ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMMDD(stored_at)
     ORDER BY (server, server_port, proto, client, start)
     TTL stored_at + toIntervalDay(keep_days)
     SETTINGS ${DEDUP}, ttl_only_drop_parts = 1`,
    `CREATE TABLE IF NOT EXISTS flow_server_hour (
       hour DateTime('UTC'),
       server IPv6,
       server_port UInt16,
       proto UInt8,
       flows SimpleAggregateFunction(sum, UInt64),
       octets SimpleAggregateFunction(sum, UInt64),
       packets SimpleAggregateFunction(sum, UInt64),
       rev_octets SimpleAggregateFunction(sum, UInt64),
       rev_packets SimpleAggregateFunction(sum, UInt64),
       scaled_octets SimpleAggregateFunction(sum, UInt64),
       scaled_packets SimpleAggregateFunction(sum, UInt64),
       clients AggregateFunction(uniqCombined64(14), IPv6),
       first_seen SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
       last_seen SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
       stored_at SimpleAggregateFunction(max, DateTime('UTC')),
       keep_days SimpleAggregateFunction(max, UInt16)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (server, server_port, proto, hour)
     TTL stored_at + toIntervalDay(keep_days)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS flow_server_hour_mv TO flow_server_hour AS
     SELECT toStartOfHour(toDateTime(start, 'UTC')) AS hour, server, server_port, proto, count() AS flows,
       sum(o) AS octets, sum(p) AS packets, sum(ro) AS rev_octets, sum(rp) AS rev_packets,
       sum(o * sampling) AS scaled_octets, sum(p * sampling) AS scaled_packets,
       uniqCombined64State(14)(client) AS clients, min(start) AS first_seen, max(end) AS last_seen,
       max(at) AS stored_at, max(agg_keep_days) AS keep_days
     FROM (SELECT start, end, server, server_port, proto, client, sampling, agg_keep_days, stored_at AS at,
             octets AS o, packets AS p, rev_octets AS ro, rev_packets AS rp FROM flows_raw)
     GROUP BY hour, server, server_port, proto`,
    `CREATE TABLE IF NOT EXISTS flow_exporter_hour (
       hour DateTime('UTC'),
       exporter IPv6,
       domain UInt32,
       kind UInt8,
       records SimpleAggregateFunction(sum, UInt64),
       octets SimpleAggregateFunction(sum, UInt64),
       packets SimpleAggregateFunction(sum, UInt64),
       rev_octets SimpleAggregateFunction(sum, UInt64),
       rev_packets SimpleAggregateFunction(sum, UInt64),
       scaled_octets SimpleAggregateFunction(sum, UInt64),
       scaled_packets SimpleAggregateFunction(sum, UInt64),
       stored_at SimpleAggregateFunction(max, DateTime('UTC')),
       keep_days SimpleAggregateFunction(max, UInt16)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, exporter, domain, kind)
     TTL stored_at + toIntervalDay(keep_days)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS flow_exporter_hour_mv TO flow_exporter_hour AS
     SELECT toStartOfHour(toDateTime(start, 'UTC')) AS hour, exporter, domain, kind, count() AS records,
       sum(o) AS octets, sum(p) AS packets, sum(ro) AS rev_octets, sum(rp) AS rev_packets,
       sum(o * sampling) AS scaled_octets, sum(p * sampling) AS scaled_packets,
       max(at) AS stored_at, max(agg_keep_days) AS keep_days
     FROM (SELECT start, exporter, domain, kind, sampling, agg_keep_days, stored_at AS at,
             octets AS o, packets AS p, rev_octets AS ro, rev_packets AS rp FROM flows_raw)
     GROUP BY hour, exporter, domain, kind`,
  ],
};
