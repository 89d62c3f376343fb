import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketBatch, writeMapped4 } from '../decode/packet-batch.js';
import { SOURCE_DAY_STRUCTURE, aggregateInsertSql } from '../ingest/aggregate-blocks.js';
import { BatchAggregator } from '../ingest/batch-aggregates.js';
import { NATIVE_STRUCTURE, PacketNativeEncoder, nativeSelectList } from '../ingest/native-packets.js';
import type { SourceEnricher } from '../ingest/source-enricher.js';
import { SourceSorter } from '../ingest/sort-by-source.js';
import { distinctCount } from '../store/events/sql-helpers.js';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { hostProfile } from './host.js';

/**
 * Distinct ports and darknet addresses shown for a source (issue 14, item 4) against the exact
 * counts of the raw packets: sets up to EXACT_LIMIT exact, larger ones within the documented error
 * of the sketch, and never more than the packets.
 */
const ENRICH: SourceEnricher = { asn4: () => 0, country4: () => '', asn6: () => 0, country6: () => '' };
const DAY = Date.UTC(2026, 11, 5) * 1000;
const DARKNET = 0x0a000000;

interface Source {
  src: number;
  /** proto × port code and darknet address (offset in 10.0.0.0/8) of packet k. */
  packet: (k: number) => { proto: number; port: number; dst: number };
  packets: number;
}

/** Every packet of `sources`, in three batches (so a source-day is several rows to merge). */
function batches(sources: readonly Source[]): PacketBatch[] {
  const all = sources.flatMap((s) => Array.from({ length: s.packets }, (_, k) => ({ src: s.src, k, ...s.packet(k) })));
  const third = Math.ceil(all.length / 3);
  return [0, 1, 2].map((part) => {
    const slice = all.filter((_, j) => j % 3 === part);
    const b = new PacketBatch(Math.max(third, 1));
    for (const p of slice) {
      const i = b.begin();
      b.family[i] = 4;
      b.src4[i] = p.src >>> 0;
      writeMapped4(b.src16, i * 16, p.src >>> 0);
      const dst = (DARKNET | p.dst) >>> 0;
      b.dst4[i] = dst;
      writeMapped4(b.dst16, i * 16, dst);
      b.proto[i] = p.proto;
      b.dport[i] = p.port;
      b.cls[i] = 1;
      b.tsMicros[i] = DAY + p.k * 1000;
      b.commit();
    }
    return b;
  });
}

const ip = (last: number): number => (0x01010100 | last) >>> 0;
const text = (n: number): string => `1.1.1.${n & 255}`;

const SOURCES: Source[] = [
  // 300 packets to 300 ports (one address), 300 packets to 300 addresses (one port).
  { src: ip(1), packets: 300, packet: (k) => ({ proto: 6, port: 1 + k, dst: 1 }) },
  { src: ip(2), packets: 300, packet: (k) => ({ proto: 6, port: 23, dst: 1 + k }) },
  // 1,000 packets, 37 ports and 500 addresses each seen again and again.
  { src: ip(3), packets: 1000, packet: (k) => ({ proto: 17, port: 1000 + (k % 37), dst: k % 500 }) },
  // Exactly EXACT_LIMIT of each: still exact.
  { src: ip(4), packets: 4096, packet: (k) => ({ proto: k % 2 === 0 ? 6 : 17, port: k >> 1, dst: k * 7 }) },
  // Large sets, every packet new: the estimate within the documented error, capped by the packets.
  ...[6000, 9000, 12000, 15657, 20000, 30000].map((n, j) => ({
    src: ip(10 + j), packets: n,
    packet: (k: number) => ({ proto: k % 2 === 0 ? 6 : 17, port: k >> 1, dst: (k * 97 + j) & 0xffffff }),
  })),
];

describe('distinct ports and addresses of a source', () => {
  let stores: TempStores;
  let events: TempStores['events'];
  beforeAll(async () => {
    stores = await tempStores('distinct');
    events = stores.events;
    for (const b of batches(SOURCES)) {
      new SourceSorter(b.length).sort(b);
      const enc = new PacketNativeEncoder(ENRICH, b.length);
      const block = enc.encode(b);
      const aggs = new BatchAggregator().aggregate(b, enc);
      await events.withBatch('Native', NATIVE_STRUCTURE, block.chunks, (src) =>
        events.exec(`INSERT INTO darknet_ingest SELECT ${nativeSelectList("'s1'")} FROM ${src}`));
      await events.withBatch('Native', SOURCE_DAY_STRUCTURE, aggs.sourceDay.chunks, (src) => {
        const q = aggregateInsertSql.sourceDay("'s1'", src);
        return events.exec(`${q.into} ${q.select}`);
      });
    }
  }, 120_000);
  afterAll(() => stores.dispose());

  const truth = (): Promise<{ ip: string; p: number; xp: number; xd: number; np: number; nd: number }[]> =>
    events.query(
      `SELECT IPv6NumToString(a.src) AS ip, a.p AS p, r.xp AS xp, r.xd AS xd, a.np AS np, a.nd AS nd
       FROM (SELECT src, sum(packets) AS p, ${distinctCount('ports', 'p')} AS np, ${distinctCount('dsts', 'p')} AS nd FROM darknet_source_day GROUP BY src) AS a
       JOIN (SELECT src, uniqExact(proto, dport) AS xp, uniqExact(dst) AS xd FROM darknet_packets GROUP BY src) AS r ON a.src = r.src
       ORDER BY a.p, ip`);

  it('are exact up to 4,096 and never more than the packets', async () => {
    const host = await hostProfile(events, text(1), [], () => '');
    expect(host?.packets).toBe(300);
    expect(host?.distinctPorts).toBe(300);
    expect(host?.darknetAddresses).toBe(1);
    const other = await hostProfile(events, text(2), [], () => '');
    expect([other?.distinctPorts, other?.darknetAddresses]).toEqual([1, 300]);

    const rows = await truth();
    expect(rows).toHaveLength(SOURCES.length);
    for (const r of rows) {
      expect(r.np, `${r.ip} ports`).toBeLessThanOrEqual(r.p);
      expect(r.nd, `${r.ip} addresses`).toBeLessThanOrEqual(r.p);
      if (r.xp <= 4096) expect(r.np, `${r.ip} ports`).toBe(r.xp);
      if (r.xd <= 4096) expect(r.nd, `${r.ip} addresses`).toBe(r.xd);
      // Above: 4,096 registers give a standard error of 1.04 / √4096 ≈ 1.6 %; docs/darknet.md says ±5 % (3σ).
      expect(Math.abs(r.np - r.xp), `${r.ip} ports`).toBeLessThanOrEqual(0.05 * r.xp);
      expect(Math.abs(r.nd - r.xd), `${r.ip} addresses`).toBeLessThanOrEqual(0.05 * r.xd);
    }
    expect(rows.filter((r) => r.xp > 4096).length).toBeGreaterThanOrEqual(6);
  });

  it('of rows written before the exact lists (migration 010) come from the sketch, capped', async () => {
    // As a 0.1.0 store has them: no lists, exact_sets 0.
    await events.exec(
      `ALTER TABLE darknet_source_day UPDATE exact_sets = 0, port_set = [], dst_set = [] WHERE src = toIPv6('::ffff:1.1.1.1') SETTINGS mutations_sync = 2`);
    const host = await hostProfile(events, text(1), [], () => '');
    expect(host?.distinctPorts).toBeLessThanOrEqual(300);
    expect(host?.distinctPorts).toBeGreaterThanOrEqual(295);
    expect(host?.darknetAddresses).toBe(1);
  });
});
