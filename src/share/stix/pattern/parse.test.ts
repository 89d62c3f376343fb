import { describe, expect, it } from 'vitest';
import type { ObservationExpression } from './ast.js';
import { MAX_NESTING, parsePattern } from './parse.js';
import { SPEC_PATTERNS } from './spec-examples.js';

const parsed = (p: string): ObservationExpression => {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(`${r.error.message} (column ${r.error.column})`);
  return r.pattern;
};

describe('parsePattern: the specification\'s patterns', () => {
  for (const p of SPEC_PATTERNS) it(p.slice(0, 90), () => expect(parsePattern(p)).toMatchObject({ ok: true }));
});

describe('parsePattern: trees', () => {
  it('gives AND precedence over OR in comparisons, left to right', () => {
    const e = parsed("[a:b = 'W' AND a:c = 'X' OR a:d = 'Z']");
    expect(e).toMatchObject({ kind: 'observation', comparison: { kind: 'or', left: { kind: 'and' }, right: { kind: 'compare', operator: '=' } } });
  });

  it('orders observation operators AND > OR > FOLLOWEDBY and binds qualifiers to the nearest expression', () => {
    expect(parsed('[a:b = 1] FOLLOWEDBY [a:b = 2] OR [a:b = 3] AND [a:b = 4]')).toMatchObject({
      kind: 'followedby', left: { kind: 'observation' }, right: { kind: 'or', right: { kind: 'and' } },
    });
    // "[ b ] FOLLOWEDBY [ c ] REPEATS 5 TIMES": REPEATS applies to c only.
    expect(parsed('[a:b = 1] FOLLOWEDBY [a:c = 2] REPEATS 5 TIMES')).toMatchObject({ kind: 'followedby', right: { kind: 'qualified', qualifier: { kind: 'repeats', times: 5 } } });
    expect(parsed('([a:b = 1] FOLLOWEDBY [a:c = 2]) REPEATS 5 TIMES WITHIN 1.5 SECONDS')).toMatchObject({
      kind: 'qualified', qualifier: { kind: 'within', seconds: 1.5 }, expression: { kind: 'qualified', qualifier: { kind: 'repeats' }, expression: { kind: 'followedby' } },
    });
  });

  it('reads constants: escapes, numbers, booleans, binary, hex, timestamps, sets', () => {
    const c = (p: string) => (parsed(p) as { comparison: { value: unknown } }).comparison.value;
    expect(c("[a:b = 'it\\'s a \\\\ path']")).toEqual({ kind: 'string', value: "it's a \\ path" });
    expect(c('[a:b = -12]')).toEqual({ kind: 'int', value: -12 });
    expect(c('[a:b = .5]')).toEqual({ kind: 'float', value: 0.5 });
    expect(c('[a:b = -0.25]')).toEqual({ kind: 'float', value: -0.25 });
    expect(c('[a:b = true]')).toEqual({ kind: 'bool', value: true });
    expect(c("[a:b = h'ffd8']")).toEqual({ kind: 'hex', value: Uint8Array.from([0xff, 0xd8]) });
    expect(c("[a:b = b'AAE=']")).toEqual({ kind: 'binary', value: Uint8Array.from([0, 1]) });
    expect(c("[a:b = t'2016-01-01T00:00:00.123456Z']")).toEqual({ kind: 'timestamp', value: '2016-01-01T00:00:00.123456Z' });
    expect(c("[a:b IN ('x', 'y')]")).toEqual([{ kind: 'string', value: 'x' }, { kind: 'string', value: 'y' }]);
    expect(c('[a:b IN (1, 2.5)]')).toHaveLength(2);
  });

  it('reads object paths: quoted keys, list indexes, [*], references, extensions', () => {
    const path = (p: string) => (parsed(p) as { comparison: { path: unknown } }).comparison.path;
    expect(path("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]")).toEqual({
      objectType: 'file', column: 2,
      steps: [{ kind: 'property', name: 'extensions' }, { kind: 'property', name: 'windows-pebinary-ext' }, { kind: 'property', name: 'sections' }, { kind: 'every' }, { kind: 'property', name: 'entropy' }],
    });
    expect(path("[network-traffic:protocols[0] = 'ipv4']")).toMatchObject({ steps: [{ kind: 'property', name: 'protocols' }, { kind: 'index', index: 0 }] });
    expect(path("[file:'name' = 'x']")).toMatchObject({ steps: [{ kind: 'property', name: 'name' }] });
    expect(parsed("[a:b NOT LIKE 'x%']")).toMatchObject({ comparison: { negated: true, operator: 'LIKE' } });
    expect(parsed('[EXISTS windows-registry-key:values]')).toMatchObject({ comparison: { kind: 'exists' } });
    expect(parsed("[a:b == 'x' AND a:c <> 'y']")).toMatchObject({ comparison: { left: { operator: '=' }, right: { operator: '!=' } } });
  });

  it('accepts white space, line feeds and comments between tokens', () => {
    expect(parsePattern("[\n  ipv4-addr:value\t=\r\n'198.51.100.1' /* a comment */ ]\n// trailing\n").ok).toBe(true);
  });
});

