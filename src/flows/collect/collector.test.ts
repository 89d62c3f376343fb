/**
 * The collector end to end over loopback UDP: its mechanics (batches, queue, statistics, faults)
 * with NetFlow v5 datagrams from our encoder and the small test decoder, whose snapshot is easy
 * to inspect; a warm restart with the real decoders and a real exporter's NetFlow v9 datagrams.
 * Each runs twice: receiving and decoding in the worker thread (as `serve` and `collect flows`
 * run it, the decoding named by its module) and in this thread (the decoding as a function).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import type { EventsStore } from '../../store/types.js';
import { CidrSet } from '../../net/cidr-set.js';
import { Netflow5Exporter, type Netflow5Record } from './testing/netflow5-encoder.js';
import { testFlowDecoding } from './testing/netflow5-test-decoder.js';
import { FlowCollector, type CollectorOptions } from './collector.js';
import type { MakeFlowDecoding } from '../flow-decoding.js';
import { FLOW_DECODING_MODULE, type DecodingModule } from './decoding-module.js';
import { FAULTY_TEST_DECODING, faultyTestFlowDecoding, TEST_DECODING } from './testing/test-decodings.js';
import { listExporters } from './exporter-store.js';
import { loadTemplates } from './template-store.js';
import { makeFlowDecoding } from '../decoders.js';
import { udpDatagrams } from '../netflow/testing/pcap-udp.js';
import { sharedData } from '../../../test/fixtures/shared-data.js';


const OPTS: CollectorOptions = { listen: ['127.0.0.1:0'], keepDays: 7, aggregateKeepDays: 400, batchSize: 1000, flushMs: 100, receiveBufferBytes: 4 << 20, saveSeconds: 3600 };
const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

function records(n: number, offset = 0): Netflow5Record[] {
  return Array.from({ length: n }, (_, k) => ({
    src: `10.0.${(k + offset) >> 8 & 255}.${(k + offset) & 255}`, dst: '203.0.113.7', sport: 40000 + (k % 1000), dport: 443, proto: 6,
    packets: 3, octets: 100 + k, startMs: T0 + k, endMs: T0 + k + 500, tcpFlags: 0x1b,
  }));
}

async function send(port: number, datagrams: readonly Uint8Array[]): Promise<void> {
  const tx = createSocket('udp4');
  for (const d of datagrams) await new Promise<void>((r, j) => tx.send(d, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  await new Promise<void>((r) => tx.close(() => r()));
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Mode = 'worker' | 'thread';

/** The decoding as the mode takes it: by module for the worker thread, as a function in this one. */
function decodingFor(mode: Mode, ref: DecodingModule, make: MakeFlowDecoding): { decodingModule: DecodingModule } | { makeDecoding: MakeFlowDecoding } {
  return mode === 'worker' ? { decodingModule: ref } : { makeDecoding: make };
}

