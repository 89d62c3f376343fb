import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSakimoriError } from '../errors.js';
import { importEnrichment } from './import-enrichment.js';
import { ipBytes, parseIPv4 } from '../net/ip.js';
import { loadEnricher } from './load-enricher.js';
import { readManifest } from './manifest.js';
import { tempDir, type TempDir } from './testing/temp-dir.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const ip = parseIPv4;

const ASN_CSV = [
  '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
  '1.0.4.0,1.0.7.255,38803,Wirefreebroadband Pty Ltd',
  '1.0.16.0,1.0.16.255,2519,"ARTERIA Networks ""Corp"""',
  '1.0.64.0,1.0.127.255,18144,Energia Communications,Inc.',
  '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
  '1.0.128.0,not-an-ip,23969,TOT',
  '1.0.200.0,1.0.100.0,23969,TOT',
  '1.1.0.0,1.1.0.255,"unterminated',
  '',
  '223.255.254.0,223.255.254.255,55415,"MARINA BAY, SG"',
].join('\n');

describe('CSV import (ip-location-db / iptoasn style)', () => {
  it('imports an asn file with quoted orgs, IPv6 rows, and reports bad lines with numbers', async () => {
    const file = await dir.file('asn.csv', ASN_CSV);
    const summary = await importEnrichment(dir.path, file, {});
    expect(summary).toMatchObject({ format: 'csv', variant: 'csv-asn', layer: 'asn', ranges: { v4: 5, v6: 1 }, lines: 10, skippedLines: 3 });
    expect(summary.badLines.map((b) => b.line)).toEqual([6, 7, 8]);
    expect(summary.badLines[0].reason).toMatch(/end is not an IP/);
    expect(summary.badLines[1].reason).toMatch(/start is after end/);
    expect(summary.badLines[2].reason).toMatch(/quote/);

    const e = await loadEnricher(dir.path);
    expect(e.asn4(ip('1.0.0.1'))).toBe(13335);
    expect(e.orgOfAsn(13335)).toBe('Cloudflare, Inc.');
    expect(e.orgOfAsn(2519)).toBe('ARTERIA Networks "Corp"');
    expect(e.orgOfAsn(18144)).toBe('Energia Communications,Inc.');
    expect(e.orgOfAsn(55415)).toBe('MARINA BAY, SG');
    expect(e.asn4(ip('1.0.128.1'))).toBe(0);
    expect(e.asn6(ipBytes('2001:200:1::1'), 0)).toBe(2500);
    expect(e.country4(ip('1.0.0.1'))).toBe('');

    const manifest = await readManifest(dir.path);
    expect(manifest.layers.asn).toMatchObject({ file: 'asn.csv', format: 'csv', ranges: { v4: 5, v6: 1 }, skippedLines: 3 });
    expect(Date.parse(manifest.layers.asn?.importedAt ?? '')).not.toBeNaN();
  });

  it('imports a country file with a header, and combines it with the asn layer', async () => {
    await importEnrichment(dir.path, await dir.file('asn.csv', ASN_CSV), {});
    const file = await dir.file(
      'country.csv',
      'ip_range_start,ip_range_end,country_code\r\n1.0.0.0,1.0.0.255,AU\r\n1.0.1.0,1.0.3.255,cn\r\n2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\r\n1.0.4.0,1.0.4.255,Japan\r\n',
    );
    const summary = await importEnrichment(dir.path, file, { layer: 'auto' });
    expect(summary).toMatchObject({ variant: 'csv-country', layer: 'country', ranges: { v4: 2, v6: 1 }, skippedLines: 1 });
    expect(summary.badLines[0].line).toBe(5);
    const e = await loadEnricher(dir.path);
    expect(e.country4(ip('1.0.0.0'))).toBe('AU');
    expect(e.country4(ip('1.0.2.0'))).toBe('CN');
    expect(e.country6(ipBytes('2001:200::'), 0)).toBe('JP');
    expect(e.asn4(ip('1.0.0.0'))).toBe(13335);
    const manifest = await readManifest(dir.path);
    expect(Object.keys(manifest.layers).sort()).toEqual(['asn', 'country']);
  });

  it('replaces a layer when a file of the same layer is imported again', async () => {
    await importEnrichment(dir.path, await dir.file('a.csv', ASN_CSV), {});
    await importEnrichment(dir.path, await dir.file('b.csv', '9.9.9.0,9.9.9.255,19281,Quad9\n'), {});
    const e = await loadEnricher(dir.path);
    expect(e.asn4(ip('9.9.9.9'))).toBe(19281);
    expect(e.asn4(ip('1.0.0.1'))).toBe(0);
    expect(e.orgOfAsn(13335)).toBe('');
    expect((await readManifest(dir.path)).layers.asn?.file).toBe('b.csv');
  });

  it('imports iptoasn TSV, as asn by default and as country on request', async () => {
    const tsv = [
      '1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET',
      '1.0.1.0\t1.0.3.255\t0\tNone\tNot routed',
      '2001:200::\t2001:200:ffff:ffff:ffff:ffff:ffff:ffff\t2500\tJP\tWIDE-BB WIDE Project',
      '1.0.4.0\t1.0.7.255\tx\tAU\tbad asn',
    ].join('\n');
    const file = await dir.file('ip2asn-combined.tsv', tsv);
    const s = await importEnrichment(dir.path, file, {});
    expect(s).toMatchObject({ format: 'iptoasn', layer: 'asn', ranges: { v4: 1, v6: 1 }, skippedLines: 1 });
    expect(s.badLines[0].line).toBe(4);
    const c = await importEnrichment(dir.path, file, { format: 'iptoasn', layer: 'country' });
    expect(c).toMatchObject({ layer: 'country', ranges: { v4: 1, v6: 1 } });
    const e = await loadEnricher(dir.path);
    expect(e.orgOfAsn(2500)).toBe('WIDE-BB WIDE Project');
    expect(e.asn4(ip('1.0.2.0'))).toBe(0);
    expect(e.country4(ip('1.0.0.9'))).toBe('US');
    expect(e.country6(ipBytes('2001:200::5'), 0)).toBe('JP');
  });

  it('reads gzip-compressed files', async () => {
    const file = await dir.file('asn.csv.gz', gzipSync(Buffer.from(ASN_CSV)));
    const s = await importEnrichment(dir.path, file, {});
    expect(s.ranges).toEqual({ v4: 5, v6: 1 });
  });

  it('refuses a corrupt or truncated gzip file with a clear error', async () => {
    const gz = gzipSync(Buffer.from(ASN_CSV.repeat(200)));
    for (const bytes of [gz.subarray(0, gz.length - 30), Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5])]) {
      const err = await importEnrichment(dir.path, await dir.file('bad.csv.gz', bytes), {}).catch((e: unknown) => e);
      expect(isSakimoriError(err) && err.code).toBe('ENRICH_BAD_FORMAT');
    }
  });

  it('refuses a file that matches nothing, and leaves the stored layer intact', async () => {
    await importEnrichment(dir.path, await dir.file('a.csv', ASN_CSV), {});
    const before = await readFile(join(dir.path, 'enrich', 'asn.bin'));
    for (const [name, content] of [
      ['empty.csv', ''],
      ['words.txt', 'hello world\nthis is not a table\n'],
      ['binary.bin', Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 0x80])],
    ] as const) {
      const err = await importEnrichment(dir.path, await dir.file(name, content), {}).catch((e: unknown) => e);
      expect(isSakimoriError(err) && err.code).toBe('ENRICH_BAD_FORMAT');
    }
    // An explicit format wins over detection: a CSV asn file is not pfx2as.
    const err = await importEnrichment(dir.path, await dir.file('b.csv', ASN_CSV), { format: 'pfx2as' }).catch((e: unknown) => e);
    expect(isSakimoriError(err) && err.code).toBe('ENRICH_BAD_FORMAT');
    // Asking for the country layer of a file without countries is refused, not an empty table.
    const err2 = await importEnrichment(dir.path, await dir.file('c.csv', ASN_CSV), { layer: 'country' }).catch((e: unknown) => e);
    expect(isSakimoriError(err2) && err2.code).toBe('ENRICH_BAD_FORMAT');
    expect(await readFile(join(dir.path, 'enrich', 'asn.bin'))).toEqual(before);
    const missing = await importEnrichment(dir.path, join(dir.path, 'nope.csv'), {}).catch((e: unknown) => e);
    expect(isSakimoriError(missing) && missing.code).toBe('INPUT_NOT_FOUND');
  });

  it('reports progress and gives an empty enricher for an empty data directory', async () => {
    const seen: number[] = [];
    await importEnrichment(dir.path, await dir.file('a.csv', ASN_CSV), { onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(10);
    const empty = await loadEnricher(join(dir.path, 'nothing-here'));
    expect(empty.empty).toBe(true);
    expect(empty.asn4(ip('1.0.0.1'))).toBe(0);
  });

  it('detects a corrupt table on load', async () => {
    await importEnrichment(dir.path, await dir.file('a.csv', ASN_CSV), {});
    const path = join(dir.path, 'enrich', 'asn.bin');
    const bytes = await readFile(path);
    await dir.file('enrich/asn.bin', bytes.subarray(0, bytes.length - 3));
    const err = await loadEnricher(dir.path).catch((e: unknown) => e);
    expect(isSakimoriError(err) && err.code).toBe('ENRICH_BAD_FORMAT');
  });
});
