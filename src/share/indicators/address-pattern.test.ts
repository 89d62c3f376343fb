import { describe, expect, it } from 'vitest';
import { addressTerms, singleAddress } from './address-pattern.js';
import { seededRandom } from '../../util/seeded-random.js';

describe('address terms of a STIX pattern', () => {
  it('reads address and CIDR comparisons joined by OR', () => {
    expect(addressTerms("[ipv4-addr:value = '198.51.100.1']")).toEqual([{ type: 'ipv4-addr', cidr: '198.51.100.1/32' }]);
    expect(addressTerms("[ipv4-addr:value ISSUBSET '198.51.100.0/24' OR ipv6-addr:value = '2001:db8::1']")).toEqual([
      { type: 'ipv4-addr', cidr: '198.51.100.0/24' }, { type: 'ipv6-addr', cidr: '2001:db8::1/128' },
    ]);
    expect(singleAddress("[ipv6-addr:value = '2001:DB8::1']")).toBe('2001:db8::1');
    expect(singleAddress("[ipv4-addr:value ISSUBSET '198.51.100.0/24']")).toBeUndefined();
  });

  it('answers undefined for what it cannot act on', () => {
    for (const p of [
      "[ipv4-addr:value = '198.51.100.1'] AND [ipv4-addr:value = '198.51.100.2']",
      "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 23]",
      "[domain-name:value = 'example.com']",
      "[ipv4-addr:value = '2001:db8::1']",
      "[ipv4-addr:value = '198.51.100.0/24']",
      "[ipv4-addr:value = '198.51.100.1'] WITHIN 5 SECONDS",
      "ipv4-addr:value = '198.51.100.1'",
      '',
    ]) expect(addressTerms(p), p).toBeUndefined();
  });

  it('never throws or hangs on corrupted and truncated patterns (seeded fuzz)', () => {
    const rand = seededRandom(16_006);
    const seeds = ["[ipv4-addr:value = '198.51.100.1' OR ipv6-addr:value ISSUBSET '2001:db8::/32']", "[ipv4-addr:value = '10.0.0.1']"];
    for (let i = 0; i < 5000; i++) {
      const chars = [...(seeds[i % 2] as string)].slice(0, Math.floor(rand() * 90));
      for (let f = Math.floor(rand() * 4); f > 0 && chars.length > 0; f--) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(32 + Math.floor(rand() * 95));
      const r = addressTerms(chars.join(''));
      if (r) for (const t of r) expect(t.cidr).toMatch(/\/\d+$/);
    }
    expect(addressTerms(`[${"ipv4-addr:value = '1.1.1.1' OR ".repeat(300)}x]`)).toBeUndefined();
  });
});
