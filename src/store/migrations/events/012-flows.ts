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
 */
const DEDUP = 'non_replicated_deduplication_window = 100000';

export const migration = {
  id: 12,
  name: 'flows',
  sharding: { flows_raw: 'cityHash64(server)' },
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
       dir UInt8
     ) ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMMDD(stored_at)
     ORDER BY (server, server_port, proto, client, start)
     TTL stored_at + toIntervalDay(keep_days)
     SETTINGS ${DEDUP}, ttl_only_drop_parts = 1`,
  ],
};
