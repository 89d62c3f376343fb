/**
 * The one shape of every flow-file reader (pcap/pcapng of export datagrams, Argus CSV, Zeek
 * conn.log, nfdump CSV), so `ingest flows` drives them alike (docs/flows.md).
 *
 * A reader consumes a stream of (already gunzipped) bytes, fills the batch it is given and calls
 * `onBatch` when the batch is full and once at the end if not empty; the batch is reset after
 * `onBatch` resolves and reused. Bad records are counted by reason in `skips` and the rest is
 * read; a problem that ends the reading (a cut or corrupt file) is returned, never thrown, with
 * everything before it delivered. Errors thrown by `onBatch` pass through untouched.
 */
import type { InputProblem } from '../sources/record-parser.js';
import type { FlowBatch } from './flow-batch.js';
import type { FlowSkipCounters } from './flow-skips.js';
import type { DatagramSummary, DecodeDatagram } from './datagram.js';

export type FlowFileFormat = 'pcap' | 'argus' | 'zeek' | 'nfdump-csv';

export interface FlowReadProgress { readonly bytes: number; readonly records: number }

export interface FlowReadOptions {
  /** The input's name, for messages. */
  readonly name: string;
  readonly batch: FlowBatch;
  readonly skips: FlowSkipCounters;
  readonly onBatch: (batch: FlowBatch, progress: FlowReadProgress) => Promise<void>;
  /**
   * Export datagrams only (pcap): decodes one UDP payload whatever its protocol (the ingest's
   * dispatcher, holding the template cache that the files of one command share, in order).
   */
  readonly decodeDatagram?: DecodeDatagram;
  /** Export datagrams only (pcap): called once per datagram decoded, for exporter statistics. */
  readonly onDatagram?: (summary: DatagramSummary, exporter: string) => void;
  /** Local time zone of text formats whose time stamps carry none (Argus): IANA name, default UTC. */
  readonly timeZone?: string;
  readonly signal?: AbortSignal;
}

export interface FlowReadSummary {
  readonly name: string;
  readonly format: FlowFileFormat;
  /** Lines, capture records or datagrams seen. */
  readonly units: number;
  /** Flow records delivered. */
  readonly records: number;
  readonly bytes: number;
  readonly truncated?: InputProblem;
  readonly corrupt?: InputProblem;
}

export type FlowFileReader = (input: AsyncIterable<Uint8Array>, opts: FlowReadOptions) => Promise<FlowReadSummary>;
