import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../../errors.js';
import { parseCidr } from '../../net/cidr.js';
import { formatIPv6 } from '../../net/ip.js';
import { CidrSet } from '../../net/cidr-set.js';
import { ScopeGuard } from './scope-guard.js';
import type { Scope } from './scope.js';

const scope: Scope = {
  id: 's1', name: 'lab', owner: 'CERT', legalBasis: 'contract', note: '', credentialChecks: false,
  cidrs: ['10.0.0.0/24', '192.0.2.128/25', '2001:db8::/64'],
  validFrom: new Date('2026-01-01T00:00:00Z'), validTo: new Date('2026-12-31T00:00:00Z'),
};
const now = Date.parse('2026-06-01T00:00:00Z');
const guard = new ScopeGuard(scope, [
  { scopeId: 's1', cidr: '10.0.0.128/26', reason: 'customer opt-out' },
  { scopeId: null, cidr: '192.0.2.255/32', reason: 'broadcast' },
  { scopeId: 'other', cidr: '10.0.0.0/24', reason: 'not ours' },
  { scopeId: null, cidr: '2001:db8::ff/128', reason: 'router' },
]);

describe('CIDR parsing', () => {
  it('parses, normalises and refuses bad networks with the text in the error', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, lo: 0x0a000000, hi: 0x0affffff });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ lo: 0, hi: 0xffffffff });
    expect(parseCidr('1.2.3.4')).toMatchObject({ lo: 0x01020304, hi: 0x01020304, text: '1.2.3.4/32' });
    expect(parseCidr('::ffff:10.0.0.0/120')).toMatchObject({ family: 4, lo: 0x0a000000, hi: 0x0a0000ff, text: '10.0.0.0/24' });
    expect(parseCidr('2001:DB8::/32').text).toBe('2001:db8::/32');
    expect(() => parseCidr('10.0.0.1/24')).toThrow(/did you mean 10\.0\.0\.0\/24/);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(SakimoriError);
    expect(() => parseCidr('banana/8')).toThrow(/banana/);
    expect(() => parseCidr('2001:db8::1/64')).toThrow(/bits set/);
    expect(formatIPv6(0n)).toBe('::');
    expect(formatIPv6(1n)).toBe('::1');
    expect(formatIPv6(0x20010db8000000000001000000000001n)).toBe('2001:db8::1:0:0:1');
  });
});

describe('CidrSet', () => {
  it('merges overlapping and adjacent ranges and finds edges', () => {
    const s = new CidrSet(['10.0.0.0/25', '10.0.0.128/25', '10.0.0.64/26', '255.255.255.255/32', '0.0.0.0/32']);
    expect(s.size4).toBe(258);
    for (const [ip, yes] of [[0, true], [1, false], [0x0a000000, true], [0x0a0000ff, true], [0x0a000100, false], [0x09ffffff, false], [0xffffffff, true], [0xfffffffe, false]] as const) {
      expect(s.has4(ip), String(ip)).toBe(yes);
    }
    expect(s.at4(0)).toBe(0);
    expect(s.at4(1)).toBe(0x0a000000);
    expect(s.at4(256)).toBe(0x0a0000ff);
    expect(s.at4(257)).toBe(0xffffffff);
  });

  it('numbers IPv6 after IPv4 and keeps exact sizes beyond 2^53', () => {
    const s = new CidrSet(['2001:db8::/64', '192.0.2.0/31']);
    expect(s.size).toBe(2n + (1n << 64n));
    expect(s.at(2n)).toEqual({ family: 6, value: 0x20010db8000000000000000000000000n });
    expect(s.at(2n + (1n << 64n) - 1n)).toEqual({ family: 6, value: 0x20010db800000000ffffffffffffffffn });
  });

  it('agrees with a naive check on random sets (fixed seed)', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const ranges: [number, number][] = [];
    const cidrs: string[] = [];
    for (let i = 0; i < 200; i++) {
      const len = 16 + Math.floor(rnd() * 17);
      const size = 2 ** (32 - len);
      const lo = Math.floor((rnd() * 2 ** 32) / size) * size;
      ranges.push([lo, lo + size - 1]);
      cidrs.push(`${lo >>> 24}.${(lo >>> 16) & 255}.${(lo >>> 8) & 255}.${lo & 255}/${len}`);
    }
    const s = new CidrSet(cidrs);
    for (let i = 0; i < 5000; i++) {
      const r = ranges[Math.floor(rnd() * ranges.length)] as [number, number];
      const ip = rnd() < 0.5 ? Math.floor(rnd() * 2 ** 32) : [r[0], r[1], r[0] - 1, r[1] + 1][Math.floor(rnd() * 4)] as number;
      if (ip < 0 || ip > 0xffffffff) continue;
      expect(s.has4(ip)).toBe(ranges.some(([a, b]) => ip >= a && ip <= b));
    }
  });
});

