/**
 * What every export-datagram decoder takes and returns (NetFlow v5, v9, IPFIX, sFlow v5), so
 * the UDP collector and the pcap file reader drive them alike. Decoders are pure apart from
 * the template cache they are handed: bytes in, records appended to a FlowBatch, a summary out.
 * They never throw on bad input: they count a skip reason and return what they decoded.
 */
import type { FlowBatch } from './flow-batch.js';
import type { FlowSkipCounters } from './flow-skips.js';

export type ExportProtocol = 'netflow5' | 'netflow9' | 'ipfix' | 'sflow5';

/** Where a datagram came from. Templates are keyed by `exporter` (address) and domain, never by port. */
export interface ExportSource {
  readonly exporter: string;
  readonly port: number;
  /** When the datagram was received (capture time for files), ms since the epoch. */
  readonly receivedAtMs: number;
}

/**
 * One datagram's facts for the exporter statistics. Sequence numbers mean different things per
 * protocol (NetFlow v5: flows before this datagram; v9: datagrams; IPFIX: data records before
 * this message, per domain; sFlow: datagrams per agent and sub-agent): `sequenceUnit` says which,
 * and `sequenceCount` is how far this datagram moves the sequence.
 */
export interface DatagramSummary {
  readonly protocol: ExportProtocol;
  /** Observation domain (IPFIX), source id (v9), engine type<<8|id (v5), sub-agent id (sFlow). */
  readonly domain: number;
  /** For sFlow, the agent address inside the datagram (the exporter); otherwise the source address. */
  readonly agent: string;
  readonly sequence: number | null;
  readonly sequenceUnit: 'records' | 'datagrams';
  readonly sequenceCount: number;
  /** Records appended to the batch. */
  readonly records: number;
  /** Data records held for a template not seen yet (decoded later, not yet in `records`). */
  readonly held: number;
  /** Sampling rates in force in this datagram (distinct). */
  readonly samplingRates: readonly number[];
}

export type DecodeDatagram = (d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters) => DatagramSummary | null;
