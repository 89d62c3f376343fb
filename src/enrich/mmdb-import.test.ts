import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSakimoriError } from '../errors.js';
import { importEnrichment } from './import-enrichment.js';
import { ipBytes, parseIPv4 } from '../net/ip.js';
import { loadEnricher } from './load-enricher.js';
import { importMmdbBytes } from './mmdb/import-mmdb.js';
import { EnrichSink } from './range-collector.js';
import { MmdbWriter, u16, u32, u64, type MmdbWriterOptions } from './testing/mmdb-writer.js';
import { tempDir, type TempDir } from './testing/temp-dir.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const ip = parseIPv4;

const asnRecord = (asn: number, org: string) => ({ autonomous_system_number: u32(asn), autonomous_system_organization: org });

/** GeoLite2-City-like record: nested maps, names in several languages, a location with doubles. */
const cityRecord = (iso: string | null, registered: string) => ({
  city: { geoname_id: u32(1850147), names: { en: 'Tokyo', ja: '東京' } },
  continent: { code: 'AS', geoname_id: u32(6255147), names: { en: 'Asia', ja: 'アジア' } },
  ...(iso === null ? {} : { country: { geoname_id: u32(1861060), iso_code: iso, names: { en: 'Japan', ja: '日本' } } }),
  location: { accuracy_radius: u16(500), latitude: 35.6893, longitude: 139.6899, time_zone: 'Asia/Tokyo' },
  registered_country: { geoname_id: u32(1861060), iso_code: registered, is_in_european_union: false },
  subdivisions: [{ iso_code: '13', names: { en: 'Tokyo' } }],
});

function asnDb(opts: MmdbWriterOptions): Uint8Array {
  const w = new MmdbWriter({ databaseType: 'GeoLite2-ASN', ...opts });
  w.insert('1.0.0.0/24', asnRecord(13335, 'CLOUDFLARENET'));
  w.insert('1.0.4.0/22', asnRecord(38803, 'Wirefreebroadband Pty Ltd'));
  w.insert('8.0.0.0/8', asnRecord(3356, 'LEVEL3'));
  w.insert('8.8.8.0/24', asnRecord(15169, 'GOOGLE')); // nested: splits 8.0.0.0/8
  w.insert('0.0.0.0/32', asnRecord(1, 'ZERO'));
  w.insert('255.255.255.255/32', asnRecord(2, 'ALL-ONES'));
  if (opts.ipVersion === 6) {
    w.insert('2001:200::/32', asnRecord(2500, 'WIDE Project'));
    w.insert('2400:cb00::/32', asnRecord(13335, 'CLOUDFLARENET'));
  }
  return w.build();
}