describe('ScopeGuard.checkTarget', () => {
  const code = (ip: string, t = now): string | undefined => guard.checkTarget(ip, t)?.code;

  it('allows targets inside the CIDRs, at both edges', () => {
    for (const ip of ['10.0.0.0', '10.0.0.1', '10.0.0.127', '10.0.0.192', '10.0.0.255', '192.0.2.128', '192.0.2.254', '2001:db8::1', '2001:db8::ffff:ffff:ffff:ffff']) {
      expect(guard.checkTarget(ip, now), ip).toBeUndefined();
    }
  });

  it('refuses targets just outside, naming the target and the scope', () => {
    for (const ip of ['9.255.255.255', '10.0.1.0', '192.0.2.127', '2001:db8:0:1::', '::1', '127.0.0.1']) {
      const e = guard.checkTarget(ip, now);
      expect(e?.code, ip).toBe('SCOPE_DENIED');
      expect(e?.message).toContain('outside the CIDRs of scope "lab"');
    }
  });

  it('lets exclusions win and says which rule', () => {
    expect(guard.checkTarget('10.0.0.128', now)?.message).toMatch(/excluded by scope exclusion 10\.0\.0\.128\/26 \(customer opt-out\)/);
    expect(code('10.0.0.191')).toBe('SCOPE_DENIED');
    expect(guard.checkTarget('192.0.2.255', now)?.message).toMatch(/global exclusion 192\.0\.2\.255\/32 \(broadcast\)/);
    expect(guard.checkTarget('2001:db8::ff', now)?.message).toMatch(/router/);
  });

  it('ignores exclusions of other scopes', () => {
    expect(code('10.0.0.5')).toBeUndefined();
  });

  it('treats IPv4-mapped IPv6 as IPv4 (no bypass of IPv4 rules)', () => {
    expect(code('::ffff:10.0.0.5')).toBeUndefined();
    expect(code('::ffff:10.0.0.130')).toBe('SCOPE_DENIED');
    expect(code('::ffff:10.0.1.1')).toBe('SCOPE_DENIED');
  });

  it('refuses before and after the validity window with SCOPE_EXPIRED', () => {
    expect(code('10.0.0.5', scope.validFrom.getTime() - 1)).toBe('SCOPE_EXPIRED');
    expect(code('10.0.0.5', scope.validFrom.getTime())).toBeUndefined();
    expect(guard.checkTarget('10.0.0.5', scope.validTo.getTime())?.message).toMatch(/no longer valid.*10\.0\.0\.5 refused/);
    expect(guard.checkTarget('10.0.0.5', scope.validFrom.getTime() - 1)?.message).toMatch(/not valid yet/);
  });

  it('refuses text that is not an address', () => {
    expect(code('10.0.0')).toBe('SCOPE_DENIED');
    expect(code('example.com')).toBe('SCOPE_DENIED');
    expect(code('010.0.0.1')).toBe('SCOPE_DENIED');
  });

  it('is fast: a million checks against 10,000 ranges well under a second', () => {
    const cidrs = Array.from({ length: 10_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/28`);
    const g = new ScopeGuard({ ...scope, cidrs }, []);
    const t0 = performance.now();
    let n = 0;
    for (let i = 0; i < 1_000_000; i++) if (g.permits4(0x0a000000 + ((i * 2654435761) >>> 12))) n++;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(n).toBeGreaterThan(0);
  });
});
