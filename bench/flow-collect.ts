/**
 * The flow collector end to end over loopback UDP: a sender process paces real-format NetFlow v5
 * datagrams (30 records each, src/flows/collect/testing/netflow5-encoder.ts) at a rate, the
 * collector (in this process, over embedded stores in bench/out/) decodes them with the test v5
 * decoder and stores them in flows_raw and its hourly aggregates. Receiving and decoding run in
 * the collector's worker thread as in `serve` (`--receive thread`: in the main thread, as before
 * the worker, for comparison). One JSON line per phase:
 *
 * - a step per rate: flows sent, received, stored, lost, stored flows/s; the same rate into a
 *   bare UDP socket that only counts (the peer: what Node and the kernel receive on loopback with
 *   nothing done) — the collector's loss beyond the peer's is its own;
 * - the summary: the highest rate stored without loss and the most flows/s stored (target
 *   ≥ 200,000), and loss while 100,000 flows/s are held for 60 s (target zero);
 * - the stage costs: CPU per flow to decode, and to insert at several insert sizes.
 *
 *   npx tsx bench/flow-collect.ts [--rates 50000,100000,200000,400000] [--step-seconds 10]
 *                                 [--hold-rate 100000] [--hold-seconds 60] [--batch-size 100000]
 *                                 [--receive worker|thread] [--receiver-nice N] [--stage-costs 25000,100000,400000|none]
 *   (`--rates none --hold-seconds 0`: the stage costs alone)
 *   (or build first and run node dist/bench/flow-collect.js)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { packageRoot } from '../src/util/package-root.js';
import { openStores } from '../src/store/open-stores.js';
import { FlowCollector } from '../src/flows/collect/collector.js';
import { testFlowDecoding } from '../src/flows/collect/testing/netflow5-test-decoder.js';
import { FlowBatch } from '../src/flows/flow-batch.js';
import { FlowSkipCounters } from '../src/flows/flow-skips.js';
import { writeFlows } from '../src/flows/store/write-flows.js';
import type { EventsStore } from '../src/store/types.js';
import { TEST_DECODING } from '../src/flows/collect/testing/test-decodings.js';
import { NETFLOW5_MAX_RECORDS, type Netflow5Header, type Netflow5Record, writeNetflow5Header, writeNetflow5Record, NETFLOW5_HEADER, NETFLOW5_RECORD } from '../src/flows/collect/testing/netflow5-encoder.js';
import { argValue, emit } from './lib.js';

const RING = 8192;

/** Distinct datagrams (clients, servers, ports vary); the sender patches the sequence in before sending. */
function datagramRing(): { buf: Uint8Array; view: DataView }[] {
  const bootMs = Date.now() - 86_400_000;
  const size = NETFLOW5_HEADER + NETFLOW5_MAX_RECORDS * NETFLOW5_RECORD;
  return Array.from({ length: RING }, (_, k) => {
    const buf = new Uint8Array(size);
    const view = new DataView(buf.buffer);
    const now = Date.now();
    const h: Netflow5Header = { exportMs: now, uptimeMs: now - bootMs, sequence: 0, engineType: 1, engineId: 1, sampling: 100 };
    writeNetflow5Header(view, h, NETFLOW5_MAX_RECORDS);
    for (let r = 0; r < NETFLOW5_MAX_RECORDS; r++) {
      const n = k * NETFLOW5_MAX_RECORDS + r;
      const rec: Netflow5Record = {
        src: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, dst: `198.51.${(n >> 8) & 7}.${(n * 7) & 255}`, sport: 1024 + (n % 60000), dport: [443, 80, 53, 22, 8080][n % 5] ?? 443,
        proto: n % 5 === 2 ? 17 : 6, packets: 1 + (n % 17), octets: 60 + (n % 1400), startMs: now - 5000, endMs: now - 10, tcpFlags: 0x1b,
      };
      writeNetflow5Record(view, r, h, rec);
    }
    return { buf, view };
  });
}

/** The sender (a child process): `rate` flows/s for `seconds` to 127.0.0.1:port; answers with the flows sent. */
async function sender(port: number, rate: number, seconds: number): Promise<number> {
  const tx = createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });
  const ring = datagramRing();
  const started = performance.now();
  let datagrams = 0;
  let seq = 0;
  const total = Math.round((rate * seconds) / NETFLOW5_MAX_RECORDS);
  while (datagrams < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * (rate / NETFLOW5_MAX_RECORDS)));
    while (datagrams < due) {
      const d = ring[datagrams % RING];
      if (!d) break;
      d.view.setUint32(16, seq >>> 0);
      seq += NETFLOW5_MAX_RECORDS;
      tx.send(d.buf, port, '127.0.0.1');
      datagrams++;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 200));
  tx.close();
  return datagrams * NETFLOW5_MAX_RECORDS;
}

