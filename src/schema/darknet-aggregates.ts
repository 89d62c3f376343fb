/**
 * The darknet aggregate tables that the ingest fills itself from blocks it aggregates in one pass
 * over a batch (ingest/batch-aggregates.ts), declared once: column, ClickHouse type as
 * `system.columns` reports it, meaning, in table order. The ingest's INSERT statements come from
 * these lists. Migration 001 created the tables as literal DDL, which never changes;
 * store/schema-registry.test.ts checks that a freshly migrated store has exactly these columns,
 * so the two cannot drift apart. A new column is a new migration and a line here.
 */
import type { FieldDef } from './darknet-packet.js';

export interface AggregateField<Name extends string = string> extends FieldDef {
  readonly name: Name;
}

export interface AggregateTable<Name extends string = string> {
  readonly table: string;
  readonly fields: readonly AggregateField<Name>[];
}

/** Per source per UTC day, kept for good: per-source classes, tags and host pages. */
export const DARKNET_SOURCE_DAY = {
  table: 'darknet_source_day',
  fields: [
    { name: 'day', ch: 'Date', doc: 'UTC day' },
    { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
    { name: 'src', ch: 'IPv6', doc: 'source address' },
    { name: 'first_seen', ch: "SimpleAggregateFunction(min, DateTime64(6, 'UTC'))", doc: 'first packet of the day' },
    { name: 'last_seen', ch: "SimpleAggregateFunction(max, DateTime64(6, 'UTC'))", doc: 'last packet of the day' },
    { name: 'packets', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets' },
    { name: 'pkts_scan', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets of class scan' },
    { name: 'pkts_backscatter', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets of class backscatter' },
    { name: 'pkts_other', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets of any other class' },
    { name: 'tag_hits', ch: 'SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))', doc: 'packets per fingerprint bit' },
    {
      name: 'tag_inapplicable',
      ch: 'SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))',
      doc: "packets per fingerprint bit that the fingerprint's test does not apply to (another kind of packet, outside its validity dates): it applies to packets − these. Rows written before migration 008 have none (the test counted as applying to every packet)",
    },
    { name: 'ports', ch: 'SimpleAggregateFunction(maxMap, Tuple(Array(UInt16), Array(UInt8)))', doc: 'HyperLogLog sketch (register → rank) of the distinct proto × port codes' },
    { name: 'dsts', ch: 'SimpleAggregateFunction(maxMap, Tuple(Array(UInt16), Array(UInt8)))', doc: 'HyperLogLog sketch (register → rank) of the distinct darknet addresses' },
    { name: 'port_set', ch: 'SimpleAggregateFunction(groupUniqArrayArray(4097), Array(UInt32))', doc: 'the distinct proto × port codes while at most EXACT_LIMIT (full: more; see schema/sketch.ts)' },
    { name: 'dst_set', ch: 'SimpleAggregateFunction(groupUniqArrayArray(4097), Array(UInt32))', doc: 'the distinct darknet addresses (IPv4, or a 32-bit hash of IPv6) while at most EXACT_LIMIT' },
    { name: 'exact_sets', ch: 'SimpleAggregateFunction(min, UInt8)', doc: '1 when every row merged into this one has port_set and dst_set (0 on rows written before migration 010)' },
    { name: 'asn', ch: 'SimpleAggregateFunction(anyLast, UInt32)', doc: 'origin AS of the last packet (0 unknown)' },
    { name: 'country', ch: 'SimpleAggregateFunction(anyLast, LowCardinality(String))', doc: 'ISO country of the last packet' },
  ],
} as const satisfies AggregateTable;

/** Per source × UTC day × protocol × destination port, kept for good: exact sources per port. */
export const DARKNET_SOURCE_PORT_DAY = {
  table: 'darknet_source_port_day',
  fields: [
    { name: 'day', ch: 'Date', doc: 'UTC day' },
    { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
    { name: 'proto', ch: 'UInt8', doc: 'IP protocol' },
    { name: 'port', ch: 'UInt16', doc: 'destination port' },
    { name: 'src', ch: 'IPv6', doc: 'source address' },
    { name: 'packets', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets' },
  ],
} as const satisfies AggregateTable;

/** Per hour × class × family: the time series of packets and (approximate) distinct sources. */
export const DARKNET_HOURLY = {
  table: 'darknet_hourly',
  fields: [
    { name: 'hour', ch: "DateTime('UTC')", doc: 'start of the hour' },
    { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
    { name: 'cls', ch: 'UInt8', doc: 'packet class: 0 other, 1 scan, 2 backscatter' },
    { name: 'family', ch: 'UInt8', doc: '4 or 6' },
    { name: 'packets', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets' },
    { name: 'sources', ch: 'AggregateFunction(uniqCombined64(14), IPv6)', doc: 'distinct sources (uniqCombined64 state, ~1 %)' },
  ],
} as const satisfies AggregateTable;

/**
 * Per hour × dimension × key: packets and the exact set of sources (a roaring bitmap of source
 * keys, `sourceKey` in store/events/sql-helpers.ts), so that a window of any whole hours counts
 * its distinct sources by a union of bitmaps (events migration 011, docs/darknet.md "Windows").
 */
export const DARKNET_HOUR_SETS = {
  table: 'darknet_hour_sets',
  fields: [
    { name: 'dim', ch: 'UInt8', doc: 'what `key` is: see HOUR_SET_DIMS' },
    { name: 'hour', ch: "DateTime('UTC')", doc: 'start of the hour' },
    { name: 'key', ch: 'UInt32', doc: 'the value of the dimension (class, proto × port, country, ASN)' },
    { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
    { name: 'packets', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets' },
    { name: 'sources', ch: 'AggregateFunction(groupBitmap, UInt64)', doc: 'the source keys (roaring bitmap, exact)' },
  ],
} as const satisfies AggregateTable;

/** Per source per hour: its packets (all, scan, backscatter, per fingerprint), ASN and country: ranking, tags and an organisation's sources of any window. */
export const DARKNET_SOURCE_HOUR = {
  table: 'darknet_source_hour',
  fields: [
    { name: 'hour', ch: "DateTime('UTC')", doc: 'start of the hour' },
    { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
    { name: 'src', ch: 'IPv6', doc: 'source address' },
    { name: 'packets', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets' },
    { name: 'pkts_scan', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets of class scan' },
    { name: 'pkts_backscatter', ch: 'SimpleAggregateFunction(sum, UInt64)', doc: 'packets of class backscatter' },
    { name: 'tag_hits', ch: 'SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))', doc: 'packets per fingerprint bit' },
    { name: 'asn', ch: 'SimpleAggregateFunction(anyLast, UInt32)', doc: 'origin AS of the last packet (0 unknown)' },
    { name: 'country', ch: 'SimpleAggregateFunction(anyLast, LowCardinality(String))', doc: 'ISO country of the last packet' },
  ],
} as const satisfies AggregateTable;

export const DARKNET_AGGREGATE_TABLES: readonly AggregateTable[] = [DARKNET_SOURCE_DAY, DARKNET_SOURCE_PORT_DAY, DARKNET_HOURLY, DARKNET_HOUR_SETS, DARKNET_SOURCE_HOUR];

/** The dimensions of darknet_hour_sets: `key` is the class, proto × 65536 + port, two ASCII bytes of the country (0 unknown), the ASN. */
export const HOUR_SET_DIMS = { all: 0, cls: 1, port: 2, country: 3, asn: 4 } as const;
