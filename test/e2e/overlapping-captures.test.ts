/**
 * Captures that overlap count each packet once (issue 14, item 3): a prefix then its whole file
 * (the issue's `head -c 1000000 day.pcap > part.pcap`), the whole then the prefix, two rotated
 * files sharing their edges, the same file twice. Each must store exactly what one clean ingest
 * of the whole capture stores (every aggregate table compared per source, port, hour), and the
 * summary must say how many packets were already stored. Inputs are cut from a real capture.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { ingestDarknetFiles, type FileResult } from '../../src/ingest/darknet-ingest.js';
import { synthDarknetToFile } from '../../src/synth/index.js';
import { yesterday } from '../../src/synth/options.js';
import { sharedData } from '../fixtures/shared-data.js';
import { runCli } from '../helpers/cli.js';

const REAL = sharedData('pcap/nmap-nmap_80_all.pcap');

/** A classic pcap split into its file header and its records (16-byte header + frame each). */
function pcapRecords(file: Buffer): { header: Buffer; records: Buffer[] } {
  const little = file.readUInt32LE(0) === 0xa1b2c3d4 || file.readUInt32LE(0) === 0xa1b23c4d;
  const records: Buffer[] = [];
  let p = 24;
  while (p + 16 <= file.length) {
    const len = 16 + (little ? file.readUInt32LE(p + 8) : file.readUInt32BE(p + 8));
    records.push(file.subarray(p, p + len));
    p += len;
  }
  return { header: file.subarray(0, 24), records };
}

describe('overlapping captures are stored once', () => {
  let dir: string;
  let config: Config;
  let ctx: AppContext;
  let whole: string;
  let total: number;
  const file = (name: string, data: Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const ingest = (sensor: string, files: string[], batchSize: number): Promise<FileResult[]> =>
    ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
      files,
      { sensor, batchSize },
    );
  /** Every aggregate a report reads, for one sensor, in a canonical order. */
  const stored = async (sensor: string): Promise<Record<string, unknown[]>> => {
    const q = (sql: string): Promise<unknown[]> => ctx.events.query(sql, { sensor });
    return {
      sourceDay: await q(`SELECT day, src, sum(packets) p, sum(pkts_scan) s, sum(pkts_backscatter) b, sum(pkts_other) o,
                                 min(first_seen) f, max(last_seen) l, sumMap(tag_hits) t
                            FROM darknet_source_day WHERE sensor = {sensor:String} GROUP BY day, src ORDER BY day, src`),
      sourcePortDay: await q(`SELECT day, proto, port, src, sum(packets) p FROM darknet_source_port_day WHERE sensor = {sensor:String}
                               GROUP BY day, proto, port, src ORDER BY day, proto, port, src`),
      portHour: await q(`SELECT hour, proto, port, cls, sum(packets) p FROM darknet_port_hour WHERE sensor = {sensor:String}
                          GROUP BY hour, proto, port, cls ORDER BY hour, proto, port, cls`),
      hourly: await q(`SELECT hour, cls, family, sum(packets) p, uniqCombined64Merge(14)(sources) s FROM darknet_hourly
                        WHERE sensor = {sensor:String} GROUP BY hour, cls, family ORDER BY hour, cls, family`),
      backscatter: await q(`SELECT minute, victim, sum(packets) p FROM darknet_backscatter_minute WHERE sensor = {sensor:String}
                             GROUP BY minute, victim ORDER BY minute, victim`),
    };
  };
  const packetsOf = async (sensor: string): Promise<number> => {
    const [r] = await ctx.events.query<{ n: number }>('SELECT sum(packets) AS n FROM darknet_source_day WHERE sensor = {sensor:String}', { sensor });
    return Number(r?.n ?? 0);
  };
  let clean: Record<string, unknown[]>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-overlap-'));
    config = configSchema.parse({ dataDir: join(dir, 'data') });
    ctx = await openContext(config);
    whole = file('whole.pcap', readFileSync(REAL));
    // Each scenario is a sensor of its own in one store: overlaps are per sensor.
    const [r] = await ingest('clean', [whole], 1000);
    expect(r?.status).toBe('ingested');
    total = r?.newPackets ?? 0;
    expect(total).toBe(431);
    clean = await stored('clean');
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a prefix cut mid-record (head -c), then the whole file: the prefix\'s packets are not stored again', async () => {
    const part = file('part.pcap', readFileSync(REAL).subarray(0, 40_000));
    // Batches of 64 packets: the prefix's last batch is partial and differs from the whole's.
    const [p] = await ingest('prefix-whole', [part], 64);
    expect(p?.capture?.truncated).toBeDefined();
    const prefix = p?.newPackets ?? 0;
    expect(prefix).toBeGreaterThan(64);
    expect(prefix % 64).not.toBe(0);
    const [w] = await ingest('prefix-whole', [whole], 64);
    expect(w).toMatchObject({ status: 'ingested', packets: total, newPackets: total - prefix, duplicatePackets: prefix });
    expect(await stored('prefix-whole')).toEqual(clean);
  });

  it('the whole file, then a prefix of it: nothing new', async () => {
    const part = file('part2.pcap', readFileSync(REAL).subarray(0, 55_555));
    await ingest('whole-prefix', [whole], 50);
    const [p] = await ingest('whole-prefix', [part], 50);
    expect(p?.status).toBe('ingested');
    expect(p?.newPackets).toBe(0);
    expect(p?.duplicatePackets).toBe(p?.packets);
    expect(p?.packets).toBeGreaterThan(100);
    expect(await stored('whole-prefix')).toEqual(clean);
  });

  it('two rotated files that share 60 packets at their edges, in either order', async () => {
    const { header, records } = pcapRecords(readFileSync(REAL));
    const first = file('rot-1.pcap', Buffer.concat([header, ...records.slice(0, 260)]));
    const second = file('rot-2.pcap', Buffer.concat([header, ...records.slice(200)]));
    const [a, b] = await ingest('rotated', [first, second], 64);
    expect(a).toMatchObject({ newPackets: 260, duplicatePackets: 0 });
    expect(b).toMatchObject({ packets: records.length - 200, newPackets: records.length - 260, duplicatePackets: 60 });
    expect(await stored('rotated')).toEqual(clean);

    const [d, c] = await ingest('rotated-back', [second, first], 1000);
    expect(d).toMatchObject({ newPackets: records.length - 200, duplicatePackets: 0 });
    expect(c).toMatchObject({ packets: 260, newPackets: 200, duplicatePackets: 60 });
    expect(await stored('rotated-back')).toEqual(clean);
  });

  it('the same file twice: the second time says every packet was already stored', async () => {
    const [a, b] = await ingest('twice', [whole, whole], 1000);
    expect(a).toMatchObject({ status: 'ingested', newPackets: total });
    expect(b).toMatchObject({ status: 'already-ingested', packets: total, newPackets: 0, duplicatePackets: total });
    // A copy under another name: the same content, nothing read.
    const copy = file('copy.pcap', readFileSync(REAL));
    const [c] = await ingest('twice', [copy], 100);
    expect(c).toMatchObject({ status: 'already-ingested', duplicatePackets: total });
    expect(await stored('twice')).toEqual(clean);
  });

  it('a batch left half-stored by a killed ingest of another file stops an overlapping input with a clear error', async () => {
    const { header, records } = pcapRecords(readFileSync(REAL));
    const tail = file('tail.pcap', Buffer.concat([header, ...records.slice(300)]));
    await ingest('interrupted', [file('head.pcap', Buffer.concat([header, ...records.slice(0, 320)]))], 1000);
    // What a kill between the inserts of a batch leaves: its row begun and never committed.
    await ctx.state.query(
      `UPDATE ingest_batches SET committed = false WHERE sensor = 'interrupted'`,
    );
    const [t] = await ingest('interrupted', [tail], 1000);
    expect(t?.status).toBe('failed');
    expect(t?.error?.code).toBe('INGEST_INTERRUPTED');
    expect(t?.error?.message).toContain('head.pcap');
    expect(await packetsOf('interrupted')).toBe(320);
  });

  it('packets whose keys have expired are recognised by the time range their batch covered', async () => {
    const { header, records } = pcapRecords(readFileSync(REAL));
    await ingest('expired', [file('old-1.pcap', Buffer.concat([header, ...records.slice(0, 260)]))], 1000);
    await ctx.state.query(`UPDATE ingest_batches SET keys_until = now() - interval '1 day' WHERE sensor = 'expired'`);
    const [b] = await ingest('expired', [file('old-2.pcap', Buffer.concat([header, ...records.slice(200)]))], 1000);
    expect(b).toMatchObject({ newPackets: records.length - 260, duplicatePackets: 60 });
    expect(await stored('expired')).toEqual(clean);
  });
});