function runSender(port: number, rate: number, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sender', String(port), String(rate), String(seconds)], { execArgv: process.execArgv });
    child.on('message', (m) => resolve(Number(m)));
    child.on('error', reject);
    child.on('exit', (code) => { if (code) reject(new Error(`sender exited with ${code}`)); });
  });
}

/**
 * What a flow costs per stage apart from the pipeline, in CPU of this process (chDB's threads
 * included): decoding the sender's datagrams with the test decoder into a reused batch, and
 * inserting batches of each size (the writer merges small batches because of this).
 */
async function stageCosts(events: EventsStore, sizes: readonly number[]): Promise<void> {
  const ring = datagramRing();
  const largest = Math.max(...sizes);
  const batch = new FlowBatch(largest);
  const skips = new FlowSkipCounters();
  const decoding = testFlowDecoding(null);
  const from = { exporter: '127.0.0.1', port: 2055, receivedAtMs: Date.now() };
  let decodeMicros = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    batch.reset();
    const cpu = process.cpuUsage();
    for (let k = 0; batch.length + NETFLOW5_MAX_RECORDS <= largest; k++) decoding.decode((ring[k % RING] as { buf: Uint8Array }).buf, from, batch, skips);
    const used = process.cpuUsage(cpu);
    decodeMicros = Math.min(decodeMicros, (used.user + used.system) / batch.length);
  }
  const full = batch.length;
  const inserts: { size: number; inserts: number; cpuMicrosPerFlow: number; wallMicrosPerFlow: number }[] = [];
  for (const size of sizes) {
    const times = Math.max(1, Math.round(largest / size));
    batch.length = Math.min(size, full);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < times; k++) await writeFlows(events, batch, { token: `stage-costs:${size}:${k}`, storedAtMs: Date.now() });
    const used = process.cpuUsage(cpu);
    const flows = times * batch.length;
    inserts.push({ size: batch.length, inserts: times, cpuMicrosPerFlow: Number(((used.user + used.system) / flows).toFixed(2)), wallMicrosPerFlow: Number((((performance.now() - t0) * 1000) / flows).toFixed(2)) });
  }
  emit({ bench: 'flow-collect', phase: 'stage-costs', decodeCpuMicrosPerFlow: Number(decodeMicros.toFixed(3)), inserts, loadAverage: Number((loadavg()[0] ?? 0).toFixed(1)) });
}

