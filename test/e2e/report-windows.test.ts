import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthDarknetToFile, synthEnrichmentRows } from '../../src/synth/index.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { ingestDarknetFiles } from '../../src/ingest/darknet-ingest.js';
import { darknetReport, type DarknetReport } from '../../src/analyze/darknet-report.js';
import { importEnrichment } from '../../src/enrich/index.js';
import { chTime, ipText } from '../../src/store/events/sql-helpers.js';
import { constituencyDarknetReport } from '../../src/analyze/constituency-report.js';
import { addressFilter, type Restriction } from '../../src/store/need-to-know.js';
import type { EventParams } from '../../src/store/types.js';

/**
 * Every kind of window the console offers (one hour, several hours, a custom range in minutes,
 * across midnight, a day, several days, a day and a half) against exact counts from the raw
 * packets, which the test keeps: sources once per window, per class the sources that sent that
 * class, per port, country and ASN; per fingerprint the sources that carry its tag on their UTC
 * day and sent packets matching it in the window, and those packets (issue 14, item 6).
 */
describe('darknet report of any window', () => {
  let dir: string;
  let config: Config;
  let ctx: AppContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-windows-'));
    config = configSchema.parse({ dataDir: join(dir, 'data'), darknet: { batchSize: 5_000 } });
    const rows = synthEnrichmentRows({ seed: 21 });
    writeFileSync(join(dir, 'asn.csv'), rows.asn);
    writeFileSync(join(dir, 'country.csv'), rows.country);
    await importEnrichment(config.dataDir, join(dir, 'asn.csv'), { format: 'csv', layer: 'asn' });
    await importEnrichment(config.dataDir, join(dir, 'country.csv'), { format: 'csv', layer: 'country' });
    // Two days of the same population (sources seen on both), and more sources on the second.
    const files = [
      { date: '2023-05-10', seed: 21, packets: 30_000 },
      { date: '2023-05-11', seed: 21, packets: 30_000 },
      { date: '2023-05-11', seed: 22, packets: 15_000 },
    ].map((f, i) => ({ ...f, path: join(dir, `part${i}.pcap`) }));
    for (const f of files) await synthDarknetToFile({ date: f.date, seed: f.seed, packets: f.packets, ipv6Share: 0.02 }, f.path);
    ctx = await openContext(config);
    const results = await ingestDarknetFiles(
      { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter: ctx.fingerprinter, classify: config.darknet },
      files.map((f) => f.path),
      { sensor: config.sensor, batchSize: config.darknet.batchSize },
    );
    expect(results.every((r) => r.status === 'ingested')).toBe(true);
  }, 240_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An organisation's prefixes: a quarter of IPv4 and the IPv6 sources (hashed keys in the bitmaps). */
  const ORG: Extract<Restriction, { kind: 'constituency' }> = { kind: 'constituency', orgId: 'o', cidrs: ['64.0.0.0/2', '2000::/3'], asns: [] };

  /** The exact figures of whole hours [from, to) from the raw packets (of `org`'s sources only). */
  async function exact(from: string, to: string, org?: typeof ORG) {
    const p: EventParams = { from: chTime(new Date(from)), to: chTime(new Date(to)) };
    const inWindow = `ts >= {from:DateTime64(6)} AND ts < {to:DateTime64(6)} AND ${org ? addressFilter(org, 'src', 'src_asn', p) : '1'}`;
    const q = <T>(sql: string): Promise<T[]> => ctx.events.query<T>(sql, p);
    const [all] = await q<{ packets: number; sources: number }>(`SELECT count() AS packets, uniqExact(src) AS sources FROM darknet_packets WHERE ${inWindow}`);
    const classes = await q<{ cls: number; packets: number; sources: number }>(
      `SELECT cls, count() AS packets, uniqExact(src) AS sources FROM darknet_packets WHERE ${inWindow} GROUP BY cls`,
    );
    const ports = await q<{ proto: number; port: number; packets: number; sources: number }>(
      `SELECT proto, dport AS port, count() AS packets, uniqExact(src) AS sources FROM darknet_packets WHERE ${inWindow}
       GROUP BY proto, port ORDER BY packets DESC, toUInt32(proto) * 65536 + port LIMIT 20`,
    );
    const countries = await q<{ country: string; packets: number; sources: number }>(
      `SELECT src_country AS country, count() AS packets, uniqExact(src) AS sources FROM darknet_packets WHERE ${inWindow}
       GROUP BY country ORDER BY packets DESC, country LIMIT 15`,
    );
    const asns = await q<{ asn: number; packets: number; sources: number }>(
      `SELECT src_asn AS asn, count() AS packets, uniqExact(src) AS sources FROM darknet_packets WHERE ${inWindow}
       GROUP BY asn ORDER BY packets DESC, asn LIMIT 15`,
    );
    const tags: Record<string, { packets: number; sources: number }> = {};
    for (const f of ctx.fingerprinter.fingerprints) {
      const carriers = `SELECT d, src FROM (
          SELECT toDate(ts) AS d, src, countIf(bitTest(tags, ${f.bit})) AS h,
                 countIf(family = 4 AND proto = 6 AND bitAnd(tcp_flags, 22) = 2) AS n
          FROM darknet_packets GROUP BY d, src)
        WHERE h > 0 AND h >= ${f.minShare} * n`;
      const [t] = await q<{ packets: number; sources: number }>(
        `SELECT countIf(bitTest(tags, ${f.bit}) AND (toDate(ts), src) IN (${carriers})) AS packets,
                uniqExactIf(src, bitTest(tags, ${f.bit}) AND (toDate(ts), src) IN (${carriers})) AS sources
         FROM darknet_packets WHERE ${inWindow}`,
      );
      tags[f.name] = { packets: Number(t?.packets), sources: Number(t?.sources) };
    }
    const top = await q<{ ip: string; packets: number }>(
      `SELECT ${ipText('src')} AS ip, count() AS packets FROM darknet_packets WHERE ${inWindow} GROUP BY src ORDER BY packets DESC, src LIMIT 20`,
    );
    return { all, classes, ports, countries, asns, tags, top };
  }

  const WINDOWS: [string, string, string, string, string][] = [
    // name, asked from, asked to, whole hours from, to
    ['one hour', '2023-05-10T06:00:00Z', '2023-05-10T07:00:00Z', '2023-05-10T06:00:00Z', '2023-05-10T07:00:00Z'],
    ['six hours', '2023-05-10T06:00:00Z', '2023-05-10T12:00:00Z', '2023-05-10T06:00:00Z', '2023-05-10T12:00:00Z'],
    ['minutes, widened to hours', '2023-05-10T06:30:00Z', '2023-05-10T07:15:00Z', '2023-05-10T06:00:00Z', '2023-05-10T08:00:00Z'],
    ['across midnight', '2023-05-10T20:00:00Z', '2023-05-11T04:00:00Z', '2023-05-10T20:00:00Z', '2023-05-11T04:00:00Z'],
    ['a day', '2023-05-11T00:00:00Z', '2023-05-12T00:00:00Z', '2023-05-11T00:00:00Z', '2023-05-12T00:00:00Z'],
    ['two days', '2023-05-10T00:00:00Z', '2023-05-12T00:00:00Z', '2023-05-10T00:00:00Z', '2023-05-12T00:00:00Z'],
    ['a day and a half', '2023-05-10T12:00:00Z', '2023-05-12T00:00:00Z', '2023-05-10T12:00:00Z', '2023-05-12T00:00:00Z'],
  ];

  it('decides a day\'s tags once, until the day gets more packets', async () => {
    const w = { from: new Date('2023-05-10T06:00:00Z'), to: new Date('2023-05-10T09:00:00Z') };
    const inserts: string[] = [];
    const exec = ctx.events.exec.bind(ctx.events);
    ctx.events.exec = (sql, ...rest) => {
      if (sql.includes('INSERT INTO darknet_tag_hour')) inserts.push(sql);
      return exec(sql, ...rest);
    };
    try {
      const first = await darknetReport(ctx.report, w);
      const made = inserts.length;
      expect(await darknetReport(ctx.report, w)).toEqual(first);
      expect(await darknetReport(ctx.report, { from: w.from, to: new Date('2023-05-10T10:00:00Z') })).toBeDefined();
      expect(inserts.length).toBe(made);
      const [v] = await ctx.events.query<{ n: number }>("SELECT uniqExact(version) AS n FROM darknet_tag_hour WHERE day = toDate('2023-05-10')");
      expect(Number(v?.n)).toBe(1);
    } finally {
      ctx.events.exec = exec;
    }
  });

  it.each(WINDOWS)('%s: every figure is that of the raw packets', async (_name, from, to, hFrom, hTo) => {
    const r: DarknetReport = await darknetReport(ctx.report, { from: new Date(from), to: new Date(to) });
    const x = await exact(hFrom, hTo);
    expect([r.from, r.to]).toEqual([new Date(hFrom).toISOString(), new Date(hTo).toISOString()]);
    expect(x.all?.packets).toBeGreaterThan(0);
    expect({ packets: r.packets, sources: r.sources }).toEqual({ packets: Number(x.all?.packets), sources: Number(x.all?.sources) });
    for (const c of x.classes) {
      const name = (['other', 'scan', 'backscatter'] as const)[c.cls] ?? 'other';
      expect(r.classes[name], name).toEqual({ packets: Number(c.packets), sources: Number(c.sources) });
    }
    expect(r.tags).toEqual(x.tags);
    expect(Object.values(r.tags).some((t) => t.sources > 0)).toBe(true);
    const name = (p: number): string => (p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : p === 58 ? 'icmpv6' : String(p));
    expect(r.topPorts.map((p) => [p.proto, p.port, p.packets, p.sources])).toEqual(x.ports.map((p) => [name(p.proto), p.port, Number(p.packets), Number(p.sources)]));
    expect(r.topCountries.map((c) => [c.country, c.packets, c.sources])).toEqual(x.countries.map((c) => [c.country, Number(c.packets), Number(c.sources)]));
    expect(r.topAsns.map((a) => [a.asn, a.packets, a.sources])).toEqual(x.asns.map((a) => [Number(a.asn), Number(a.packets), Number(a.sources)]));
    expect(r.topSources.map((s) => [s.ip, s.packets])).toEqual(x.top.map((s) => [s.ip, Number(s.packets)]));
  });

  it.each(WINDOWS)('%s: an organisation sees the figures of its own sources only', async (_name, from, to, hFrom, hTo) => {
    const r = await constituencyDarknetReport(ctx.report, { from: new Date(from), to: new Date(to) }, ORG);
    const x = await exact(hFrom, hTo, ORG);
    const all = await exact(hFrom, hTo);
    expect([r.from, r.to]).toEqual([new Date(hFrom).toISOString(), new Date(hTo).toISOString()]);
    expect(Number(x.all?.sources)).toBeGreaterThan(0);
    expect(Number(x.all?.sources)).toBeLessThan(Number(all.all?.sources));
    expect({ packets: r.packets, sources: r.sources }).toEqual({ packets: Number(x.all?.packets), sources: Number(x.all?.sources) });
    for (const c of x.classes) {
      const name = (['other', 'scan', 'backscatter'] as const)[c.cls] ?? 'other';
      expect(r.classes[name], name).toEqual({ packets: Number(c.packets), sources: Number(c.sources) });
    }
    expect(r.tags).toEqual(x.tags);
    const name = (p: number): string => (p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : p === 58 ? 'icmpv6' : String(p));
    expect(r.topPorts.map((p) => [p.proto, p.port, p.packets, p.sources])).toEqual(x.ports.map((p) => [name(p.proto), p.port, Number(p.packets), Number(p.sources)]));
    expect(r.topSources.map((s) => [s.ip, s.packets])).toEqual(x.top.map((s) => [s.ip, Number(s.packets)]));
    const countries = new Map(x.countries.map((c) => [c.country, [Number(c.packets), Number(c.sources)]]));
    for (const c of r.topCountries.slice(0, 5)) expect([c.packets, c.sources], c.country).toEqual(countries.get(c.country));
  });
});
