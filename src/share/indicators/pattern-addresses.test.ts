import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { parseIpBigint } from '../../net/ip.js';
import { addressBlocks, namesAddress } from './pattern-addresses.js';

const cidrs = (p: string): string[] | undefined => addressBlocks(p)?.map((b) => b.cidr);

describe('address blocks of a STIX pattern, through matchTerms and evaluate', () => {
  it('reads addresses and CIDRs an observation of one address satisfies alone', () => {
    expect(cidrs("[ipv4-addr:value = '198.51.100.1']")).toEqual(['198.51.100.1/32']);
    expect(cidrs("[ipv4-addr:value ISSUBSET '198.51.100.0/24' OR ipv6-addr:value = '2001:DB8::1']")).toEqual(['198.51.100.0/24', '2001:db8::1/128']);
    expect(cidrs("[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2')]")).toEqual(['198.51.100.1/32', '198.51.100.2/32']);
    expect(cidrs("[ipv4-addr:value = '198.51.100.1'] WITHIN 5 SECONDS")).toEqual(['198.51.100.1/32']);
    expect(cidrs("[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'x.example']")).toEqual(['198.51.100.1/32']);
    expect(cidrs("[network-traffic:dst_ref.value = '198.51.100.1']"), 'a traffic end: a C&C server').toEqual(['198.51.100.1/32']);
  });

  it('names nothing when an address does not stand for the pattern', () => {
    for (const p of [
      "[ipv4-addr:value = '198.51.100.1'] AND [ipv4-addr:value = '198.51.100.2']",
      "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 23]",
      "[network-traffic:src_ref.value = '198.51.100.1' AND network-traffic:dst_ref.value = '198.51.100.2']",
      "[domain-name:value = 'example.com']",
      "[ipv4-addr:value = '198.51.100.1' OR file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      "[ipv4-addr:value != '198.51.100.1']",
      "ipv4-addr:value = '198.51.100.1'",
      '',
    ]) expect(addressBlocks(p), p).toBeUndefined();
  });

  it('says whether a pattern names an address', () => {
    const ip = (s: string) => parseIpBigint(s) ?? { family: 4 as const, value: 0n };
    expect(namesAddress("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ip('198.51.100.200'))).toBe(true);
    expect(namesAddress("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", ip('198.51.101.1'))).toBe(false);
    expect(namesAddress("[ipv6-addr:value = '2001:db8::1']", ip('2001:db8:0::1'))).toBe(true);
  });

  it('never throws or hangs on corrupted and truncated patterns (seeded fuzz)', () => {
    const rand = seededRandom(16_007);
    const seeds = ["[ipv4-addr:value = '198.51.100.1' OR ipv6-addr:value ISSUBSET '2001:db8::/32']", "[network-traffic:dst_ref.value = '10.0.0.1']"];
    const start = Date.now();
    for (let i = 0; i < 3000; i++) {
      const chars = [...(seeds[i % 2] as string)].slice(0, Math.floor(rand() * 90));
      for (let f = Math.floor(rand() * 4); f > 0 && chars.length > 0; f--) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(32 + Math.floor(rand() * 95));
      for (const b of addressBlocks(chars.join('')) ?? []) expect(b.lo <= b.hi).toBe(true);
    }
    expect(addressBlocks(`[${"ipv4-addr:value = '1.1.1.1' OR ".repeat(3000)}x]`)).toBeUndefined();
    expect(Date.now() - start).toBeLessThan(30_000);
  });
});
