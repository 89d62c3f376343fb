/**
 * What the collector and `ingest flows` are given to turn bytes into records: one export-datagram
 * decoder (NetFlow v5/v9, IPFIX and sFlow behind one dispatcher, holding one template cache), the
 * flow-file readers, and the cache's persistence. Injected, so that the collector, the ingest and
 * their tests do not depend on which decoders exist; `flows/decoders.ts` makes the real one.
 */
import type { DecodeDatagram } from './datagram.js';
import type { FlowFileFormat, FlowFileReader } from './reader.js';
import type { FlowBatch } from './flow-batch.js';
import type { FlowSkipCounters } from './flow-skips.js';

export interface FlowDecoding {
  /** Decodes one datagram of any export protocol (dispatching on its version). */
  readonly decode: DecodeDatagram;
  /** File readers by format; a format missing here is refused with a clear message. */
  readonly readers: Partial<Record<FlowFileFormat, FlowFileReader>>;
  /** The template cache as JSON-serialisable data (stored in the state store for a warm restart). */
  snapshot(): unknown;
  /** Drops data records held too long for a template that never came (called about once a second); any it can decode go into `batch`. */
  expireHeld?(batch: FlowBatch, skips: FlowSkipCounters): void;
  /** Templates known for an exporter and domain (exporter statistics); absent: not reported. */
  templateCount?(exporter: string, domain: number): number;
}

/** Makes a decoding, warm from a snapshot saved earlier (or cold with none); `now` is its clock. */
export type MakeFlowDecoding = (snapshot: unknown, now: () => number) => FlowDecoding;
