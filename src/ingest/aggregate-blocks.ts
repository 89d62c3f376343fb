import { DARKNET_HOURLY, DARKNET_HOUR_SETS, DARKNET_SOURCE_DAY, DARKNET_SOURCE_HOUR, DARKNET_SOURCE_PORT_DAY, type AggregateTable } from '../schema/darknet-aggregates.js';
import { sourceKey } from '../store/events/sql-helpers.js';
import { nativeStructure } from './native-block.js';

/**
 * The Native blocks that BatchAggregator writes and the INSERT … SELECT that reads each into its
 * table. A block is not the table: it has no sensor (one per batch, put in as a constant), a
 * sketch or a map travels as its two arrays, the country as FixedString(2) and the hourly sources
 * as a plain array. The table side (columns, their order) comes from schema/darknet-aggregates.ts.
 */
export const SOURCE_DAY_BLOCK = [
  { name: 'day', type: 'Date' },
  { name: 'src', type: 'IPv6' },
  { name: 'first_seen', type: "DateTime64(6, 'UTC')" },
  { name: 'last_seen', type: "DateTime64(6, 'UTC')" },
  { name: 'packets', type: 'UInt64' },
  { name: 'pkts_scan', type: 'UInt64' },
  { name: 'pkts_backscatter', type: 'UInt64' },
  { name: 'pkts_other', type: 'UInt64' },
  { name: 'tag_bits', type: 'Array(UInt8)' },
  { name: 'tag_counts', type: 'Array(UInt64)' },
  { name: 'inapplicable_bits', type: 'Array(UInt8)' },
  { name: 'inapplicable_counts', type: 'Array(UInt64)' },
  { name: 'port_keys', type: 'Array(UInt16)' },
  { name: 'port_ranks', type: 'Array(UInt8)' },
  { name: 'dst_keys', type: 'Array(UInt16)' },
  { name: 'dst_ranks', type: 'Array(UInt8)' },
  { name: 'port_set', type: 'Array(UInt32)' },
  { name: 'dst_set', type: 'Array(UInt32)' },
  { name: 'asn', type: 'UInt32' },
  { name: 'cc', type: 'FixedString(2)' },
] as const;

export const SOURCE_PORT_DAY_BLOCK = [
  { name: 'day', type: 'Date' },
  { name: 'proto', type: 'UInt8' },
  { name: 'port', type: 'UInt16' },
  { name: 'src', type: 'IPv6' },
  { name: 'packets', type: 'UInt64' },
] as const;

export const HOURLY_BLOCK = [
  { name: 'hour', type: "DateTime('UTC')" },
  { name: 'cls', type: 'UInt8' },
  { name: 'family', type: 'UInt8' },
  { name: 'packets', type: 'UInt64' },
  { name: 'srcs', type: 'Array(IPv6)' },
] as const;

/** Written by HourSetAggregator (hour-sets.ts): one row per distinct (source, hour, dimension, key). */
export const HOUR_SETS_BLOCK = [
  { name: 'hour', type: "DateTime('UTC')" },
  { name: 'dim', type: 'UInt8' },
  { name: 'key', type: 'UInt32' },
  { name: 'src', type: 'IPv6' },
  { name: 'packets', type: 'UInt32' },
] as const;

export const SOURCE_HOUR_BLOCK = [
  { name: 'hour', type: "DateTime('UTC')" },
  { name: 'src', type: 'IPv6' },
  { name: 'packets', type: 'UInt32' },
  { name: 'scan', type: 'UInt32' },
  { name: 'backscatter', type: 'UInt32' },
  { name: 'tag_bits', type: 'Array(UInt8)' },
  { name: 'tag_counts', type: 'Array(UInt32)' },
  { name: 'asn', type: 'UInt32' },
  { name: 'cc', type: 'FixedString(2)' },
] as const;

