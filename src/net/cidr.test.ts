import { describe, expect, it } from 'vitest';
import { cidrBounds, rangeToCidrs, splitRange } from './cidr.js';
import { formatBigintIp } from './ip.js';

describe('rangeToCidrs', () => {
  it('splits inetnum ranges into the fewest aligned blocks', () => {
    expect(rangeToCidrs('192.0.2.0 - 192.0.2.255')).toEqual(['192.0.2.0/24']);
    expect(rangeToCidrs('10.0.0.0-10.0.2.255')).toEqual(['10.0.0.0/23', '10.0.2.0/24']);
    expect(rangeToCidrs('198.51.100.1 - 198.51.100.6')).toEqual(['198.51.100.1/32', '198.51.100.2/31', '198.51.100.4/31', '198.51.100.6/32']);
    expect(rangeToCidrs('0.0.0.0 - 255.255.255.255')).toEqual(['0.0.0.0/0']);
  });
  it('normalises CIDRs (host bits cleared) and IPv6', () => {
    expect(rangeToCidrs('2001:db8:1::/48')).toEqual(['2001:db8:1::/48']);
    expect(rangeToCidrs('2001:DB8::1/32')).toEqual(['2001:db8::/32']);
    expect(rangeToCidrs('203.0.113.77/24')).toEqual(['203.0.113.0/24']);
  });
  it('rejects what is not a range', () => {
    for (const bad of ['', '192.0.2.0', '192.0.2.9 - 192.0.2.1', '192.0.2.0 - 2001:db8::', '10.0.0.0/33', 'AS64500', '1.2.3.4 - x']) expect(rangeToCidrs(bad), bad).toBeUndefined();
  });
  it('covers every address of a random range exactly once', () => {
    let seed = 7;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let k = 0; k < 200; k++) {
      const a = BigInt(rnd() % 100000);
      const b = a + BigInt(rnd() % 5000);
      const blocks = splitRange(4, a, b);
      let next = a;
      for (const c of blocks) {
        const [ip, bits] = c.split('/') as [string, string];
        const parts = ip.split('.').map(Number);
        const start = BigInt(((parts[0] as number) * 2 ** 24) + ((parts[1] as number) << 16) + ((parts[2] as number) << 8) + (parts[3] as number));
        expect(start).toBe(next);
        next = start + (1n << BigInt(32 - Number(bits)));
      }
      expect(next).toBe(b + 1n);
    }
  });
  it('prints IPv6 in the shortest form', () => {
    expect(formatBigintIp(6, 0n)).toBe('::');
    expect(formatBigintIp(6, (0x20010db8n << 96n) | 1n)).toBe('2001:db8::1');
  });
});

describe('cidrBounds', () => {
  it('bounds IPv4 CIDRs in the mapped range and IPv6 CIDRs as they are', () => {
    expect(cidrBounds('192.0.2.0/24')).toEqual(['0000:0000:0000:0000:0000:ffff:c000:0200', '0000:0000:0000:0000:0000:ffff:c000:02ff']);
    expect(cidrBounds('2001:db8::/32')[1]).toBe('2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(() => cidrBounds('nope')).toThrow(/not a CIDR/);
  });
});