describe.each<Mode>(['worker', 'thread'])('FlowCollector, receiving in the %s', (mode) => {
  const test = (snap: unknown): ReturnType<typeof testFlowDecoding> => testFlowDecoding(snap);
  // Each mode its own stores: the tests count what is stored.
  let s: TempStores;
  beforeAll(async () => { s = await tempStores(`collector-${mode}`); });
  afterAll(async () => { await s.dispose(); });

  it('stores NetFlow v5 datagrams sent over loopback UDP, oriented, with aggregates and exporter statistics; templates survive a restart', async () => {
    const decodings: ReturnType<typeof testFlowDecoding>[] = [];
    const makeDecoding = (snapshot: unknown): ReturnType<typeof testFlowDecoding> => {
      const d = testFlowDecoding(snapshot);
      decodings.push(d);
      return d;
    };
    const deps = { events: s.events, state: s.state, ...decodingFor(mode, TEST_DECODING, makeDecoding), internal: new CidrSet(['10.0.0.0/8']) };
    const c = await FlowCollector.start(deps, OPTS);
    const port = c.sockets[0]?.boundPort ?? 0;
    expect(port).toBeGreaterThan(0);
    expect(c.sockets[0]?.receiveBufferBytes).toBeGreaterThan(0);
    const exp = new Netflow5Exporter({ bootMs: T0 - 3_600_000, engineType: 1, engineId: 2, sampling: 10 });
    const first = exp.datagrams(records(90), T0 + 60_000); // 3 datagrams
    exp.datagrams(records(30), T0 + 60_000); // one lost on the way
    const second = exp.datagrams(records(60, 90), T0 + 61_000);
    await send(port, [...first, ...second, new Uint8Array([0, 9, 1])]);
    await until(() => c.counters.datagrams >= 6);
    await c.stop();
    expect(c.counters).toMatchObject({ records: 150, stored: 150, undecodable: 1, dropped: 0 });

    const [raw] = await s.events.query<{ n: number; clients: number; octets: number; dir: number }>(
      "SELECT count() AS n, uniqExact(client) AS clients, sum(octets) AS octets, min(dir) AS dir FROM flows_raw WHERE server = toIPv6('203.0.113.7')",
    );
    expect(raw).toMatchObject({ n: 150, clients: 150, dir: 1 });
    const [agg] = await s.events.query<{ flows: number; scaled: number; clients: number; keep: number }>(
      `SELECT sum(flows) AS flows, sum(scaled_octets) AS scaled, uniqCombined64Merge(14)(clients) AS clients, max(keep_days) AS keep
         FROM flow_server_hour WHERE server = toIPv6('203.0.113.7') AND server_port = 443`,
    );
    expect(agg).toMatchObject({ flows: 150, scaled: (raw?.octets ?? 0) * 10, clients: 150, keep: 400 });

    const [e] = await listExporters(s.state);
    expect(e).toMatchObject({ exporter: '127.0.0.1', domain: 0x102, protocol: 'netflow5', datagrams: 5, records: 150, lost: 30, samplingRates: [10], templates: 1 });

    // Warm restart: the snapshot went to the state store and the next decoding starts from it.
    expect(await loadTemplates(s.state)).toEqual({ seen: ['127.0.0.1/258'] });
    const again = await FlowCollector.start(deps, OPTS);
    await again.stop();
    // Started cold, the second decoding would have saved an empty snapshot at stop.
    expect(await loadTemplates(s.state)).toEqual({ seen: ['127.0.0.1/258'] });
    if (mode === 'thread') expect([...(decodings[1]?.seen ?? [])]).toEqual(['127.0.0.1/258']);
  });

  it('restarts warm with the real decoders: a real exporter\'s NetFlow v9 template sent before a restart decodes the data sent after it', async () => {
    const [template] = udpDatagrams(sharedData('flows/akvorado-nfv9-template.pcap'));
    const [data] = udpDatagrams(sharedData('flows/akvorado-nfv9-data.pcap'));
    if (!template || !data) throw new Error('captures missing');
    const deps = { events: s.events, state: s.state, ...decodingFor(mode, FLOW_DECODING_MODULE, makeFlowDecoding) };
    const first = await FlowCollector.start(deps, OPTS);
    await send(first.sockets[0]?.boundPort ?? 0, [template.payload]);
    await until(() => first.counters.datagrams >= 1);
    await first.stop();
    expect(first.counters.records).toBe(0);
    const second = await FlowCollector.start(deps, OPTS);
    await send(second.sockets[0]?.boundPort ?? 0, [data.payload]);
    await until(() => second.counters.datagrams >= 1);
    await second.stop();
    expect(second.counters).toMatchObject({ records: 4, stored: 4 });
  });

  it('listens on IPv6 too, and several sockets at once', async () => {
    const c = await FlowCollector.start({ events: s.events, state: s.state, ...decodingFor(mode, TEST_DECODING, test) }, { ...OPTS, listen: ['127.0.0.1:0', '[::1]:0'] });
    const v6 = c.sockets[1]?.boundPort ?? 0;
    const tx = createSocket('udp6');
    const exp = new Netflow5Exporter({ bootMs: T0 - 1000 });
    const [d] = exp.datagrams(records(5, 500), T0 + 2000);
    await new Promise<void>((r, j) => tx.send(d ?? new Uint8Array(), v6, '::1', (err) => (err ? j(err) : r())));
    tx.close();
    await until(() => c.counters.records >= 5);
    await c.stop();
    expect(c.counters.stored).toBe(5);
    const rows = await listExporters(s.state);
    expect(rows.some((r) => r.exporter === '::1')).toBe(true);
  });

  it('survives corrupted and truncated datagrams (fixed seed) and a decoder that throws, storing every good record around them in bounded time', async () => {
    let seed = 17;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const exp = new Netflow5Exporter({ bootMs: T0 - 1000, engineId: 9 });
    const good = exp.datagrams(records(300, 2000), T0 + 5000); // 10 datagrams
    const bad: Uint8Array[] = [];
    for (let k = 0; k < 300; k++) {
      const d = Uint8Array.from(good[k % good.length] ?? []);
      const kind = rand(3);
      if (kind === 0) bad.push(d.subarray(0, rand(d.length))); // cut anywhere
      else if (kind === 1) {
        for (let f = 0; f < 1 + rand(8); f++) d[rand(24)] = rand(256); // a broken header
        bad.push(d);
      } else bad.push(Uint8Array.from({ length: rand(1500) }, () => rand(256))); // noise
    }
    const warnings: string[] = [];
    // A decoder bug on one datagram in 50 must cost that datagram only.
    const c = await FlowCollector.start({ events: s.events, state: s.state, ...decodingFor(mode, FAULTY_TEST_DECODING, faultyTestFlowDecoding), warn: (m) => warnings.push(m) }, OPTS);
    const port = c.sockets[0]?.boundPort ?? 0;
    const t0 = Date.now();
    const mixed = bad.flatMap((d, k) => (k % 30 === 0 ? [good[k / 30] ?? new Uint8Array(), d] : [d]));
    await send(port, mixed);
    await until(() => c.counters.datagrams >= mixed.length);
    await c.stop();
    expect(Date.now() - t0).toBeLessThan(10_000);
    const [row] = await s.events.query<{ n: number }>("SELECT count() AS n FROM flows_raw WHERE domain = 9 AND client >= toIPv6('10.0.7.208') AND client <= toIPv6('10.0.8.251')");
    // Every good record is there (corrupted copies that still decode may add more, never fewer).
    expect(Number(row?.n)).toBeGreaterThanOrEqual(300);
    expect(c.counters.undecodable).toBeGreaterThan(0);
    expect(c.counters.stored).toBe(c.counters.records);
    expect(warnings.filter((w) => w.includes('decoder failed')).length).toBeLessThanOrEqual(1);
  });

  it('drops whole batches and counts them (collector-overflow) while the writer is behind, with the queue bounded, and stores the rest', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    // Inserts wait at the gate: the writer is stuck until the test lets it go.
    const e = s.events;
    const slow: EventsStore = {
      kind: e.kind, exec: e.exec.bind(e), query: e.query.bind(e), queryRowBinary: e.queryRowBinary.bind(e), withRowBinary: e.withRowBinary.bind(e), close: e.close.bind(e),
      withBatch: async (...a) => { await gate; return e.withBatch(...a); },
    };
    // Batches of two datagrams, handed over only when full.
    const c = await FlowCollector.start({ events: slow, state: s.state, ...decodingFor(mode, TEST_DECODING, test) }, { ...OPTS, batchSize: 60, maxQueuedBatches: 1, flushMs: 60_000, postMs: 60_000 });
    const port = c.sockets[0]?.boundPort ?? 0;
    const exp = new Netflow5Exporter({ bootMs: T0 - 1000, engineId: 11 });
    const datagrams = exp.datagrams(records(600, 3000), T0 + 9000); // 20 datagrams of 30
    await send(port, datagrams);
    await until(() => c.counters.datagrams >= 20);
    // One batch being written (60), one queued (60): the other 8 batches (16 datagrams) were dropped; every datagram was decoded.
    expect(c.counters).toMatchObject({ records: 600, dropped: 16, droppedRecords: 480, stored: 0 });
    release();
    await c.stop();
    expect(c.counters.stored).toBe(120);
    const [row] = await s.events.query<{ n: number }>('SELECT count() AS n FROM flows_raw WHERE domain = 11');
    expect(Number(row?.n)).toBe(120);
  });
});
