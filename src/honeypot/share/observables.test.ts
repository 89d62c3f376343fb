/**
 * The pieces that decide what a honeypot observable becomes: patterns that the hub's STIX pattern
 * evaluator matches against the very value (quotes and backslashes included), hosts as attackers
 * spell them, URLs a consumer can parse, benign names and their subdomains, operators' name
 * lists with bad lines reported, and the confidence rule.
 */
import { describe, expect, it } from 'vitest';
import { parsePattern, evaluate } from '../../share/stix/pattern/index.js';
import { CidrSet } from '../../net/cidr-set.js';
import { DomainList, parseDomainList, reservedDomain } from './benign-domains.js';
import { honeypotConfidence, honeypotPattern } from './honeypot-indicator-objects.js';
import { normaliseHost, readUrl, urlExclusion, type HoneypotExclusionSets } from './observable-exclusions.js';

const matches = (pattern: string, sco: Record<string, unknown>): boolean => {
  const p = parsePattern(pattern);
  if (!p.ok) throw new Error(`${pattern}: ${p.error.message}`);
  const e = evaluate(p.pattern, [{ time: 0, objects: [sco] }]);
  if (!e.evaluable) throw new Error(e.reason);
  return e.matched;
};

describe('honeypot observables', () => {
  it('makes patterns that match exactly the value, escaping quotes and backslashes', () => {
    const url = "http://evil.example/a'b\\c.sh";
    expect(honeypotPattern('url', url)).toBe("[url:value = 'http://evil.example/a\\'b\\\\c.sh']");
    expect(matches(honeypotPattern('url', url), { type: 'url', value: url })).toBe(true);
    expect(matches(honeypotPattern('url', url), { type: 'url', value: 'http://evil.example/ab.sh' })).toBe(false);
    expect(matches(honeypotPattern('host', 'evil.example'), { type: 'domain-name', value: 'evil.example' })).toBe(true);
    expect(matches(honeypotPattern('host', '45.77.11.5'), { type: 'ipv4-addr', value: '45.77.11.5' })).toBe(true);
    expect(honeypotPattern('host', '2a01:4f8::1')).toBe("[ipv6-addr:value = '2a01:4f8::1']");
    expect(parsePattern(honeypotPattern('hash', 'ab'.repeat(32))).ok).toBe(true);
  });

  it('reads hosts and URLs as attackers write them', () => {
    expect(normaliseHost('0xcb00710a')).toEqual({ host: '203.0.113.10', ip: true });
    expect(normaliseHost('3405803786')).toEqual({ host: '203.0.113.10', ip: true });
    expect(normaliseHost('[2A01:4F8::1]')).toEqual({ host: '2a01:4f8::1', ip: true });
    expect(normaliseHost('::ffff:45.77.11.5')).toEqual({ host: '45.77.11.5', ip: true });
    expect(normaliseHost('Evil.EXAMPLE')).toEqual({ host: 'evil.example', ip: false });
    expect(normaliseHost('not a host')).toBeUndefined();
    expect(readUrl('http://evil.example/x.sh')?.host).toEqual({ host: 'evil.example', ip: false });
    for (const bad of ['http://evil.example/a b', 'javascript:alert(1)', 'http://evil.example/\u0000', `http://e.example/${'a'.repeat(2100)}`, 'wget http://x', '']) expect(readUrl(bad), bad).toBeUndefined();
    expect(readUrl('tftp://45.77.11.5/mips')?.host).toEqual({ host: '45.77.11.5', ip: true });
  });

  it('knows benign names and their subdomains, and reads an operator\'s list with its bad lines', () => {
    const l = new DomainList(['GitHub.com.', 'example.net']);
    expect(l.has('github.com')).toBe(true);
    expect(l.has('raw.github.com')).toBe(true);
    expect(l.has('notgithub.com')).toBe(false);
    expect(l.has('example.net.evil.example')).toBe(false);
    expect(reservedDomain('printer.local')).toBe(true);
    expect(reservedDomain('localhost')).toBe(true);
    expect(reservedDomain('evil.example')).toBe(false);
    expect(parseDomainList('# benign\nfoo.example\n*.bar.example  # comment\nnot a name\n\n')).toEqual({ names: ['foo.example', 'bar.example'], issues: [{ line: 4, message: 'not a domain name: "not a name"' }] });
    expect(parseDomainList('{"name": "x", "type": "hostname", "list": ["a.example", 7, "b.example"]}')).toEqual({ names: ['a.example', 'b.example'], issues: [{ line: 2, message: 'list[1]: not a string' }] });
    expect(parseDomainList('{"list": ').issues[0]?.message).toMatch(/^not JSON/);
  });

  it('publishes a URL on a benign domain only when a file came from it', () => {
    const sets: HoneypotExclusionSets = { shared: { ownSensors: new CidrSet([]), warningLists: new CidrSet(['45.77.12.0/24']), dosMinPackets: 0 }, honeypots: new CidrSet([]), benign: new DomainList(['githubusercontent.com']) };
    expect(urlExclusion('http://raw.githubusercontent.com/x/y.sh', false, sets)).toBe('benign-domain');
    expect(urlExclusion('http://raw.githubusercontent.com/x/y.sh', true, sets)).toBeUndefined();
    expect(urlExclusion('http://45.77.12.9/y.sh', true, sets)).toBe('warning-list');
    expect(urlExclusion('http://10.0.0.1/y.sh', true, sets)).toBe('reserved');
  });

  it('raises confidence with sources, sessions and a delivered file, within 50 to 95', () => {
    expect(honeypotConfidence({ sources: 1, sessions: 1, delivered: false })).toBe(50);
    expect(honeypotConfidence({ sources: 2, sessions: 2, delivered: true })).toBe(70);
    expect(honeypotConfidence({ sources: 1, sessions: 4, delivered: false })).toBe(56);
    expect(honeypotConfidence({ sources: 50, sessions: 500, delivered: true })).toBe(95);
    expect(honeypotConfidence({ sources: 0, sessions: 0, delivered: false })).toBe(50);
  });
});
