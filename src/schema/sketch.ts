/**
 * Distinct counts that may be approximate (a source's ports and darknet addresses) are stored as
 * HyperLogLog sketches with 2^SKETCH_BITS registers: written by ingest/batch-aggregates.ts, read
 * by store/events/sql-helpers.ts `sketchEstimate`. One declaration for both sides.
 */
export const SKETCH_BITS = 12;