export const SOURCE_DAY_STRUCTURE = nativeStructure(SOURCE_DAY_BLOCK);
export const HOUR_SETS_STRUCTURE = nativeStructure(HOUR_SETS_BLOCK);
export const SOURCE_HOUR_STRUCTURE = nativeStructure(SOURCE_HOUR_BLOCK);
export const SOURCE_PORT_DAY_STRUCTURE = nativeStructure(SOURCE_PORT_DAY_BLOCK);
export const HOURLY_STRUCTURE = nativeStructure(HOURLY_BLOCK);

/** An INSERT … SELECT split in its two halves, so that settings can go between them. */
export interface InsertSelect {
  into: string;
  select: string;
}

/**
 * `INSERT INTO table (its columns) SELECT (one expression per column, in the same order)`: the
 * compiler wants an expression for every column of the table and no other.
 */
function insertSelect<Name extends string>(def: AggregateTable<Name>, expressions: Readonly<Record<NoInfer<Name>, string>>, source: string, groupBy?: string): InsertSelect {
  const names = def.fields.map((f) => f.name);
  return {
    into: `INSERT INTO ${def.table} (${names.join(', ')})`,
    select: `SELECT ${names.map((n) => expressions[n]).join(', ')} FROM ${source}${groupBy ? ` GROUP BY ${groupBy}` : ''}`,
  };
}

/** The statements that read the blocks (`sensor` a quoted literal, `source` the table expression). */
export const aggregateInsertSql = {
  sourceDay: (sensor: string, source: string): InsertSelect =>
    insertSelect(DARKNET_SOURCE_DAY, {
      day: 'day',
      sensor,
      src: 'src',
      first_seen: 'first_seen',
      last_seen: 'last_seen',
      packets: 'packets',
      pkts_scan: 'pkts_scan',
      pkts_backscatter: 'pkts_backscatter',
      pkts_other: 'pkts_other',
      tag_hits: '(tag_bits, tag_counts)',
      tag_inapplicable: '(inapplicable_bits, inapplicable_counts)',
      ports: '(port_keys, port_ranks)',
      dsts: '(dst_keys, dst_ranks)',
      port_set: 'port_set',
      dst_set: 'dst_set',
      exact_sets: '1',
      asn: 'asn',
      // '\0\0' is an unknown country: stored as ''.
      country: "replaceAll(toString(cc), '\\0', '')",
    }, source),
  sourcePortDay: (sensor: string, source: string): InsertSelect =>
    insertSelect(DARKNET_SOURCE_PORT_DAY, { day: 'day', sensor, proto: 'proto', port: 'port', src: 'src', packets: 'packets' }, source),
  hourly: (sensor: string, source: string): InsertSelect =>
    insertSelect(DARKNET_HOURLY, {
      hour: 'hour',
      sensor,
      cls: 'cls',
      family: 'family',
      packets: 'packets',
      sources: "arrayReduce('uniqCombined64State(14)', srcs)",
    }, source),
  // The block's rows of a group come in ascending source order: the bitmap is built by appending.
  hourSets: (sensor: string, source: string): InsertSelect =>
    insertSelect(DARKNET_HOUR_SETS, {
      dim: 'dim',
      hour: 'hour',
      key: 'key',
      sensor,
      packets: 'sum(toUInt64(packets))',
      sources: `groupBitmapState(${sourceKey('src')})`,
    }, source, 'dim, hour, key'),
  sourceHour: (sensor: string, source: string): InsertSelect =>
    insertSelect(DARKNET_SOURCE_HOUR, {
      hour: 'hour',
      sensor,
      src: 'src',
      packets: 'toUInt64(packets)',
      pkts_scan: 'toUInt64(scan)',
      pkts_backscatter: 'toUInt64(backscatter)',
      tag_hits: "(tag_bits, CAST(tag_counts, 'Array(UInt64)'))",
      asn: 'asn',
      country: "replaceAll(toString(cc), '\\0', '')",
    }, source),
};
