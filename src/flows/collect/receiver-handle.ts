/**
 * The collector's main thread's view of its receiver (flow-receiver.ts), wherever it runs:
 * in a worker thread (`startWorkerReceiver`: the sockets and decoding off the main thread, the
 * default) or in this thread (`startThreadReceiver`: for a decoding given as a function, as
 * tests do). Both hand batches to `onBatch` and take them back with `recycle`.
 */
import type { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { FlowBatch } from '../flow-batch.js';
import type { MakeFlowDecoding } from '../flow-decoding.js';
import type { DecodingModule } from './decoding-module.js';
import { emptyReceiverCounters, FlowReceiver, type BoundSocket, type HandOver, type ReceiverCounters, type ReceiverOptions, type ReceiverState } from './flow-receiver.js';
import { moduleWorker } from './module-worker.js';
import type { FromReceiver, ReceiverWorkerData, ToReceiver } from './receiver-messages.js';

export interface ReceiverHandle {
  readonly sockets: readonly BoundSocket[];
  /** The receiver's counters as last reported (the worker reports with every batch and every `postMs`). */
  counters(): ReceiverCounters;
  /** Milliseconds its thread's event loop has been busy (receiving, decoding, handing over) since it started. */
  busyMs(): number;
  /** Hands the batch so far over; resolves once it has reached `onBatch`. */
  flush(): Promise<void>;
  /** The template cache and the exporter statistics since the last call. */
  state(): Promise<ReceiverState>;
  /** Gives a batch handed over back for reuse (the caller must not touch it afterwards). */
  recycle(batch: FlowBatch): void;
  /** Stops listening and hands the rest over; resolves with the last state to save. */
  stop(): Promise<ReceiverState>;
}

export interface ReceiverEvents {
  readonly onBatch: HandOver;
  readonly warn: (message: string) => void;
  /** The receiver ended without being stopped (its thread died); default: warned. */
  readonly onEnd?: (e: Error) => void;
}

/** Receives and decodes in this thread, ticking every `postMs`. */
export async function startThreadReceiver(make: MakeFlowDecoding, snapshot: unknown, opts: ReceiverOptions, postMs: number, ev: ReceiverEvents): Promise<ReceiverHandle> {
  const r = new FlowReceiver(make(snapshot, Date.now), opts, ev.onBatch, ev.warn);
  await r.bind();
  const since = performance.eventLoopUtilization();
  const timer = setInterval(() => r.tick(), postMs);
  timer.unref();
  return {
    sockets: r.sockets,
    counters: () => r.counters(),
    // This thread's loop also writes: its busy time is the whole collector's.
    busyMs: () => performance.eventLoopUtilization(since).active,
    flush: async () => r.handOverNow(),
    state: async () => r.takeState(),
    recycle: (b) => r.recycle(b),
    stop: async () => {
      clearInterval(timer);
      await r.close();
      r.handOverNow();
      return r.takeState();
    },
  };
}

/** An error from the worker as the one it stands for (a bind's EADDRINUSE keeps its code). */
function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

/** Receives and decodes in a worker thread (receiver-worker.ts) made from `decoding`. */
export async function startWorkerReceiver(
  decoding: DecodingModule, snapshot: unknown, opts: ReceiverOptions, postMs: number, ev: ReceiverEvents, nice?: number,
): Promise<ReceiverHandle> {
  const data: ReceiverWorkerData = { decoding, snapshot, options: opts, postMs, ...(nice !== undefined ? { nice } : {}) };
  const worker: Worker = moduleWorker(new URL('./receiver-worker.js', import.meta.url), { ...data });
  let counters = emptyReceiverCounters();
  let nextId = 0;
  let alive = true;
  let lastBusyMs = 0;
  const waiting = new Map<number, (m: FromReceiver) => void>();
  let onStopped: ((s: ReceiverState) => void) | null = null;
  let onGone: ((e: Error) => void) | null = null;

  const ready = new Promise<BoundSocket[]>((resolve, reject) => {
    onGone = reject;
    worker.on('message', (m: FromReceiver) => {
      switch (m.type) {
        case 'ready':
          resolve(m.sockets);
          break;
        case 'failed':
          reject(failure(m.message, m.code));
          break;
        case 'batch':
          counters = m.counters;
          ev.onBatch(FlowBatch.over(m.buffers, m.length), m.datagrams);
          break;
        case 'counters':
          counters = m.counters;
          break;
        case 'flushed':
          counters = m.counters;
          waiting.get(m.id)?.(m);
          break;
        case 'state':
          waiting.get(m.id)?.(m);
          break;
        case 'stopped':
          counters = m.counters;
          onStopped?.(m.state);
          break;
        case 'warn':
          ev.warn(m.message);
          break;
      }
    });
  });
  const gone = (e: Error): void => {
    if (!alive) return;
    alive = false;
    onGone?.(e);
    for (const w of waiting.values()) w({ type: 'failed', message: e.message });
    waiting.clear();
  };
  worker.on('error', (e) => {
    ev.warn(`flow collector: the receiver thread failed: ${e.message}`);
    gone(e);
  });
  worker.on('exit', (code) => gone(new Error(`the receiver thread exited (${code})`)));

  let sockets: BoundSocket[];
  try {
    sockets = await ready;
  } catch (e) {
    alive = false;
    await worker.terminate();
    throw e;
  }
  onGone = ev.onEnd ?? ((e) => ev.warn(`flow collector: ${e.message}; nothing more is received`));

  const ask = (m: ToReceiver & { id: number }): Promise<FromReceiver> => {
    if (!alive) return Promise.reject(new Error('the receiver thread has ended'));
    return new Promise((resolve, reject) => {
      waiting.set(m.id, (answer) => {
        waiting.delete(m.id);
        if (answer.type === 'failed') reject(new Error(answer.message));
        else resolve(answer);
      });
      worker.postMessage(m);
    });
  };
  return {
    sockets,
    counters: () => counters,
    busyMs: () => (alive ? worker.performance.eventLoopUtilization().active : lastBusyMs),
    flush: async () => {
      if (alive) await ask({ type: 'flush', id: nextId++ });
    },
    state: async () => {
      const m = await ask({ type: 'state', id: nextId++ });
      if (m.type !== 'state') throw new Error(`the receiver thread answered ${m.type}`);
      return m.state;
    },
    recycle: (b) => {
      if (!alive) return;
      const buffers = b.buffers();
      worker.postMessage({ type: 'recycle', buffers } satisfies ToReceiver, buffers);
    },
    stop: async () => {
      if (!alive) throw new Error('the receiver thread has ended');
      const stopped = new Promise<ReceiverState>((resolve, reject) => {
        onStopped = resolve;
        onGone = reject;
      });
      worker.postMessage({ type: 'stop' } satisfies ToReceiver);
      const last = await stopped;
      lastBusyMs = worker.performance.eventLoopUtilization().active;
      alive = false;
      await worker.terminate();
      return last;
    },
  };
}
