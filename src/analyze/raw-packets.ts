/**
 * Whether the raw packets behind a figure are still stored. Raw packets are kept
 * `darknet.retentionDays` after they were stored (app/retention.ts); the aggregates for good.
 * Whatever reads raw packets compares the raw rows it found with the packets the aggregates
 * counted for the same source or hours, and says so when some or all of them are gone.
 */

/** `kept`: raw packets still stored, out of what the aggregates counted: all, some or none. */
export interface RawPacketsKept { status: 'kept' | 'partly-expired' | 'expired'; kept: number }

export function rawPacketsKept(packets: number, kept: number): RawPacketsKept {
  return { status: kept >= packets ? 'kept' : kept === 0 ? 'expired' : 'partly-expired', kept };
}