describe('the issue\'s case on a synthetic day: head -c 1000000 day.pcap, then day.pcap, through the CLI', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the day once and says how many packets were already stored, as text and as JSON', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-overlap-cli-'));
    const day = join(dir, 'day.pcap');
    const truth = await synthDarknetToFile({ packets: 60_000, seed: 14, date: yesterday() }, day);
    const part = join(dir, 'part.pcap');
    writeFileSync(part, readFileSync(day).subarray(0, 1_000_000));
    const data = ['--data', join(dir, 'data'), '--batch-size', '5000'];

    const first = await runCli(['ingest', 'darknet', part, ...data]);
    expect(first.code, first.stderr).toBe(0);
    const stored = Number(/([\d,]+) new, 0 already stored/.exec(first.stdout)?.[1]?.replaceAll(',', ''));
    expect(stored).toBeGreaterThan(5000);

    const second = await runCli(['ingest', 'darknet', day, ...data, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const [f] = (JSON.parse(second.stdout) as { files: FileResult[] }).files;
    expect(f).toMatchObject({ packets: truth.packets, newPackets: truth.packets - stored, duplicatePackets: stored });

    const third = await runCli(['ingest', 'darknet', day, ...data]);
    expect(third.stdout).toContain(`already ingested: ${truth.packets.toLocaleString('en-US')} packets already stored`);

    const report = await runCli(['report', 'darknet', '--from', yesterday(), '--json', '--data', join(dir, 'data')]);
    expect(report.code, report.stderr).toBe(0);
    expect((JSON.parse(report.stdout) as { packets: number }).packets).toBe(truth.packets);
  });
});
