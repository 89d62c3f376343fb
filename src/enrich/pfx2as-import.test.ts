import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importEnrichment } from './import-enrichment.js';
import { ipBytes, parseIPv4 } from '../net/ip.js';
import { loadEnricher } from './load-enricher.js';
import { tempDir, type TempDir } from './testing/temp-dir.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const ip = parseIPv4;

describe('RouteViews pfx2as import', () => {
  it('flattens nested prefixes so that the more specific one wins', async () => {
    const v4 = [
      '10.0.0.0\t8\t100',
      '10.1.0.0\t16\t200',
      '10.1.2.0\t24\t300',
      '10.1.2.128\t25\t400',
      '10.200.0.0\t16\t500_501',
      '11.0.0.0\t8\t600,601',
      '12.0.0.0\t8\t{700,701}',
      '13.0.0.0\t33\t1',
      '14.0.0.0\t8',
      '15.0.0.0\t8\tASX',
      '0.0.0.0\t32\t7',
      '255.255.255.255\t32\t8',
    ].join('\n');
    const s = await importEnrichment(dir.path, await dir.file('routeviews-rv2-20240101-1200.pfx2as', v4), {});
    expect(s).toMatchObject({ format: 'pfx2as', layer: 'asn', skippedLines: 3 });
    expect(s.badLines.map((b) => b.line)).toEqual([8, 9, 10]);
    const e = await loadEnricher(dir.path);
    expect(e.asn4(ip('10.0.0.0'))).toBe(100);
    expect(e.asn4(ip('10.0.255.255'))).toBe(100);
    expect(e.asn4(ip('10.1.0.0'))).toBe(200);
    expect(e.asn4(ip('10.1.1.255'))).toBe(200);
    expect(e.asn4(ip('10.1.2.0'))).toBe(300);
    expect(e.asn4(ip('10.1.2.127'))).toBe(300);
    expect(e.asn4(ip('10.1.2.128'))).toBe(400);
    expect(e.asn4(ip('10.1.2.255'))).toBe(400);
    expect(e.asn4(ip('10.1.3.0'))).toBe(200);
    expect(e.asn4(ip('10.2.0.0'))).toBe(100);
    expect(e.asn4(ip('10.200.3.4'))).toBe(500);
    expect(e.asn4(ip('10.255.255.255'))).toBe(100);
    expect(e.asn4(ip('11.3.3.3'))).toBe(600);
    expect(e.asn4(ip('12.3.3.3'))).toBe(700);
    expect(e.asn4(ip('9.255.255.255'))).toBe(0);
    expect(e.asn4(0)).toBe(7);
    expect(e.asn4(1)).toBe(0);
    expect(e.asn4(0xffffffff)).toBe(8);
    expect(e.asn4(0xfffffffe)).toBe(0);
  });

  it('imports IPv6 pfx2as with nesting', async () => {
    const v6 = ['2001:200::\t32\t2500', '2001:200:900::\t40\t7660', '2001:db8::\t32\t64500_64501', '2002::\t16\t6939'].join('\n');
    const s = await importEnrichment(dir.path, await dir.file('routeviews-rv6-20240101-1200.pfx2as', v6), { format: 'pfx2as' });
    expect(s.ranges.v6).toBe(5);
    const e = await loadEnricher(dir.path);
    expect(e.asn6(ipBytes('2001:200::1'), 0)).toBe(2500);
    expect(e.asn6(ipBytes('2001:200:900::1'), 0)).toBe(7660);
    expect(e.asn6(ipBytes('2001:200:9ff:ffff:ffff:ffff:ffff:ffff'), 0)).toBe(7660);
    expect(e.asn6(ipBytes('2001:200:a00::'), 0)).toBe(2500);
    expect(e.asn6(ipBytes('2001:db8:1::'), 0)).toBe(64500);
    expect(e.asn6(ipBytes('2002:102:304::'), 0)).toBe(6939);
    expect(e.asn6(ipBytes('2003::'), 0)).toBe(0);
  });
});
