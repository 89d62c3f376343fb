/**
 * Per source and day, the packets each fingerprint's test does NOT apply to (another kind of
 * packet, or outside the fingerprint's validity dates), beside `tag_hits`: a tag's share is taken
 * over the packets its test applies to, `packets − tag_inapplicable[bit]` (a Masscan that also
 * scans UDP is judged on its TCP SYNs). Stored as the complement so that rows written before this
 * migration, which have none, count every packet as applicable (the old rule), also when the
 * engine merges them with new rows of the same source and day.
 */
export const migration = {
  id: 8,
  name: 'tag-applicability',
  statements: [
    `ALTER TABLE darknet_source_day ADD COLUMN IF NOT EXISTS
       tag_inapplicable SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64))) AFTER tag_hits`,
  ],
};
