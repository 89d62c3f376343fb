/**
 * What the sFlow v5 decoder returns beyond the common datagram summary: the uptime, the
 * sample sequence numbers (lost samples per source, see sample-loss.ts) and the generic
 * interface counters of counter samples, which are shown beside the flows, never stored in a
 * FlowBatch.
 */
import type { DatagramSummary } from '../datagram.js';

/** A data source of an agent (sFlow v5 §5: `source_id`): its type (0 ifIndex, 1 VLAN, 2 entPhysical) and index. */
export interface SflowSource {
  readonly type: number;
  readonly index: number;
}

/** One sample's sequence number: incremented per sample of its kind by its data source. */
export interface SflowSampleSequence extends SflowSource {
  readonly kind: 'flow' | 'counters';
  readonly sequence: number;
}

/** Generic interface counters (counter record enterprise 0, format 1; RFC 2233 names). */
export interface SflowInterfaceCounters {
  readonly agent: string;
  readonly subAgent: number;
  readonly source: SflowSource;
  readonly sequence: number;
  /** When the datagram was received, ms since the epoch. */
  readonly receivedAtMs: number;
  readonly ifIndex: number;
  readonly ifType: number;
  readonly ifSpeed: number;
  /** 0 unknown, 1 full duplex, 2 half duplex, 3 in, 4 out. */
  readonly ifDirection: number;
  /** Bit 0 admin up, bit 1 operationally up. */
  readonly ifStatus: number;
  readonly inOctets: number;
  readonly inUcastPkts: number;
  readonly inMulticastPkts: number;
  readonly inBroadcastPkts: number;
  readonly inDiscards: number;
  readonly inErrors: number;
  readonly inUnknownProtos: number;
  readonly outOctets: number;
  readonly outUcastPkts: number;
  readonly outMulticastPkts: number;
  readonly outBroadcastPkts: number;
  readonly outDiscards: number;
  readonly outErrors: number;
  readonly promiscuousMode: number;
}

export interface SflowDatagramSummary extends DatagramSummary {
  readonly protocol: 'sflow5';
  /** The agent's uptime in ms when it sent the datagram. */
  readonly uptimeMs: number;
  /** Every sample's (source, sequence), flow and counter samples alike, in datagram order. */
  readonly samples: readonly SflowSampleSequence[];
  readonly counters: readonly SflowInterfaceCounters[];
}
