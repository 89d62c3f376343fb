/** What the collector's main thread and its receiver worker (receiver-worker.ts) tell each other. */
import type { DecodingModule } from './decoding-module.js';
import type { BoundSocket, ReceiverCounters, ReceiverOptions, ReceiverState } from './flow-receiver.js';

export interface ReceiverWorkerData {
  readonly decoding: DecodingModule;
  /** The template cache saved last (warm restart), or null. */
  readonly snapshot: unknown;
  readonly options: ReceiverOptions;
  /** How often the batch so far is handed over (and counters reported), ms. */
  readonly postMs: number;
  /** The nice value the thread asks for (none: unchanged). */
  readonly nice?: number;
}

/** Main thread → worker. */
export type ToReceiver =
  /** A batch's buffers back for reuse (transferred). */
  | { readonly type: 'recycle'; readonly buffers: ArrayBuffer[] }
  /** Hand the batch so far over now, then answer `flushed`. */
  | { readonly type: 'flush'; readonly id: number }
  /** Answer `state` with the template cache and the exporter statistics' deltas. */
  | { readonly type: 'state'; readonly id: number }
  /** Close the sockets, hand the rest over, answer `stopped` and end. */
  | { readonly type: 'stop' };

/** Worker → main thread. */
export type FromReceiver =
  | { readonly type: 'ready'; readonly sockets: BoundSocket[] }
  | { readonly type: 'failed'; readonly message: string; readonly code?: string }
  /** A batch's column buffers (transferred, FlowBatch.buffers order) with its record count and the datagrams in it. */
  | { readonly type: 'batch'; readonly buffers: ArrayBuffer[]; readonly length: number; readonly datagrams: number; readonly counters: ReceiverCounters }
  | { readonly type: 'counters'; readonly counters: ReceiverCounters }
  | { readonly type: 'flushed'; readonly id: number; readonly counters: ReceiverCounters }
  | { readonly type: 'state'; readonly id: number; readonly state: ReceiverState }
  | { readonly type: 'stopped'; readonly state: ReceiverState; readonly counters: ReceiverCounters }
  | { readonly type: 'warn'; readonly message: string };
