/**
 * The collector's worker thread (started by receiver-handle.ts): it owns the UDP sockets and the
 * decoding (template cache, exporter statistics) and posts batches to the main thread by
 * transferring their column buffers (no copy, no per-flow object). Its event loop does nothing
 * but receive, decode and post, so the kernel's socket buffer only has to cover a decode, not an
 * insert into the events store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setPriority } from 'node:os';
import { messageOf } from '../../errors.js';
import { FlowBatch } from '../flow-batch.js';
import { loadDecoding } from './decoding-module.js';
import { FlowReceiver } from './flow-receiver.js';
import type { FromReceiver, ReceiverWorkerData, ToReceiver } from './receiver-messages.js';

const port = parentPort;
if (!port) throw new Error('receiver-worker runs in a worker thread');
const data: ReceiverWorkerData = workerData;

function post(m: FromReceiver, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(m, transfer);
}

async function main(): Promise<void> {
  let receiver: FlowReceiver;
  try {
    const make = await loadDecoding(data.decoding);
    receiver = new FlowReceiver(make(data.snapshot, Date.now), data.options, (batch, datagrams) => {
      const buffers = batch.buffers();
      post({ type: 'batch', buffers, length: batch.length, datagrams, counters: receiver.counters() }, buffers);
    }, (message) => post({ type: 'warn', message }));
    await receiver.bind();
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    post({ type: 'failed', message: messageOf(e), ...(code ? { code } : {}) });
    port?.close();
    return;
  }
  if (data.nice !== undefined) {
    // On Linux this sets the calling thread's nice value only: the main thread and chDB's keep theirs.
    try {
      setPriority(data.nice);
    } catch (e) {
      post({ type: 'warn', message: `flow collector: the receiving thread keeps its priority (nice ${data.nice} refused: ${messageOf(e)})` });
    }
  }
  let reported = -1;
  const timer = setInterval(() => {
    receiver.tick();
    const c = receiver.counters();
    // Counters between batches, so that a quiet collector still says what it received.
    if (c.datagrams !== reported) post({ type: 'counters', counters: c });
    reported = c.datagrams;
  }, data.postMs);
  port?.on('message', (m: ToReceiver) => {
    switch (m.type) {
      case 'recycle':
        receiver.recycle(FlowBatch.over(m.buffers, 0));
        break;
      case 'flush':
        receiver.handOverNow();
        post({ type: 'flushed', id: m.id, counters: receiver.counters() });
        break;
      case 'state':
        post({ type: 'state', id: m.id, state: receiver.takeState() });
        break;
      case 'stop':
        clearInterval(timer);
        void receiver.close().then(() => {
          receiver.handOverNow();
          post({ type: 'stopped', state: receiver.takeState(), counters: receiver.counters() });
          port?.close();
        });
        break;
    }
  });
  post({ type: 'ready', sockets: receiver.sockets });
}

void main();
