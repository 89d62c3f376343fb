/**
 * Distinct counts that may be approximate (a source's ports and darknet addresses) are stored as
 * HyperLogLog sketches with 2^SKETCH_BITS registers: written by ingest/batch-aggregates.ts, read
 * by store/events/sql-helpers.ts `sketchEstimate`. One declaration for both sides.
 */
export const SKETCH_BITS = 12;

/**
 * Up to this many distinct values a source-day keeps the values themselves (columns `port_set`,
 * `dst_set`, migration 010), so small counts are exact; the lists stop at EXACT_LIMIT + 1 (the
 * `groupUniqArrayArray(4097)` of the column type), which reads as "more: use the sketch".
 */
export const EXACT_LIMIT = 4096;
