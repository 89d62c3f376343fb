import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import { u16be } from '../../sources/record-parser.js';

/** Whether a datagram has a whole export header of `version` (counting why not). */
export function headerFits(d: Uint8Array, headerLength: number, version: number, skips: FlowSkipCounters): boolean {
  if (d.length < headerLength) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    return false;
  }
  if (u16be(d, 0) !== version) {
    skips.add(FLOW_SKIP['unknown-version']);
    return false;
  }
  return true;
}
