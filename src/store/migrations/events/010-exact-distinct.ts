/**
 * Small distinct counts exact (issue 14, item 4): beside the HyperLogLog sketches `ports` and
 * `dsts`, each source-day row keeps the distinct codes themselves (proto × port; the IPv4 address,
 * or a 32-bit hash of an IPv6 one) while there are at most 4,096 of them. `groupUniqArrayArray(4097)`
 * stops growing at 4,097 elements, so a merged list shorter than that is the whole set and its
 * length the exact count; a full one means "above 4,096" and the reader falls back to the sketch
 * (store/events/sql-helpers.ts `distinctCount`). `exact_sets` is 1 on rows written with the lists
 * and 0 (the default) on older rows, merged with `min`: a source-day that has any older row is
 * read from its sketch as before, capped by its packets.
 */
export const migration = {
  id: 10,
  name: 'exact-distinct',
  statements: [
    `ALTER TABLE darknet_source_day
       ADD COLUMN IF NOT EXISTS port_set SimpleAggregateFunction(groupUniqArrayArray(4097), Array(UInt32)) AFTER dsts,
       ADD COLUMN IF NOT EXISTS dst_set SimpleAggregateFunction(groupUniqArrayArray(4097), Array(UInt32)) AFTER port_set,
       ADD COLUMN IF NOT EXISTS exact_sets SimpleAggregateFunction(min, UInt8) AFTER dst_set`,
  ],
};
