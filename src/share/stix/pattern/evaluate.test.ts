import { describe, expect, it } from 'vitest';
import { evaluate, MAX_BINDINGS, type PatternObservation } from './evaluate.js';
import { parsePattern } from './parse.js';

const ip4 = (id: string, value: string) => ({ type: 'ipv4-addr', id: `ipv4-addr--${id}`, value });
/** Four observations: a scanner address at 0 s, a telnet flow at 10 s, a domain and URL at 100 s, an IPv6 address at 200 s. */
const OBS: PatternObservation[] = [
  { time: 0, objects: [ip4('00000000-0000-5000-8000-000000000001', '198.51.100.5')] },
  {
    time: 10_000,
    objects: [
      ip4('00000000-0000-5000-8000-000000000002', '203.0.113.9'), ip4('00000000-0000-5000-8000-000000000003', '198.51.100.10'),
      { type: 'network-traffic', id: 'network-traffic--00000000-0000-5000-8000-000000000004', src_ref: 'ipv4-addr--00000000-0000-5000-8000-000000000002', dst_ref: 'ipv4-addr--00000000-0000-5000-8000-000000000003', src_port: 40000, dst_port: 23, protocols: ['ipv4', 'tcp'] },
    ],
  },
  { time: 100_000, objects: [{ type: 'domain-name', id: 'domain-name--00000000-0000-5000-8000-000000000005', value: 'example.com' }, { type: 'url', value: 'http://example.com/foo' }] },
  { time: 200_000, objects: [{ type: 'ipv6-addr', value: '2001:db8::1' }] },
];

function run(p: string, obs: readonly PatternObservation[] = OBS) {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(`${p}: ${r.error.message}`);
  return evaluate(r.pattern, obs);
}
const matches = (p: string): readonly number[] | false => {
  const e = run(p);
  if (!e.evaluable) throw new Error(e.reason);
  return e.matched ? e.observations : false;
};

describe('evaluate: comparisons on one observation', () => {
  it('IP equality and CIDRs', () => {
    expect(matches("[ipv4-addr:value = '198.51.100.5']")).toEqual([0]);
    expect(matches("[ipv4-addr:value = '198.51.100.5/32']")).toEqual([0]);
    expect(matches("[ipv4-addr:value = '198.51.100.6']")).toBe(false);
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/24']")).toEqual([0]);
    expect(matches("[ipv4-addr:value ISSUBSET '203.0.113.0/24']")).toEqual([1]);
    expect(matches("[ipv4-addr:value ISSUPERSET '198.51.100.5']")).toEqual([0]);
    expect(matches("[ipv6-addr:value ISSUBSET '2001:db8::/32']")).toEqual([3]);
    expect(matches("[ipv6-addr:value ISSUBSET '198.51.100.0/24']")).toBe(false);
    expect(matches("[ipv4-addr:value IN ('192.0.2.1', '203.0.113.9')]")).toEqual([1]);
  });

  it('ports, protocols and references within the observation', () => {
    expect(matches('[network-traffic:dst_port = 23]')).toEqual([1]);
    expect(matches('[network-traffic:dst_port = 22]')).toBe(false);
    expect(matches('[network-traffic:dst_port IN (22, 23, 2323)]')).toEqual([1]);
    expect(matches('[network-traffic:src_port > 1023 AND network-traffic:dst_port < 1024]')).toEqual([1]);
    expect(matches("[network-traffic:protocols[*] = 'tcp']")).toEqual([1]);
    expect(matches("[network-traffic:protocols[0] = 'tcp']")).toBe(false);
    expect(matches("[network-traffic:protocols[5] = 'tcp']")).toBe(false);
    expect(matches("[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24' AND network-traffic:dst_port = 23]")).toEqual([1]);
    expect(matches("[network-traffic:src_ref.value ISSUBSET '198.51.100.0/24' AND network-traffic:dst_port = 23]")).toBe(false);
    expect(matches("[network-traffic:dst_ref.type = 'ipv4-addr']")).toEqual([1]);
  });

  it('domain names and URLs: =, LIKE, MATCHES', () => {
    expect(matches("[domain-name:value = 'example.com']")).toEqual([2]);
    expect(matches("[url:value LIKE 'http://example.com/%']")).toEqual([2]);
    expect(matches("[url:value LIKE 'http://example.com/f_o']")).toEqual([2]);
    expect(matches("[url:value LIKE 'http://example.com/f_']")).toBe(false);
    expect(matches("[domain-name:value MATCHES '^exa.+\\\\.com$']")).toEqual([2]);
    expect(matches("[domain-name:value MATCHES 'ample']")).toEqual([2]); // search, not a full match
  });

  it('NOT, != and missing paths', () => {
    expect(matches("[ipv4-addr:value NOT = '198.51.100.5']")).toEqual([1]);
    expect(matches("[ipv4-addr:value != '198.51.100.5']")).toEqual([1]);
    // A path absent from the object makes the comparison false, negated or not.
    expect(matches('[network-traffic:src_byte_count NOT = 5]')).toBe(false);
    expect(matches('[EXISTS network-traffic:src_port]')).toEqual([1]);
    expect(matches('[EXISTS network-traffic:src_byte_count]')).toBe(false);
  });

  it('needs one root object for all the operands of AND', () => {
    // 198.51.100.10 and 203.0.113.9 are both in observation 1, but no single address is both.
    expect(matches("[ipv4-addr:value = '198.51.100.10' AND ipv4-addr:value = '203.0.113.9']")).toBe(false);
    expect(matches("[ipv4-addr:value = '198.51.100.10' OR ipv6-addr:value = '2001:db8::1']")).toEqual([1]);
  });
});

