import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketBatch, writeMapped4 } from '../decode/packet-batch.js';
import { ChdbEventsStore, quote } from '../store/events/chdb-store.js';
import { EVENTS_MIGRATIONS } from '../store/migrations/events/index.js';
import { renderEngines } from '../store/migrate.js';
import { sketchEstimate } from '../store/events/sql-helpers.js';
import { HOURLY_STRUCTURE, SOURCE_DAY_STRUCTURE, SOURCE_PORT_DAY_STRUCTURE, aggregateInsertSql, type InsertSelect } from './aggregate-blocks.js';
import { BatchAggregator } from './batch-aggregates.js';
import { NATIVE_STRUCTURE, PacketNativeEncoder, nativeSelectList } from './native-packets.js';
import type { SourceEnricher } from './source-enricher.js';
import { SourceSorter } from './sort-by-source.js';

/**
 * The aggregates the ingest computes itself must equal what ClickHouse computes from the raw
 * packets of the same batch: a random batch (IPv4 and IPv6 sources, a batch that crosses
 * midnight, timestamps out of order) goes through both, and the tables are compared.
 */
const ENRICH: SourceEnricher = {
  asn4: (ip) => (ip >>> 24) + 64500,
  country4: (ip) => ((ip >>> 24) % 2 === 0 ? 'JP' : ''),
  asn6: () => 65001,
  country6: () => 'DE',
};

function randomBatch(n: number, seed: number): PacketBatch {
  let x = seed >>> 0;
  const rnd = (m: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % m;
  };
  const b = new PacketBatch(n);
  const midnight = Date.UTC(2026, 10, 21) * 1000;
  for (let k = 0; k < n; k++) {
    const i = b.begin();
    if (rnd(10) === 0) {
      b.family[i] = 6;
      b.src16.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rnd(20)], i * 16);
      b.dst16.set([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, rnd(256), rnd(256)], i * 16);
    } else {
      b.family[i] = 4;
      const src = ((rnd(4) + 1) << 24) | rnd(200);
      b.src4[i] = src >>> 0;
      writeMapped4(b.src16, i * 16, src >>> 0);
      const dst = (0x0a000000 | rnd(4096)) >>> 0;
      b.dst4[i] = dst;
      writeMapped4(b.dst16, i * 16, dst);
    }
    b.proto[i] = [6, 17, 1][rnd(3)] as number;
    b.dport[i] = rnd(40);
    b.cls[i] = rnd(3);
    b.tags[i] = rnd(4) === 0 ? 1 << rnd(3) : 0;
    // In runs, as a source's packets are (a scanner sends one kind for a while), and sometimes not.
    b.tagInapplicable[i] = rnd(3) === 0 ? rnd(8) : k % 7 < 4 ? 0 : 7;
    // Two hours either side of midnight, in no particular order.
    b.tsMicros[i] = midnight + (rnd(4 * 3600) - 2 * 3600) * 1_000_000 + rnd(1_000_000);
    b.commit();
  }
  return b;
}

