/**
 * Windows of any whole hours counted exactly (issue 14, item 6).
 *
 * - `darknet_hour_sets`: per hour, dimension and key, the packets and the set of sources as a
 *   roaring bitmap of 64-bit source keys (the IPv4 address, or a 63-bit hash of an IPv6 one with
 *   the top bit set). A window's distinct sources, per class, port, country, ASN and fingerprint,
 *   are unions of its hours' bitmaps: exact, and cheap because the ingest sends each group's keys
 *   in ascending order (bitmaps built from sorted keys only append). Ordered by dimension first:
 *   a report reads one dimension over a range of hours.
 * - `darknet_source_hour`: per source and hour its packets (all, scan, backscatter), its packets
 *   that match each fingerprint, its ASN and country: to rank the sources of a window, to count
 *   the matching packets of the sources that carry a tag, and an organisation's own sources (its
 *   report filters them by prefix and ASN, which the bitmaps cannot do for IPv6).
 *
 * - `darknet_tag_hour`: per UTC day, hour and fingerprint bit, the sources carrying the tag that
 *   day (decided from all of their packets of the day) with packets matching it in the hour, and
 *   those packets. Derived when a report first needs a day (analyze/tag-hours.ts), under a version
 *   of the day's data and the fingerprints: a new version replaces the old as parts merge (the
 *   reader asks for its version).
 *
 * The first two are filled by the ingest from blocks it aggregates itself (ingest/hour-sets.ts), each
 * insert with a token derived from the batch's (exactly once). Hours stored before this
 * migration have no rows: reports say so (analyze/darknet-report.ts).
 */
export const migration = {
  id: 11,
  name: 'hour-sets',
  // A re-sent block goes to the shard that holds it already, so its insert token deduplicates it.
  sharding: { darknet_hour_sets: 'cityHash64(dim, hour, key)', darknet_source_hour: 'cityHash64(src)', darknet_tag_hour: 'cityHash64(day)' },
  statements: [
    `CREATE TABLE IF NOT EXISTS darknet_hour_sets (
       dim UInt8,
       hour DateTime('UTC'),
       key UInt32,
       sensor LowCardinality(String),
       packets SimpleAggregateFunction(sum, UInt64),
       sources AggregateFunction(groupBitmap, UInt64)
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (dim, hour, key, sensor)
     SETTINGS non_replicated_deduplication_window = 100000`,
    `CREATE TABLE IF NOT EXISTS darknet_source_hour (
       hour DateTime('UTC'),
       sensor LowCardinality(String),
       src IPv6,
       packets SimpleAggregateFunction(sum, UInt64),
       pkts_scan SimpleAggregateFunction(sum, UInt64),
       pkts_backscatter SimpleAggregateFunction(sum, UInt64),
       tag_hits SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64))),
       asn SimpleAggregateFunction(anyLast, UInt32),
       country SimpleAggregateFunction(anyLast, LowCardinality(String))
     ) ENGINE = {engine:AggregatingMergeTree}
     PARTITION BY toYYYYMM(hour)
     ORDER BY (hour, sensor, src)
     SETTINGS non_replicated_deduplication_window = 100000`,
    `CREATE TABLE IF NOT EXISTS darknet_tag_hour (
       day Date,
       version String,
       hour DateTime('UTC'),
       bit UInt8,
       packets UInt64,
       sources AggregateFunction(groupBitmap, UInt64),
       made_at DateTime64(6, 'UTC') DEFAULT now64(6)
     ) ENGINE = {engine:ReplacingMergeTree(made_at)}
     PARTITION BY toYYYYMM(day)
     ORDER BY (day, bit, hour)
     SETTINGS non_replicated_deduplication_window = 100000`,
  ],
};
