/**
 * A receiver whose thread is started again when it dies (a bug or an out-of-memory in the
 * thread must not end collection for good): from the template snapshot saved last, on the
 * ports it had bound (so an exporter keeps sending to the same port). Counters carry on from
 * where the dead thread left them; its exporter statistics since the last save are lost, as in
 * a killed collector. At most `MAX_RESTARTS` a minute, so that a thread that dies at once is
 * not restarted forever.
 */
import type { FlowBatch } from '../flow-batch.js';
import { messageOf } from '../../errors.js';
import { emptyReceiverCounters, type BoundSocket, type ReceiverCounters, type ReceiverState } from './flow-receiver.js';
import type { ReceiverHandle } from './receiver-handle.js';

const MAX_RESTARTS = 5;

/** Starts a receiver from a snapshot, listening on `listen`; `onEnd` is told when it dies. */
export type StartReceiver = (snapshot: unknown, listen: readonly string[], onEnd: (e: Error) => void) => Promise<ReceiverHandle>;

export function addCounters(a: ReceiverCounters, b: ReceiverCounters): ReceiverCounters {
  const byProtocol = { ...a.byProtocol };
  for (const [p, n] of Object.entries(b.byProtocol) as [keyof ReceiverCounters['byProtocol'], number][]) byProtocol[p] = (byProtocol[p] ?? 0) + n;
  const skips = Array.from({ length: Math.max(a.skips.length, b.skips.length) }, (_, i) => (a.skips[i] ?? 0) + (b.skips[i] ?? 0));
  return {
    datagrams: a.datagrams + b.datagrams, undecodable: a.undecodable + b.undecodable, records: a.records + b.records, decoderErrors: a.decoderErrors + b.decoderErrors,
    byProtocol, skips, decodeSeconds: a.decodeSeconds + b.decodeSeconds, handOverSeconds: a.handOverSeconds + b.handOverSeconds,
  };
}

/** The address a socket was bound to, port included (port 0 becomes the port the system chose). */
function boundAddress(s: BoundSocket): string {
  return `${s.type === 'udp6' ? `[${s.host}]` : s.host}:${s.boundPort}`;
}

export async function restartingReceiver(start: StartReceiver, snapshot: unknown, listen: readonly string[], warn: (m: string) => void): Promise<ReceiverHandle> {
  let lastSnapshot = snapshot;
  let base = emptyReceiverCounters();
  let baseBusyMs = 0;
  let stopping = false;
  const restarts: number[] = [];
  let current: ReceiverHandle;
  let restarting: Promise<void> | null = null;

  const onEnd = (e: Error): void => {
    if (stopping) return;
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] ?? 0) < now - 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      warn(`flow collector: ${e.message}; it died ${MAX_RESTARTS} times within a minute and is not started again: nothing more is received`);
      return;
    }
    restarts.push(now);
    const dead = current;
    base = addCounters(base, dead.counters());
    baseBusyMs += dead.busyMs();
    const addresses = dead.sockets.map(boundAddress);
    warn(`flow collector: ${e.message}; starting it again on ${addresses.join(' ')} from the templates saved last`);
    restarting = start(lastSnapshot, addresses, onEnd).then(
      (h) => { current = h; },
      (err: unknown) => warn(`flow collector: the receiver could not be started again: ${messageOf(err)}; nothing more is received`),
    ).finally(() => { restarting = null; });
  };

  current = await start(snapshot, listen, onEnd);
  const sockets = current.sockets;
  /** Waits for a restart under way, so that a request goes to the thread that runs. */
  const settled = async (): Promise<ReceiverHandle> => {
    if (restarting) await restarting;
    return current;
  };
  return {
    sockets,
    counters: () => addCounters(base, current.counters()),
    busyMs: () => baseBusyMs + current.busyMs(),
    flush: async () => (await settled()).flush(),
    state: async () => {
      const s = await (await settled()).state();
      lastSnapshot = s.snapshot;
      return s;
    },
    recycle: (b: FlowBatch) => current.recycle(b),
    stop: async () => {
      stopping = true;
      return (await settled()).stop();
    },
  };
}