describe('MMDB import', () => {
  for (const recordSize of [24, 28, 32] as const) {
    for (const ipVersion of [4, 6] as const) {
      it(`reads a GeoLite2-ASN-style tree, record size ${recordSize}, IPv${ipVersion}`, async () => {
        const file = await dir.file('GeoLite2-ASN.mmdb', asnDb({ recordSize, ipVersion }));
        const s = await importEnrichment(dir.path, file, {});
        expect(s).toMatchObject({ format: 'mmdb', variant: 'mmdb:GeoLite2-ASN', layer: 'asn', skippedLines: 0 });
        // Aliases (::ffff:0:0/96, 2002::/16) are skipped: only the real IPv6 networks appear.
        expect(s.ranges).toEqual({ v4: 7, v6: ipVersion === 6 ? 2 : 0 });
        const e = await loadEnricher(dir.path);
        expect(e.asn4(ip('1.0.0.0'))).toBe(13335);
        expect(e.asn4(ip('1.0.0.255'))).toBe(13335);
        expect(e.asn4(ip('1.0.1.0'))).toBe(0);
        expect(e.asn4(ip('1.0.7.255'))).toBe(38803);
        expect(e.asn4(ip('8.8.7.255'))).toBe(3356);
        expect(e.asn4(ip('8.8.8.8'))).toBe(15169);
        expect(e.asn4(ip('8.8.9.0'))).toBe(3356);
        expect(e.asn4(0)).toBe(1);
        expect(e.asn4(1)).toBe(0);
        expect(e.asn4(0xffffffff)).toBe(2);
        expect(e.orgOfAsn(15169)).toBe('GOOGLE');
        expect(e.orgOfAsn(38803)).toBe('Wirefreebroadband Pty Ltd');
        expect(e.asn6(ipBytes('::ffff:8.8.8.8'), 0)).toBe(15169);
        if (ipVersion === 6) {
          expect(e.asn6(ipBytes('2001:200::1'), 0)).toBe(2500);
          expect(e.asn6(ipBytes('2400:cb00:ffff::'), 0)).toBe(13335);
          expect(e.asn6(ipBytes('2002:808:808::'), 0)).toBe(0);
        }
      });
    }
  }

  it('reads GeoLite2-City-style nested maps, with registered_country as fallback, as the country layer', async () => {
    const w = new MmdbWriter({ ipVersion: 6, recordSize: 28, databaseType: 'GeoLite2-City' });
    w.insert('1.0.16.0/20', cityRecord('JP', 'JP'));
    w.insert('1.0.16.0/24', cityRecord(null, 'KR')); // no country: registered_country is used
    w.insert('2001:200::/32', cityRecord('JP', 'JP'));
    w.insert('2001:200:1::/48', { location: { latitude: 1.5, longitude: 2.5 } }); // no code at all
    const file = await dir.file('GeoLite2-City.mmdb', w.build());
    const s = await importEnrichment(dir.path, file, {});
    expect(s).toMatchObject({ layer: 'country', variant: 'mmdb:GeoLite2-City', skippedLines: 0 });
    const e = await loadEnricher(dir.path);
    expect(e.country4(ip('1.0.17.0'))).toBe('JP');
    expect(e.country4(ip('1.0.16.9'))).toBe('KR');
    expect(e.country4(ip('1.0.32.0'))).toBe('');
    expect(e.country6(ipBytes('2001:200::'), 0)).toBe('JP');
    expect(e.country6(ipBytes('2001:200:1::9'), 0)).toBe('');
    expect(e.country6(ipBytes('2001:200:2::'), 0)).toBe('JP');
  });

  it("reads ip-location-db's mmdb variants (flat country_code / autonomous_system_number)", async () => {
    const c = new MmdbWriter({ ipVersion: 6, recordSize: 24, databaseType: 'ip-location-db-country' });
    c.insert('1.0.0.0/24', { country_code: 'AU' }).insert('2001:200::/32', { country_code: 'JP' });
    const a = new MmdbWriter({ ipVersion: 6, recordSize: 32, databaseType: 'ip-location-db-asn' });
    a.insert('1.0.0.0/24', { autonomous_system_number: u64(13335), autonomous_system_organization: 'Cloudflare, Inc.' });
    await importEnrichment(dir.path, await dir.file('country.mmdb', c.build()), { format: 'mmdb' });
    await importEnrichment(dir.path, await dir.file('asn.mmdb', a.build()), { format: 'mmdb', layer: 'asn' });
    const e = await loadEnricher(dir.path);
    expect(e.country4(ip('1.0.0.1'))).toBe('AU');
    expect(e.country6(ipBytes('2001:200::1'), 0)).toBe('JP');
    expect(e.asn4(ip('1.0.0.1'))).toBe(13335);
    expect(e.orgOfAsn(13335)).toBe('Cloudflare, Inc.');
  });

  it('decodes pointers in their larger forms (data beyond 526,336 bytes)', () => {
    const w = new MmdbWriter({ ipVersion: 4, recordSize: 32, padding: 600_000 });
    for (let i = 0; i < 20; i++) w.insert(`10.0.${i}.0/24`, asnRecord(64500 + (i % 3), 'SHARED ORG NAME'));
    const sink = new EnrichSink();
    const r = importMmdbBytes(w.build(), 'padded.mmdb', sink);
    expect(r.bad.count).toBe(0);
    expect(sink.asn.size).toBe(20);
    expect(sink.orgs.get(64502)).toBe('SHARED ORG NAME');
  });

  it('refuses files that are not MMDB or whose metadata is unusable', async () => {
    const good = asnDb({ recordSize: 24, ipVersion: 6 });
    const cases: [string, Uint8Array][] = [
      ['no marker', good.subarray(0, 100)],
      ['truncated metadata', good.subarray(0, good.length - 40)],
      ['tree larger than file', good.subarray(200)],
    ];
    for (const [name, bytes] of cases) {
      const err = await importEnrichment(dir.path, await dir.file(`${name}.mmdb`, bytes), { format: 'mmdb' }).catch((e: unknown) => e);
      expect(isSakimoriError(err) && err.code, name).toBe('ENRICH_BAD_FORMAT');
    }
  });

  it('counts records that point outside the data section and skips them', () => {
    const bytes = asnDb({ recordSize: 32, ipVersion: 4 });
    // Node 0's left record (0.0.0.0/1) now points far past the data section.
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, 0xfffffff0);
    const sink = new EnrichSink();
    const r = importMmdbBytes(bytes, 'broken.mmdb', sink);
    expect(r.bad.count).toBe(1);
    expect(r.bad.first[0].reason).toMatch(/outside the data section/);
    expect(sink.asn.size).toBe(1); // only 255.255.255.255/32 is in the right half
  });
});
