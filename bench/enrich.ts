/**
 * Enrichment lookup benchmark: a 500,000-range IPv4 table of random non-overlapping ranges
 * (with gaps), 20 million lookups of random addresses, printed as JSON lines beside a naive
 * peer on the same addresses: a generic binary search over an array of {start, end, asn}
 * objects, which is what one writes first. Target (issue 2): ≥ 5 million lookups/s.
 *
 * A second pair of lines times importing the same table as an ip-location-db style CSV file
 * (parse, flatten, write) and loading it back.
 *
 *   node dist/bench/enrich.js [--ranges 500000] [--lookups 20000000] [--seed 1]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importEnrichment } from '../src/enrich/import-enrichment.js';
import { formatIPv4 } from '../src/net/ip.js';
import { loadEnricher } from '../src/enrich/load-enricher.js';
import { createEnricher, type IpEnricher } from '../src/enrich/enricher.js';
import type { LayerTables } from '../src/enrich/layer-tables.js';
import { randomU32, seededRandom } from '../src/util/seeded-random.js';

export interface EnrichBenchOptions {
  ranges: number;
  lookups: number;
  seed: number;
}

interface RangeObject {
  start: number;
  end: number;
  asn: number;
}

export function randomTable(ranges: number, seed: number): LayerTables {
  const rand = seededRandom(seed);
  // 2×ranges distinct random boundaries, sorted, paired up: [b0,b1], [b2,b3], … leaves gaps between.
  const seen = new Set<number>();
  while (seen.size < ranges * 2) seen.add(randomU32(rand));
  const bounds = Uint32Array.from(seen).sort();
  const starts = new Uint32Array(ranges);
  const ends = new Uint32Array(ranges);
  const values = new Uint32Array(ranges);
  for (let i = 0; i < ranges; i++) {
    starts[i] = bounds[2 * i];
    ends[i] = bounds[2 * i + 1];
    values[i] = 1 + Math.floor(rand() * 400_000);
  }
  const none = new Uint32Array(0);
  return { kind: 'asn', v4: { starts, ends, values }, v6: { starts: none, ends: none, values: none }, strings: [''], orgAsns: none, orgNames: none };
}

function naiveFind(table: readonly RangeObject[], ip: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = table[mid];
    if (ip < r.start) hi = mid - 1;
    else if (ip > r.end) lo = mid + 1;
    else return r.asn;
  }
  return 0;
}

function timeIt(run: () => number): { seconds: number; checksum: number } {
  const t0 = process.hrtime.bigint();
  const checksum = run();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, checksum };
}

export function runEnrichBench(opts: EnrichBenchOptions): Record<string, unknown>[] {
  const table = randomTable(opts.ranges, opts.seed);
  const enricher: IpEnricher = createEnricher({ asn: table });
  const objects: RangeObject[] = Array.from(table.v4.starts, (start, i) => ({ start, end: table.v4.ends[i], asn: table.v4.values[i] }));
  const rand = seededRandom(opts.seed + 1);
  const addrs = new Uint32Array(opts.lookups);
  for (let i = 0; i < addrs.length; i++) addrs[i] = randomU32(rand);
  const mapped = new Uint8Array(16 * 1_000_000);
  for (let i = 0; i < 1_000_000; i++) {
    const a = addrs[i];
    mapped.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255], i * 16);
  }

  const ours = (): number => {
    let sum = 0;
    for (let i = 0; i < addrs.length; i++) sum = (sum + enricher.asn4(addrs[i])) | 0;
    return sum;
  };
  const peer = (): number => {
    let sum = 0;
    for (let i = 0; i < addrs.length; i++) sum = (sum + naiveFind(objects, addrs[i])) | 0;
    return sum;
  };
  const ours6 = (): number => {
    let sum = 0;
    for (let r = 0; r < 5; r++) for (let i = 0; i < 1_000_000; i++) sum = (sum + enricher.asn6(mapped, i * 16)) | 0;
    return sum;
  };
  // Warm both paths up so that the JIT has compiled them before timing.
  for (let i = 0; i < 200_000; i++) {
    enricher.asn4(addrs[i]);
    naiveFind(objects, addrs[i]);
  }
  const a = timeIt(ours);
  const b = timeIt(peer);
  const c = timeIt(ours6);
  const rate = (n: number, s: number): number => Math.round(n / s);
  const oursRate = rate(opts.lookups, a.seconds);
  const peerRate = rate(opts.lookups, b.seconds);
  return [
    { bench: 'enrich-lookup', ranges: opts.ranges, lookups: opts.lookups, seconds: +a.seconds.toFixed(3), lookupsPerSecond: oursRate, target: 5_000_000, meetsTarget: oursRate >= 5_000_000 },
    {
      bench: 'enrich-lookup-peer',
      peer: 'binary search over an array of {start,end,asn} objects',
      ranges: opts.ranges,
      lookups: opts.lookups,
      seconds: +b.seconds.toFixed(3),
      lookupsPerSecond: peerRate,
      ratio: +(oursRate / peerRate).toFixed(2),
      sameAnswers: a.checksum === b.checksum,
    },
    { bench: 'enrich-lookup6-mapped', ranges: opts.ranges, lookups: 5_000_000, seconds: +c.seconds.toFixed(3), lookupsPerSecond: rate(5_000_000, c.seconds) },
  ];
}

/** Import of the same table written as `start,end,asn,"org"` lines, then load. */
export async function runImportBench(opts: EnrichBenchOptions): Promise<Record<string, unknown>[]> {
  const table = randomTable(opts.ranges, opts.seed);
  const dir = await mkdtemp(join(tmpdir(), 'sakimori-enrich-bench-'));
  try {
    const lines: string[] = [];
    for (let i = 0; i < opts.ranges; i++) {
      lines.push(`${formatIPv4(table.v4.starts[i])},${formatIPv4(table.v4.ends[i])},${table.v4.values[i]},"Org ${table.v4.values[i]}, Inc."`);
    }
    const file = join(dir, 'asn-ipv4.csv');
    await writeFile(file, lines.join('\n') + '\n');
    const t0 = process.hrtime.bigint();
    const summary = await importEnrichment(dir, file, {});
    const t1 = process.hrtime.bigint();
    const loaded = await loadEnricher(dir);
    const t2 = process.hrtime.bigint();
    const seconds = Number(t1 - t0) / 1e9;
    return [
      { bench: 'enrich-import-csv', lines: summary.lines, rangesV4: summary.ranges.v4, skippedLines: summary.skippedLines, seconds: +seconds.toFixed(3), linesPerSecond: Math.round(summary.lines / seconds) },
      { bench: 'enrich-load', rangesV4: summary.ranges.v4, milliseconds: +(Number(t2 - t1) / 1e6).toFixed(1), sameTable: loaded.asn4(table.v4.starts[7]) === table.v4.values[7] },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const opts = { ranges: argNumber('ranges', 500_000), lookups: argNumber('lookups', 20_000_000), seed: argNumber('seed', 1) };
  for (const line of runEnrichBench(opts)) console.log(JSON.stringify(line));
  for (const line of await runImportBench(opts)) console.log(JSON.stringify(line));
}
