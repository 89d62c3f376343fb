import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthDarknetToFile, synthEnrichmentRows, type GroundTruth } from '../../src/synth/index.js';
import { yesterday } from '../../src/synth/options.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { ingestDarknetFiles, type FileResult } from '../../src/ingest/darknet-ingest.js';
import { darknetReport, type DarknetReport } from '../../src/analyze/darknet-report.js';
import { hostProfile } from '../../src/analyze/host.js';
import { importEnrichment } from '../../src/enrich/index.js';
import { dataVersion, reportFor, refreshDays } from '../../src/analyze/day-reports.js';

/**
 * The whole darknet path on the embedded stores, checked against the generator's ground truth:
 * capture → decode → classify → fingerprint → store → aggregates → report and host profile.
 */
describe('darknet telescope end to end', () => {
  let dir: string;
  let config: Config;
  let ctx: AppContext;
  let truth: GroundTruth;
  let pcap: string;
  let report: DarknetReport;
  const date = yesterday();

  const ingest = (files: string[]): Promise<FileResult[]> =>
    ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
      files,
      { sensor: config.sensor, batchSize: config.darknet.batchSize },
    );
  const day = { from: new Date(`${date}T00:00:00Z`), to: new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000) };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-e2e-'));
    config = configSchema.parse({ dataDir: join(dir, 'data'), darknet: { batchSize: 7_000 } });
    pcap = join(dir, 'day.pcap');
    truth = await synthDarknetToFile({ packets: 60_000, seed: 11, date, ipv6Share: 0.02 }, pcap);
    const rows = synthEnrichmentRows({ seed: 11 });
    writeFileSync(join(dir, 'asn.csv'), rows.asn);
    writeFileSync(join(dir, 'country.csv'), rows.country);
    await importEnrichment(config.dataDir, join(dir, 'asn.csv'), { format: 'csv', layer: 'asn' });
    await importEnrichment(config.dataDir, join(dir, 'country.csv'), { format: 'csv', layer: 'country' });
    ctx = await openContext(config);
    const [r] = await ingest([pcap]);
    expect(r?.status).toBe('ingested');
    expect(r?.newPackets).toBe(truth.packets);
    report = await darknetReport(ctx.report, day);
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts packets and sources, per class and per tag, as the ground truth says', () => {
    expect(report.packets).toBe(truth.packets);
    expect(report.sources).toBe(truth.sources);
    for (const c of ['scan', 'backscatter', 'other'] as const) expect(report.classes[c], c).toEqual(truth.classes[c]);
    for (const t of ['mirai', 'masscan', 'zmap'] as const) expect(report.tags[t], t).toEqual(truth.tags[t]);
  });

  it('finds the top ports and the IoT share', () => {
    const top = (ps: { proto: string; port: number; packets: number; sources: number }[]): string[] =>
      ps.slice(0, 10).map((p) => `${p.proto}/${p.port} ${p.packets} ${p.sources}`);
    expect(top(report.topPorts)).toEqual(top(truth.topPorts));
    expect(report.iotShare).toBeCloseTo(truth.iotShare, 6);
  });

  it('reports exactly the DoS attacks in the backscatter, and none of the near misses', () => {
    const simple = (a: { ip: string; packets: number; start: string; end: string; peakRate: number }) => ({ ip: a.ip, packets: a.packets, start: a.start, end: a.end, peakRate: a.peakRate });
    const want = truth.dosVictims.map(simple).sort((a, b) => a.ip.localeCompare(b.ip));
    expect(report.dosVictims.map(simple).sort((a, b) => a.ip.localeCompare(b.ip))).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
  });

  it('attributes sources to countries and ASNs from the imported tables', () => {
    expect(report.topCountries.length).toBeGreaterThan(1);
    expect(report.topCountries.every((c) => /^[A-Z]{2}$/.test(c.country))).toBe(true);
    expect(report.topAsns[0]?.org).toMatch(/Synthetic/);
    expect(report.topCountries.reduce((a, c) => a + c.sources, 0)).toBeLessThanOrEqual(truth.sources);
  });

  it('profiles a Mirai host with the evidence for its tag', async () => {
    const mirai = report.topSources.find((s) => s.tags.includes('mirai'));
    expect(mirai).toBeDefined();
    const h = await hostProfile(ctx.events, mirai?.ip ?? '', ctx.fingerprinter.fingerprints, (a) => ctx.enricher.orgOfAsn(a));
    expect(h?.packets).toBe(mirai?.packets);
    expect(h?.class).toBe('scan');
    const tag = h?.tags.find((t) => t.tag === 'mirai');
    expect(tag?.confidence).toBeGreaterThan(0.99);
    expect(tag?.share).toBe(1);
    expect(h?.ports.some((p) => p.proto === 'tcp' && (p.port === 23 || p.port === 2323))).toBe(true);
    expect(h?.country).toMatch(/^[A-Z]{2}$/);
    expect((h?.firstSeen ?? 'z') <= (h?.lastSeen ?? '')).toBe(true);
  });

  it('changes no count when the same capture is ingested again, as a file or as a stream', async () => {
    const [again] = await ingest([pcap]);
    expect(again?.status).toBe('already-ingested');
    // The same packets gzip-compressed: a different file, but every batch is already stored.
    const copy = join(dir, 'copy.pcap.gz');
    writeFileSync(copy, gzipSync(readFileSync(pcap)));
    const [dup] = await ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
      [copy],
      { sensor: config.sensor, batchSize: config.darknet.batchSize },
    );
    expect(dup?.status).toBe('ingested');
    expect(dup?.newPackets).toBe(0);
    expect(dup?.duplicatePackets).toBe(truth.packets);
    const after = await darknetReport(ctx.report, day);
    expect(after.packets).toBe(report.packets);
    expect(after.sources).toBe(report.sources);
    expect(after.classes).toEqual(report.classes);
  });

  it('serves a day from the stored daily report, and recomputes it when new data arrives', async () => {
    const deps = { report: ctx.report, state: ctx.state };
    await refreshDays(deps, [date]);
    const [row] = await ctx.state.query<{ data_version: string }>("SELECT data_version FROM darknet_day_reports WHERE kind = 'report'");
    expect(row?.data_version).toBe(await dataVersion(deps));
    expect(await reportFor(deps, day)).toEqual(JSON.parse(JSON.stringify(await darknetReport(ctx.report, day))));
    const more = join(dir, 'more.pcap');
    const extra = await synthDarknetToFile({ packets: 5_000, seed: 12, date }, more);
    await ingest([more]);
    const after = await reportFor(deps, day);
    expect(after.packets).toBe(truth.packets + extra.packets);
  });
});

