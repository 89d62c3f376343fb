/**
 * The collector's receiving thread: what it is for (a main thread that stops for 1.5 s — an
 * insert, a GC, a save — loses nothing, where receiving in the main thread loses what the
 * kernel's buffer cannot hold), a thread that dies started again, a bind failure reported from
 * the thread, its own priority, and the worker started from compiled code (dist/) as well as
 * from source (this suite, tsx).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { createSocket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { packageRoot } from '../../util/package-root.js';
import { Netflow5Exporter, type Netflow5Record } from './testing/netflow5-encoder.js';
import { testFlowDecoding } from './testing/netflow5-test-decoder.js';
import { DYING_TEST_DECODING, TEST_DECODING } from './testing/test-decodings.js';
import { loadTemplates } from './template-store.js';
import { FlowCollector, type CollectorOptions } from './collector.js';
import { FROM_SOURCE } from './module-worker.js';

let s: TempStores;
beforeAll(async () => { s = await tempStores('receiver-thread'); });
afterAll(async () => { await s.dispose(); });

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const OPTS: CollectorOptions = { listen: ['127.0.0.1:0'], keepDays: 7, aggregateKeepDays: 400, batchSize: 5000, flushMs: 100, receiveBufferBytes: 256 << 10, saveSeconds: 3600 };

function records(n: number): Netflow5Record[] {
  return Array.from({ length: n }, (_, k) => ({
    src: `10.1.${(k >> 8) & 255}.${k & 255}`, dst: '203.0.113.9', sport: 30000 + (k % 1000), dport: 443, proto: 6, packets: 2, octets: 80 + (k % 900), startMs: T0 + k, endMs: T0 + k + 100, tcpFlags: 0x12,
  }));
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

// A sender in its own thread, so that it keeps sending while the test's thread is blocked.
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const tx = dgram.createSocket('udp4');
parentPort.once('message', () => {
  let k = 0;
  const t = setInterval(() => {
    for (let n = 0; n < workerData.perTick && k < workerData.datagrams.length; n++) tx.send(workerData.datagrams[k++], workerData.port, '127.0.0.1');
    if (k >= workerData.datagrams.length) { clearInterval(t); setTimeout(() => { tx.close(); parentPort.postMessage(k); }, 100); }
  }, 10);
});
parentPort.postMessage('ready');
`;

/** Sends the datagrams (5 every 10 ms) from another thread while this one is blocked for `blockMs`. */
async function sendWhileBlocked(port: number, datagrams: Uint8Array[], blockMs: number): Promise<void> {
  const w = new Worker(SENDER, { eval: true, workerData: { port, datagrams, perTick: 5 } });
  const next = (): Promise<unknown> => new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await next();
  const done = next();
  w.postMessage('go');
  // The main thread stops as an insert or a GC would stop it, only longer.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, blockMs);
  await done;
  await w.terminate();
}