describe('parsePattern: errors with their reason and column', () => {
  /** [pattern, what the message says, the text the column points at (its first occurrence) or a column]. */
  const cases: [string, RegExp, string | number][] = [
    ['', /empty/, 1],
    ['   ', /empty/, 4],
    ['[file:size = 25536', /expected "\]" to close the "\[" at column 1, found the end/, 19],
    ['file:size = 25536', /expected "\[" or "\(", found "file": a comparison must be inside \[ \]/, 1],
    ['[file:name = "foo.dll"]', /unexpected character """ \(strings are quoted with '\)/, '"'],
    ["[file:hashes.SHA-256 = 'x']", /contains "-" and must be quoted \('SHA-256'\)/, 'SHA'],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN -5 SECONDS", /WITHIN needs a positive number, not -5/, '-5'],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 5 MINUTES", /expected SECONDS after WITHIN 5, found "MINUTES"/, 'MINUTES'],
    ["[ipv4-addr:value = '1.2.3.4'] REPEATS 0 TIMES", /REPEATS needs a positive number, not 0/, '0 T'],
    ["[ipv4-addr:value = '1.2.3.4'] REPEATS 1.5 TIMES", /REPEATS needs a positive integer, found "1.5"/, '1.5'],
    ["[file:magic_number_hex = h'ffd']", /not an even number of hexadecimal digits/, "h'"],
    ["[artifact:payload_bin = b'AB=C']", /not valid base64/, "b'"],
    ["[file:created = t'2014-13-13T07:03:17Z']", /is not a STIX timestamp/, "t'"],
    ["[file:created = t'2014-01-13T07:03:17+09:00']", /is not a STIX timestamp/, "t'"],
    ['[a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS', /must not have two WITHIN qualifiers/, 'WITHIN 6'],
    ["[a:b = 1] START t'2016-01-01T00:00:00Z' STOP t'2015-01-01T00:00:00Z'", /STOP 2015-01-01T00:00:00Z must be later than START/, "t'2015"],
    ["[ipv4-addr:value ISSUBSET '198.51.100.0/33']", /ISSUBSET needs an IPv4 or IPv6 address or CIDR block/, "'198"],
    ['[ipv4-addr:value ISSUBSET 5]', /ISSUBSET needs a string constant, not a int/, '5'],
    ["[ipv4-addr:value = 'x'] AND", /expected "\[" or "\(", found the end of the pattern/, 28],
    ["[file:name = 'a\\b']", /"\\b" is not an escape: only \\' and \\\\ are/, '\\'],
    ["[file:name = 'abc", /unterminated string/, "'abc"],
    ['[file:size > true]', /> cannot compare with a boolean/, 'true'],
    ["[file:name IN ('a', 1)]", /must all be of one type \(string and int\)/, '1)'],
    ['[file:name IN ()]', /at least one constant/, ')]'],
    ['[file:size = +5]', /written without "\+"/, '+5'],
    ["[network-traffic:protocols[-1] = 'tcp']", /a list index is a non-negative integer or \*, not "-1"/, '-1'],
    ['[]', /must hold a comparison/, ']'],
    ["([file:name = 'a']", /expected "\)" to close the "\(" at column 1, found the end/, 19],
    ["[file:name = 'a']]", /"\]" without a matching "\["/, 18],
    ["[File:name = 'a']", /"File" is not an object type/, 'File'],
    ["[file:name = 'a' and file:size = 1]", /expected "\]" to close the "\[" at column 1, found "and"/, 'and'],
    ["[file:name = 'a' AND ipv4-addr:value = '1.2.3.4']", /AND joins comparisons on different object types \(file and ipv4-addr\)/, 'AND'],
    ["[file:name 'a']", /expected a comparison operator/, "'a'"],
    ['[file:name = foo]', /expected a constant, found "foo" \(strings are quoted with '\)/, 'foo'],
    ["[file:name = 'a'] [file:name = 'b']", /expected AND, OR, FOLLOWEDBY or a qualifier, found "\["/, 19],
    ["[[file:name = 'a']]", /observation expressions do not nest/, 2],
    ['[file:size = 12abc]', /unexpected "a" after the number 12/, 'abc'],
    ['[file:size = 007]', /leading zero/, '007'],
    ["[file:name = 'a'] /* open", /unterminated comment/, '/*'],
    ["[file:size = 99999999999999999999]", /outside the range/, '999'],
    ["[😀file:name = 'a']", /unexpected character "\ud83d"/, 2],
    ["[file:name = '😀'] AND [", /found the end of the pattern/, 24],
  ];
  for (const [p, message, at] of cases) {
    it(`${JSON.stringify(p)}`, () => {
      const r = parsePattern(p);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toMatch(message);
      const column = typeof at === 'number' ? at : [...p.slice(0, p.indexOf(at))].length + 1;
      expect(r.error.column).toBe(column);
    });
  }

  it('refuses nesting deeper than MAX_NESTING instead of overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}[a:b = 1]${')'.repeat(5000)}`;
    const r = parsePattern(deep);
    expect(r).toMatchObject({ ok: false, error: { column: MAX_NESTING + 1 } });
    expect(parsePattern(`${'('.repeat(50)}[a:b = 1]${')'.repeat(50)}`).ok).toBe(true);
    const deepCmp = `[${'('.repeat(5000)}a:b = 1${')'.repeat(5000)}]`;
    expect(parsePattern(deepCmp).ok).toBe(false);
  });
});
