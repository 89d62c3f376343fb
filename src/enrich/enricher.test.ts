import { describe, expect, it } from 'vitest';
import { createEnricher } from './enricher.js';
import { enricherFromRows } from './from-rows.js';
import { ipBytes, parseIPv4, parseIPv6 } from '../net/ip.js';

const ip = (s: string): number => parseIPv4(s);

describe('IpEnricher lookups', () => {
  const e = enricherFromRows({
    asn: [
      { start: '0.0.0.0', end: '0.0.0.255', asn: 1, org: 'Zero' },
      { start: '1.0.0.0', end: '1.0.0.255', asn: 13335, org: 'Cloudflare, Inc.' },
      { start: '1.0.1.0', end: '1.0.3.255', asn: 4134 },
      { start: '255.255.255.0', end: '255.255.255.255', asn: 65535, org: 'Top' },
      { start: '2001:db8::', end: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', asn: 64500, org: 'Doc' },
      { start: '::', end: '::ff', asn: 7 },
      { start: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00', end: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', asn: 9 },
    ],
    country: [
      { start: '1.0.0.0', end: '1.0.0.255', country: 'au' },
      { start: '2001:db8::', end: '2001:db8::ffff', country: 'JP' },
    ],
  });

  it('finds the first and last address of a range and nothing in the gaps', () => {
    expect(e.asn4(ip('1.0.0.0'))).toBe(13335);
    expect(e.asn4(ip('1.0.0.255'))).toBe(13335);
    expect(e.asn4(ip('0.255.255.255'))).toBe(0);
    expect(e.asn4(ip('1.0.4.0'))).toBe(0);
    expect(e.asn4(ip('1.0.3.255'))).toBe(4134);
    expect(e.asn4(ip('128.0.0.1'))).toBe(0);
  });

  it('handles 0.0.0.0 and 255.255.255.255, given unsigned or signed', () => {
    expect(e.asn4(0)).toBe(1);
    expect(e.asn4(0xffffffff)).toBe(65535);
    expect(e.asn4(-1)).toBe(65535);
    expect(e.asn4(0xffffff00 | 0)).toBe(65535);
    expect(e.asn4(0xfffffeff)).toBe(0);
  });

  it('returns interned country codes and org names', () => {
    expect(e.country4(ip('1.0.0.7'))).toBe('AU');
    expect(e.country4(ip('1.0.1.7'))).toBe('');
    expect(e.country4(ip('1.0.0.7'))).toBe(e.country4(ip('1.0.0.8')));
    expect(e.orgOfAsn(13335)).toBe('Cloudflare, Inc.');
    expect(e.orgOfAsn(4134)).toBe('');
    expect(e.orgOfAsn(0xffffffff)).toBe('');
    expect(e.empty).toBe(false);
  });

  it('looks up IPv6, and IPv4-mapped addresses in the IPv4 tables', () => {
    const buf = new Uint8Array(40);
    buf.set(ipBytes('2001:db8::1'), 3);
    expect(e.asn6(buf, 3)).toBe(64500);
    expect(e.country6(buf, 3)).toBe('JP');
    buf.set(ipBytes('2001:db8:1::1'), 20);
    expect(e.country6(buf, 20)).toBe('');
    expect(e.asn6(buf, 20)).toBe(64500);
    expect(e.asn6(ipBytes('2001:db9::'), 0)).toBe(0);
    expect(e.asn6(ipBytes('1.0.0.9'), 0)).toBe(13335);
    expect(e.country6(ipBytes('::ffff:1.0.0.9'), 0)).toBe('AU');
    expect(e.asn6(ipBytes('::'), 0)).toBe(7);
    expect(e.asn6(ipBytes('::100'), 0)).toBe(0);
    expect(e.asn6(ipBytes('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 0)).toBe(9);
    expect(e.asn6(ipBytes('ffff:ffff:ffff:ffff:ffff:ffff:ffff:feff'), 0)).toBe(0);
  });

  it('is empty without data and answers 0 / ""', () => {
    const none = createEnricher({});
    expect(none.empty).toBe(true);
    expect(none.asn4(0)).toBe(0);
    expect(none.asn4(-1)).toBe(0);
    expect(none.country4(123)).toBe('');
    expect(none.asn6(ipBytes('2001:db8::1'), 0)).toBe(0);
    expect(none.country6(ipBytes('1.2.3.4'), 0)).toBe('');
    expect(none.orgOfAsn(1)).toBe('');
  });

  it('agrees with a linear scan on random tables', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const rows: { start: number; end: number; asn: number }[] = [];
    let at = 0;
    for (let i = 0; i < 2000; i++) {
      at += (rand() % 5_000_000) + 1;
      const end = Math.min(at + (rand() % 3_000_000), 0xffffffff);
      if (at > 0xffffffff) break;
      rows.push({ start: at, end, asn: (i % 1000) + 1 });
      at = end + 1;
    }
    const t = enricherFromRows({ asn: rows });
    for (let i = 0; i < 20000; i++) {
      const probe = i < 10 ? rows[i].start : rand();
      const hit = rows.find((r) => r.start <= probe && probe <= r.end);
      expect(t.asn4(probe)).toBe(hit ? hit.asn : 0);
    }
  });
});

describe('ip text', () => {
  it('parses and refuses addresses', () => {
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('1.2.3')).toBe(-1);
    expect(parseIPv4('01.2.3.4')).toBe(-1);
    expect(parseIPv4('1.2.3.256')).toBe(-1);
    expect(parseIPv6('::')).toBe(0n);
    expect(parseIPv6('::ffff:1.2.3.4')).toBe((0xffffn << 32n) | 0x01020304n);
    expect(parseIPv6('2001:db8::1')).toBe((0x20010db8n << 96n) | 1n);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n);
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
  });
});