describe('aggregates computed by the ingest', () => {
  let dir: string;
  let events: ChdbEventsStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-agg-'));
    events = new ChdbEventsStore(join(dir, 'events'));
    for (const m of EVENTS_MIGRATIONS) for (const st of m.statements) await events.exec(renderEngines(st));
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('equal those ClickHouse computes from the raw packets', async () => {
    const n = 20_000;
    const b = randomBatch(n, 7);
    new SourceSorter(n).sort(b);
    const enc = new PacketNativeEncoder(ENRICH, n);
    const block = enc.encode(b);
    // The packets each fingerprint does not apply to are not in the raw table: counted here.
    const inapplicable = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const key = `${Math.floor((b.tsMicros[i] as number) / 86_400_000_000)} ${Buffer.from(b.src16.subarray(i * 16, i * 16 + 16)).toString('hex')}`;
      const c = inapplicable.get(key) ?? [0, 0, 0];
      for (let bit = 0; bit < 3; bit++) if (((b.tagInapplicable[i] as number) >>> bit) & 1) c[bit] = (c[bit] as number) + 1;
      inapplicable.set(key, c);
    }
    const aggs = new BatchAggregator().aggregate(b, enc);
    const run = (q: InsertSelect): Promise<void> => events.exec(`${q.into} ${q.select}`);
    await events.withBatch('Native', NATIVE_STRUCTURE, block.chunks, (src) =>
      events.exec(`INSERT INTO darknet_ingest SELECT ${nativeSelectList("'s1'")} FROM ${src}`));
    await events.withBatch('Native', SOURCE_DAY_STRUCTURE, aggs.sourceDay.chunks, (src) => run(aggregateInsertSql.sourceDay("'s1'", src)));
    await events.withBatch('Native', SOURCE_PORT_DAY_STRUCTURE, aggs.sourcePortDay.chunks, (src) => run(aggregateInsertSql.sourcePortDay("'s1'", src)));
    await events.withBatch('Native', HOURLY_STRUCTURE, aggs.hourly.chunks, (src) => run(aggregateInsertSql.hourly("'s1'", src)));

    const q = <T>(sql: string): Promise<T[]> => events.query<T>(sql);
    const sourceDay = await q<Record<string, unknown>>(
      `SELECT day, src, min(first_seen) AS f, max(last_seen) AS l, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS bs,
              sum(pkts_other) AS o, sumMap(tag_hits) AS th, anyLast(asn) AS a, anyLast(country) AS c
       FROM darknet_source_day GROUP BY day, src ORDER BY day, src`);
    const fromRaw = await q<Record<string, unknown>>(
      `SELECT toDate(ts) AS day, src, min(ts) AS f, max(ts) AS l, count() AS p, countIf(cls = 1) AS s, countIf(cls = 2) AS bs,
              countIf(cls NOT IN (1, 2)) AS o,
              (arrayFilter((bit, k) -> k > 0, [0, 1, 2], [countIf(bitTest(tags, 0)), countIf(bitTest(tags, 1)), countIf(bitTest(tags, 2))])::Array(UInt8),
               arrayFilter(k -> k > 0, [countIf(bitTest(tags, 0)), countIf(bitTest(tags, 1)), countIf(bitTest(tags, 2))])) AS th,
              any(src_asn) AS a, any(src_country) AS c
       FROM darknet_packets GROUP BY day, src ORDER BY day, src`);
    expect(sourceDay.length).toBeGreaterThan(100);
    const stored = await q<{ d: number; s: string; bits: number[]; counts: string[] }>(
      `SELECT toUInt32(day) AS d, hex(src) AS s, sumMap(tag_inapplicable).1 AS bits, sumMap(tag_inapplicable).2 AS counts FROM darknet_source_day GROUP BY day, src`);
    expect(stored.length).toBe(inapplicable.size);
    for (const r of stored) {
      const want = inapplicable.get(`${r.d} ${r.s.toLowerCase()}`);
      const got = [0, 0, 0];
      r.bits.forEach((bit, j) => { got[bit] = Number(r.counts[j]); });
      expect(got, `${r.d} ${r.s}`).toEqual(want);
    }
    expect(sourceDay).toEqual(fromRaw);
    // A source's packets of a batch that cross midnight are two rows.
    expect(new Set(sourceDay.map((r) => r['day'])).size).toBe(2);

    expect(await q(`SELECT day, proto, port, src, sum(packets) AS p FROM darknet_source_port_day GROUP BY ALL ORDER BY ALL`))
      .toEqual(await q(`SELECT toDate(ts) AS day, proto, dport AS port, src, count() AS p FROM darknet_packets GROUP BY ALL ORDER BY ALL`));

    expect(await q(`SELECT hour, cls, family, sum(packets) AS p, uniqCombined64Merge(14)(sources) AS s FROM darknet_hourly GROUP BY ALL ORDER BY ALL`))
      .toEqual(await q(`SELECT toStartOfHour(ts) AS hour, cls, family, count() AS p, uniqCombined64(14)(src) AS s FROM darknet_packets GROUP BY ALL ORDER BY ALL`));

    // Sketches: small sets come out exact, larger ones within a few per cent.
    const sketches = await q<{ np: number; nd: number; xp: number; xd: number }>(
      `SELECT a.np AS np, a.nd AS nd, r.xp AS xp, r.xd AS xd
       FROM (SELECT src, ${sketchEstimate('maxMap(ports)')} AS np, ${sketchEstimate('maxMap(dsts)')} AS nd FROM darknet_source_day GROUP BY src) AS a
       JOIN (SELECT src, uniqExact(proto, dport) AS xp, uniqExact(dst) AS xd FROM darknet_packets GROUP BY src) AS r ON a.src = r.src`);
    for (const r of sketches) {
      expect(Math.abs(r.np - r.xp)).toBeLessThanOrEqual(Math.max(1, 0.05 * r.xp));
      expect(Math.abs(r.nd - r.xd)).toBeLessThanOrEqual(Math.max(1, 0.05 * r.xd));
    }
    expect(sketches.filter((r) => r.np === r.xp).length / sketches.length).toBeGreaterThan(0.9);
  });
});
