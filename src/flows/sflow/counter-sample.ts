/**
 * sFlow v5 counter samples (enterprise 0, format 2 compact and 4 expanded): the generic
 * interface counters (counter record format 1) are returned for display; every other counter
 * record (Ethernet, VLAN, processor, other enterprises) is skipped by its length.
 */
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { SflowDatagramContext } from './datagram-context.js';
import type { SflowInterfaceCounters, SflowSource } from './sflow-summary.js';
import { afterOpaque, u32be, u64be } from './xdr.js';

const CTR_GENERIC_INTERFACE = 1;
const GENERIC_INTERFACE_LENGTH = 88;

/** The records of one counter sample, `count` of them from `p` up to `end`. */
export function decodeCounterRecords(
  d: Uint8Array, p: number, end: number, count: number, source: SflowSource, sequence: number, ctx: SflowDatagramContext,
): void {
  let q = p;
  for (let r = 0; r < count; r++) {
    const len = end - q < 8 ? -1 : u32be(d, q + 4);
    if (len < 0 || len > end - q - 8) {
      ctx.skips.add(FLOW_SKIP['sflow-record-truncated']);
      return;
    }
    const format = u32be(d, q);
    const body = q + 8;
    q = afterOpaque(body, len, end);
    if (format !== CTR_GENERIC_INTERFACE) continue; // enterprise 0 format 1 only; the rest by length
    if (len < GENERIC_INTERFACE_LENGTH) {
      ctx.skips.add(FLOW_SKIP['sflow-record-truncated']);
      continue;
    }
    ctx.counters.push(genericInterface(d, body, source, sequence, ctx));
  }
}

function genericInterface(d: Uint8Array, b: number, source: SflowSource, sequence: number, ctx: SflowDatagramContext): SflowInterfaceCounters {
  return {
    agent: ctx.agent,
    subAgent: ctx.subAgent,
    source,
    sequence,
    receivedAtMs: ctx.receivedAtMs,
    ifIndex: u32be(d, b),
    ifType: u32be(d, b + 4),
    ifSpeed: u64be(d, b + 8),
    ifDirection: u32be(d, b + 16),
    ifStatus: u32be(d, b + 20),
    inOctets: u64be(d, b + 24),
    inUcastPkts: u32be(d, b + 32),
    inMulticastPkts: u32be(d, b + 36),
    inBroadcastPkts: u32be(d, b + 40),
    inDiscards: u32be(d, b + 44),
    inErrors: u32be(d, b + 48),
    inUnknownProtos: u32be(d, b + 52),
    outOctets: u64be(d, b + 56),
    outUcastPkts: u32be(d, b + 64),
    outMulticastPkts: u32be(d, b + 68),
    outBroadcastPkts: u32be(d, b + 72),
    outDiscards: u32be(d, b + 76),
    outErrors: u32be(d, b + 80),
    promiscuousMode: u32be(d, b + 84),
  };
}