describe('evaluate: observation operators and qualifiers', () => {
  it('AND and OR across observations', () => {
    expect(matches("[ipv4-addr:value = '198.51.100.5'] AND [ipv6-addr:value = '2001:db8::1']")).toEqual([0, 3]);
    // AND needs different observations.
    expect(matches("[ipv4-addr:value = '198.51.100.5'] AND [ipv4-addr:value = '198.51.100.5']")).toBe(false);
    expect(matches("[ipv4-addr:value = '192.0.2.1'] OR [domain-name:value = 'example.com']")).toEqual([2]);
  });

  it('FOLLOWEDBY keeps time order', () => {
    expect(matches("[ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [domain-name:value = 'example.com']")).toEqual([0, 2]);
    expect(matches("[domain-name:value = 'example.com'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.5']")).toBe(false);
  });

  it('WITHIN: the latest before the earliest plus the window', () => {
    expect(matches("([ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 100 SECONDS")).toBe(false);
    expect(matches("([ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 100.001 SECONDS")).toEqual([0, 2]);
  });

  it('REPEATS: that many different observations', () => {
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/24'] REPEATS 2 TIMES")).toEqual([0, 1]);
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/24'] REPEATS 3 TIMES")).toBe(false);
    expect(matches("[ipv4-addr:value ISSUBSET '0.0.0.0/0' OR domain-name:value LIKE '%'] REPEATS 3 TIMES WITHIN 101 SECONDS")).toEqual([0, 1, 2]);
    expect(matches("[ipv4-addr:value ISSUBSET '0.0.0.0/0' OR domain-name:value LIKE '%'] REPEATS 3 TIMES WITHIN 100 SECONDS")).toBe(false);
  });

  it('START/STOP: observed at or after START and before STOP', () => {
    expect(matches("[ipv4-addr:value = '198.51.100.5'] START t'1970-01-01T00:00:00Z' STOP t'1970-01-01T00:00:00.001Z'")).toEqual([0]);
    expect(matches("[ipv4-addr:value = '198.51.100.5'] START t'1970-01-01T00:00:00.001Z' STOP t'1970-01-02T00:00:00Z'")).toBe(false);
    expect(matches("[network-traffic:dst_port = 23] START t'1970-01-01T00:00:00Z' STOP t'1970-01-01T00:00:10Z'")).toBe(false);
  });
});

describe('evaluate: what it does not judge', () => {
  it('says a pattern on object types we do not hold is not evaluable', () => {
    expect(run("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] OR [ipv4-addr:value = '198.51.100.5']")).toEqual({
      evaluable: false, reason: 'object type file (column 2) is not among the observations this hub holds (ipv4-addr, ipv6-addr, domain-name, url, network-traffic)',
    });
  });

  it('says so for a regular expression JavaScript cannot run', () => {
    const e = run("[domain-name:value MATCHES 'a++']");
    expect(e.evaluable).toBe(false);
    if (!e.evaluable) expect(e.reason).toMatch(/regular expression at column 2 is not one JavaScript can run/);
  });

  it('reports an incomplete search instead of a silent false', () => {
    const many: PatternObservation[] = Array.from({ length: 200 }, (_, i) => ({ time: i, objects: [ip4(`00000000-0000-5000-8000-${String(i).padStart(12, '0')}`, '192.0.2.1')] }));
    const e = run("[ipv4-addr:value = '192.0.2.1'] REPEATS 3 TIMES", many);
    expect(e).toMatchObject({ evaluable: true, matched: true, complete: false });
    expect(MAX_BINDINGS).toBeLessThan(200 * 199);
    expect(run("[ipv4-addr:value = '192.0.2.1']", many)).toMatchObject({ matched: true, complete: true });
  });
});
