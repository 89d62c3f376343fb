import type { FlowBatch } from '../flow-batch.js';
import type { FlowSkipCounters } from '../flow-skips.js';
import type { SampledHeaderDecoder } from './sampled-header.js';
import type { SflowInterfaceCounters } from './sflow-summary.js';

/** What every sample of one sFlow datagram shares, and where its results go. */
export interface SflowDatagramContext {
  readonly agent: string;
  /** The agent address as 16 bytes (IPv4-mapped for IPv4): the records' exporter. */
  readonly agent16: Uint8Array;
  readonly subAgent: number;
  readonly receivedAtMs: number;
  readonly header: SampledHeaderDecoder;
  readonly out: FlowBatch;
  readonly skips: FlowSkipCounters;
  /** Distinct sampling rates of the records stored. */
  readonly rates: number[];
  readonly counters: SflowInterfaceCounters[];
}
