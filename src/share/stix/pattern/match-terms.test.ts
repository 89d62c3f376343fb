import { describe, expect, it } from 'vitest';
import { matchTerms } from './match-terms.js';
import { parsePattern } from './parse.js';

const terms = (p: string) => {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(r.error.message);
  return matchTerms(r.pattern);
};

describe('matchTerms', () => {
  it('extracts addresses and blocks with their ranges', () => {
    const t = terms("[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.0/24' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']");
    expect(t.exhaustive).toBe(true);
    expect(t.terms).toEqual([
      { kind: 'ip', family: 4, lo: 0xc6336401n, hi: 0xc6336401n, bits: 32, text: '198.51.100.1/32' },
      { kind: 'ip', family: 4, lo: 0xcb007100n, hi: 0xcb0071ffn, bits: 24, text: '203.0.113.0/24' },
      { kind: 'ip', family: 6, lo: 0x20010db8deadbeefdeadbeefdead0001n, hi: 0x20010db8deadbeefdeadbeefdead0001n, bits: 128, text: '2001:0db8:dead:beef:dead:beef:dead:0001/128' },
    ]);
  });

  it('extracts ports, traffic ends, domains and URLs; AND needs the terms of one side only', () => {
    expect(terms("[network-traffic:dst_port = 23 AND network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']")).toEqual({
      exhaustive: true,
      terms: [{ kind: 'port', role: 'dst', port: 23 }, { kind: 'ip', family: 4, lo: 0xc6336400n, hi: 0xc63364ffn, bits: 24, text: '198.51.100.0/24', role: 'dst' }],
    });
    expect(terms("[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'Example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS")).toEqual({ exhaustive: true, terms: [{ kind: 'domain', value: 'example.com' }] });
    expect(terms("[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']").terms).toEqual([{ kind: 'url', value: 'http://example.com/foo' }, { kind: 'url', value: 'http://example.com/bar' }]);
    expect(terms('[network-traffic:src_port IN (23, 2323)]').terms).toEqual([{ kind: 'port', role: 'src', port: 23 }, { kind: 'port', role: 'src', port: 2323 }]);
  });

  it('says when the terms are not a sound pre-filter, and why', () => {
    const t = terms("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] OR [ipv4-addr:value = '198.51.100.5']");
    expect(t.exhaustive).toBe(false);
    expect(t.reason).toBe('file:hashes.MD5 = (column 2): not a path or constant we look up');
    expect(t.terms).toHaveLength(1);
    expect(terms("[ipv4-addr:value NOT = '198.51.100.5']")).toMatchObject({ exhaustive: false, terms: [], reason: 'ipv4-addr:value NOT = (column 2): a negated comparison' });
    expect(terms("[domain-name:value LIKE '%.example.com']")).toMatchObject({ exhaustive: false, reason: 'domain-name:value LIKE (column 2): LIKE cannot be looked up by value' });
    // FOLLOWEDBY: either side's terms find every match.
    expect(terms("[file:name = 'x'] FOLLOWEDBY [domain-name:value = 'example.com']")).toMatchObject({ exhaustive: true, terms: [{ kind: 'domain' }] });
  });
});