describe('the collector\'s receiving thread', () => {
  it('loses nothing while the main thread is blocked for 1.5 s; receiving in the main thread loses what the socket buffer cannot hold', async () => {
    const datagrams = new Netflow5Exporter({ bootMs: T0 - 1000, engineId: 21 }).datagrams(records(15_000), T0 + 5000); // 500 of 30
    expect(datagrams).toHaveLength(500);
    const worker = await FlowCollector.start({ events: s.events, state: s.state, decodingModule: TEST_DECODING }, OPTS);
    await sendWhileBlocked(worker.sockets[0]?.boundPort ?? 0, datagrams, 1500);
    await until(() => worker.counters.datagrams >= 500, 10_000);
    await worker.stop();
    expect(worker.counters).toMatchObject({ datagrams: 500, records: 15_000, stored: 15_000, dropped: 0 });

    // The same in the main thread: ~700 kB sent while nothing reads a socket that holds about 500 kB.
    const thread = await FlowCollector.start({ events: s.events, state: s.state, makeDecoding: (snap) => testFlowDecoding(snap) }, OPTS);
    await sendWhileBlocked(thread.sockets[0]?.boundPort ?? 0, datagrams, 1500);
    await until(() => thread.counters.datagrams >= 500, 1500);
    await thread.stop();
    expect(thread.counters.datagrams).toBeLessThan(500);
    expect(thread.counters.stored).toBe(thread.counters.records);
  });

  it('starts a receiving thread that died again, on the same port, from the templates saved last, counting on', async () => {
    const warnings: string[] = [];
    const c = await FlowCollector.start({ events: s.events, state: s.state, decodingModule: DYING_TEST_DECODING, warn: (m) => warnings.push(m) }, OPTS);
    const port = c.sockets[0]?.boundPort ?? 0;
    const send = async (d: Uint8Array): Promise<void> => {
      const tx = createSocket('udp4');
      await new Promise<void>((r, j) => tx.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
      tx.close();
    };
    const [a] = new Netflow5Exporter({ bootMs: T0 - 1000, engineId: 31 }).datagrams(records(30), T0 + 9000);
    const [b] = new Netflow5Exporter({ bootMs: T0 - 1000, engineId: 32 }).datagrams(records(30), T0 + 9000);
    await send(a ?? new Uint8Array());
    expect(await until(() => c.counters.records >= 30, 10_000)).toBe(true);
    await c.save();
    await send(Uint8Array.from([1, 2, 3])); // ends the thread
    expect(await until(() => warnings.some((w) => w.includes('starting it again')), 10_000)).toBe(true);
    await c.flush(); // after the new thread is up
    await send(b ?? new Uint8Array());
    expect(await until(() => c.counters.records >= 60, 10_000)).toBe(true);
    await c.stop();
    expect(c.counters).toMatchObject({ records: 60, stored: 60 });
    expect(c.sockets[0]?.boundPort).toBe(port);
    // The new thread started from the snapshot saved before the old one died: it knew engine 31.
    const saved = await loadTemplates(s.state);
    expect(saved).toMatchObject({ seen: expect.arrayContaining(['127.0.0.1/31', '127.0.0.1/32']) });
  });

  it('refuses to start when its address is taken, with the system\'s error', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((r) => taken.bind(0, '127.0.0.1', () => r()));
    const start = FlowCollector.start({ events: s.events, state: s.state, decodingModule: TEST_DECODING }, { ...OPTS, listen: [`127.0.0.1:${taken.address().port}`] });
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    taken.close();
    await expect(FlowCollector.start({ events: s.events, state: s.state, decodingModule: { url: TEST_DECODING.url, name: 'nothing' } }, OPTS)).rejects.toThrow(/no function nothing/);
  });

  it('runs at the nice value asked for, that thread only', async () => {
    const niceOf = async (): Promise<number[]> => {
      const tasks = await readdir('/proc/self/task');
      return Promise.all(tasks.map(async (t) => {
        const stat = await readFile(`/proc/self/task/${t}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      }));
    };
    const before = await niceOf();
    const c = await FlowCollector.start({ events: s.events, state: s.state, decodingModule: TEST_DECODING }, { ...OPTS, receiverNice: 7 });
    const during = await niceOf();
    await c.stop();
    expect(before.filter((n) => n === 7)).toHaveLength(0);
    expect(during.filter((n) => n === 7)).toHaveLength(1);
  });

  it('starts its worker from compiled JavaScript (dist/) as from source', async () => {
    expect(FROM_SOURCE).toBe(true);
    const root = packageRoot();
    await mkdir(join(root, '.tmp'), { recursive: true });
    const out = await mkdtemp(join(root, '.tmp', 'receiver-dist-'));
    try {
      // Only the receiver's modules, compiled as `tsc -p tsconfig.json` compiles them into dist/.
      await promisify(execFile)(process.execPath, [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--outDir', out, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--target', 'es2022', '--types', 'node', '--skipLibCheck', '--strict',
        ...['receiver-handle.ts', 'receiver-worker.ts', 'testing/test-decodings.ts', 'testing/netflow5-encoder.ts'].map((f) => join(root, 'src', 'flows', 'collect', f)),
      ], { timeout: 110_000 });
      const dir = join(out, 'src', 'flows', 'collect');
      const script = join(dir, 'run-receiver.mjs');
      await writeFile(script, `
import { createSocket } from 'node:dgram';
import { startWorkerReceiver } from './receiver-handle.js';
import { FROM_SOURCE } from './module-worker.js';
import { TEST_DECODING } from './testing/test-decodings.js';
import { Netflow5Exporter } from './testing/netflow5-encoder.js';
let got = 0;
const r = await startWorkerReceiver(TEST_DECODING, null, { listen: ['127.0.0.1:0'], receiveBufferBytes: 1 << 20, batchSize: 1000 }, 50, { onBatch: (b) => { got += b.length; r.recycle(b); }, warn: (m) => console.error(m) });
const [d] = new Netflow5Exporter({ bootMs: 1 }).datagrams([{ src: '10.0.0.1', dst: '192.0.2.1', sport: 5000, dport: 80, proto: 6, packets: 1, octets: 60, startMs: 1000, endMs: 2000 }], 5000);
const tx = createSocket('udp4');
await new Promise((ok) => tx.send(d, r.sockets[0].boundPort, '127.0.0.1', ok));
tx.close();
while (got === 0) await new Promise((ok) => setTimeout(ok, 20));
await r.stop();
console.log(JSON.stringify({ fromSource: FROM_SOURCE, decodingIsJs: TEST_DECODING.url.endsWith('.js'), records: got }));
`);
      const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 });
      expect(JSON.parse(stdout)).toEqual({ fromSource: false, decodingIsJs: true, records: 1 });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
