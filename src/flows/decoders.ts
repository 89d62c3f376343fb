/**
 * THE PLACE WHERE THE REAL DECODERS ARE WIRED (issue 17, at merge): the collector, `ingest
 * flows` and `serve` get their FlowDecoding only from `makeFlowDecoding` here.
 *
 * To wire: restore the template cache from the snapshot (`TemplateCache.restore(snapshot,
 * clock)`, or a new one when the snapshot is null or unreadable), dispatch each datagram on its
 * version to `netflowDecoders(cache)` (5 → netflow5, 9 → netflow9, 10 → ipfix) or to
 * `decodeSflow` (version 5 in the first 32-bit word), count `unknown-version` otherwise; give
 * the readers by format (pcap, argus, zeek, nfdump-csv); `snapshot: () => cache.snapshot()`
 * (JSON-serialisable: it is stored as jsonb), `expireHeld` and `templateCount` from the cache.
 *
 * Until then every datagram is counted as `unknown-version` and no file format has a reader,
 * so the commands run and say so instead of storing anything wrong.
 */
import { FLOW_SKIP } from './flow-skips.js';
import type { MakeFlowDecoding } from './flow-decoding.js';

export const makeFlowDecoding: MakeFlowDecoding = () => ({
  decode: (_d, _from, _out, skips) => {
    skips.add(FLOW_SKIP['unknown-version']);
    return null;
  },
  readers: {},
  snapshot: () => null,
});