/** Waits until nothing more arrives for 500 ms. */
async function settled(count: () => number): Promise<void> {
  let last = -1;
  while (count() !== last) {
    last = count();
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The peer: a bare socket with the same receive buffer that only counts datagrams. */
async function bareSocket(rate: number, seconds: number, receiveBufferBytes: number): Promise<{ sent: number; received: number }> {
  const rx = createSocket({ type: 'udp4', recvBufferSize: receiveBufferBytes });
  let received = 0;
  rx.on('message', () => { received += NETFLOW5_MAX_RECORDS; });
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
  const sent = await runSender(rx.address().port, rate, seconds);
  await settled(() => received);
  rx.close();
  return { sent, received };
}

async function main(): Promise<void> {
  const rates = argValue('rates', '50000,100000,200000,400000').split(',').filter((r) => r !== 'none').map(Number);
  const costSizes = argValue('stage-costs', '25000,100000,400000').split(',').filter((r) => r !== 'none').map(Number);
  const stepSeconds = Number(argValue('step-seconds', '10'));
  const holdRate = Number(argValue('hold-rate', '100000'));
  const holdSeconds = Number(argValue('hold-seconds', '60'));
  const batchSize = Number(argValue('batch-size', '100000'));
  const receive = argValue('receive', 'worker');
  if (receive !== 'worker' && receive !== 'thread') throw new Error(`--receive worker|thread, not ${receive}`);
  const nice = argValue('receiver-nice', '');
  const receiverNice = nice === '' ? undefined : Number(nice);
  const receiveBufferBytes = 32 << 20;
  const out = join(packageRoot(), 'bench', 'out');
  await mkdir(out, { recursive: true });
  const dir = await mkdtemp(join(out, 'flow-collect-'));
  const stores = await openStores({ dataDir: dir });
  try {
    const collector = await FlowCollector.start(
      {
        events: stores.events, state: stores.state, warn: (m) => process.stderr.write(`${m}\n`),
        ...(receive === 'worker' ? { decodingModule: TEST_DECODING } : { makeDecoding: (s: unknown) => testFlowDecoding(s) }),
      },
      { listen: ['127.0.0.1:0'], keepDays: 7, aggregateKeepDays: 400, batchSize, flushMs: 1000, receiveBufferBytes, saveSeconds: 10, ...(receiverNice !== undefined ? { receiverNice } : {}) },
    );
    const port = collector.sockets[0]?.boundPort ?? 0;
    const granted = collector.sockets[0]?.receiveBufferBytes ?? 0;
    const phase = async (name: string, rate: number, seconds: number): Promise<{ sent: number; stored: number; lost: number; storedPerSecond: number }> => {
      const before = { ...collector.counters };
      // A datagram waits in the socket's buffer while the event loop is busy: the longest wait says how much buffer a rate needs.
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const t0 = performance.now();
      const sent = await runSender(port, rate, seconds);
      const sentAt = performance.now();
      await settled(() => collector.counters.datagrams);
      await collector.flush();
      // From the first datagram until all is stored, less the quiet half second that told us so.
      const secs = (performance.now() - t0) / 1000 - 0.5;
      const c = collector.counters;
      const received = c.records - before.records;
      const stored = c.stored - before.stored;
      const writeSeconds = c.writeSeconds - before.writeSeconds;
      // Where the time went, per stage, in seconds of the phase (the receiver's thread: all of it busy is the limit).
      const stages = {
        receiverBusySeconds: Number((c.receiverBusySeconds - before.receiverBusySeconds).toFixed(2)),
        decodeSeconds: Number((c.decodeSeconds - before.decodeSeconds).toFixed(2)),
        handOverSeconds: Number((c.handOverSeconds - before.handOverSeconds).toFixed(3)),
        writeSeconds: Number(writeSeconds.toFixed(2)),
      };
      const r = { sent, stored, lost: sent - stored, storedPerSecond: Math.round(stored / secs) };
      emit({
        bench: 'flow-collect', phase: name, receive, receiverNice: receiverNice ?? null, rate, seconds, received, dropped: c.dropped - before.dropped, overflowRecords: c.droppedRecords - before.droppedRecords, ...r,
        lossRatio: sent > 0 ? (sent - stored) / sent : 0, stages,
        drainSeconds: Number(((performance.now() - sentAt) / 1000 - 0.5).toFixed(2)), writerFlowsPerSecond: Math.round(stored / writeSeconds), receiveBufferBytes: granted,
        maxEventLoopDelayMs: Math.round(lag.max / 1e6), loadAverage: Number((loadavg()[0] ?? 0).toFixed(1)),
      });
      lag.disable();
      return r;
    };
    let highestLossless = 0;
    let maxStored = 0;
    for (const rate of rates) {
      const peer = await bareSocket(rate, stepSeconds, receiveBufferBytes);
      emit({ bench: 'flow-collect', phase: 'peer-bare-socket', rate, seconds: stepSeconds, sent: peer.sent, received: peer.received, lost: peer.sent - peer.received });
      const r = await phase('step', rate, stepSeconds);
      if (r.lost === 0) highestLossless = Math.max(highestLossless, rate);
      maxStored = Math.max(maxStored, r.storedPerSecond);
    }
    const hold = holdSeconds > 0 ? await phase('hold', holdRate, holdSeconds) : { sent: 0, stored: 0, lost: 0 };
    await collector.stop();
    const [check] = await stores.events.query<{ n: number }>('SELECT count() AS n FROM flows_raw');
    emit({
      bench: 'flow-collect', phase: 'summary', receive, highestLosslessRate: highestLossless, maxStoredPerSecond: maxStored, target: 200_000,
      hold: { rate: holdRate, seconds: holdSeconds, sent: hold.sent, stored: hold.stored, lost: hold.lost }, storedInTable: Number(check?.n ?? 0), storedByCollector: collector.counters.stored,
    });
    // After the summary's count: these inserts are not the collector's.
    if (costSizes.length > 0) await stageCosts(stores.events, costSizes);
  } finally {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--sender') {
  const [port, rate, seconds] = process.argv.slice(3).map(Number);
  void sender(port ?? 0, rate ?? 0, seconds ?? 0).then((n) => {
    process.send?.(n);
    process.exit(0);
  });
} else {
  await main();
}
