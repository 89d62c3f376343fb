/**
 * Loopback listeners that record when each connection was accepted, for tests that bound when a
 * survey may still connect. They run in a worker thread: the survey, PGlite and chDB share the
 * test's main thread, and a busy main thread would otherwise make an early connection look late.
 */
import { Worker } from 'node:worker_threads';

export interface Accept {
  /** Epoch milliseconds when the listener accepted the connection. */
  readonly at: number;
  readonly port: number;
}

export interface AcceptRecorder {
  readonly ip: string;
  readonly ports: readonly number[];
  accepts(): Promise<Accept[]>;
  close(): Promise<void>;
}

// Plain CommonJS: an eval'd worker does not go through the TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const accepts = [];
const servers = [];
const listen = () => new Promise((resolve, reject) => {
  const s = net.createServer((c) => {
    accepts.push({ at: Date.now(), port: s.address().port });
    c.on('error', () => undefined);
    c.end(workerData.greeting);
  });
  s.once('error', reject);
  s.listen(0, workerData.ip, () => { servers.push(s); resolve(s.address().port); });
});
(async () => {
  const ports = [];
  for (let i = 0; i < workerData.count; i++) ports.push(await listen());
  parentPort.postMessage({ kind: 'ready', ports });
})().catch((e) => parentPort.postMessage({ kind: 'failed', error: String(e) }));
parentPort.on('message', (m) => {
  if (m === 'accepts') parentPort.postMessage({ kind: 'accepts', accepts: accepts.slice() });
  if (m === 'close') {
    let left = servers.length;
    const done = () => { parentPort.postMessage({ kind: 'closed' }); parentPort.close(); };
    if (left === 0) done();
    for (const s of servers) s.close(() => { if (--left === 0) done(); });
  }
});
`;

type Reply = { kind: 'ready'; ports: number[] } | { kind: 'failed'; error: string } | { kind: 'accepts'; accepts: Accept[] } | { kind: 'closed' };

/** `count` listeners on `ip` (a loopback address), each answering `greeting` and closing. */
export async function startAcceptRecorder(ip: string, count: number, greeting: string): Promise<AcceptRecorder> {
  if (!ip.startsWith('127.')) throw new Error(`tests listen on loopback only, not ${ip}`);
  const w = new Worker(WORKER, { eval: true, workerData: { ip, count, greeting } });
  const next = (kind: Reply['kind']): Promise<Reply> => new Promise((resolve, reject) => {
    const onMessage = (m: Reply): void => {
      if (m.kind !== kind && m.kind !== 'failed') return;
      w.off('message', onMessage);
      w.off('error', reject);
      if (m.kind === 'failed') reject(new Error(m.error));
      else resolve(m);
    };
    w.on('message', onMessage);
    w.once('error', reject);
  });
  const ready = await next('ready');
  if (ready.kind !== 'ready') throw new Error('accept recorder did not start');
  return {
    ip,
    ports: ready.ports,
    async accepts() {
      const r = next('accepts');
      w.postMessage('accepts');
      const m = await r;
      return m.kind === 'accepts' ? m.accepts : [];
    },
    async close() {
      const r = next('closed');
      w.postMessage('close');
      await r;
      await w.terminate();
    },
  };
}
