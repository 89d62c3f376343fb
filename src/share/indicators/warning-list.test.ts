import { describe, expect, it } from 'vitest';
import { parseWarningList } from './warning-list.js';
import { seededRandom } from '../../util/seeded-random.js';

describe('warning lists', () => {
  it('reads one address or CIDR per line, comments and blanks skipped, each once', () => {
    const r = parseWarningList('# research scanners\n192.0.2.1\n\n198.51.100.0/24  # a lab\n2001:db8::/32\n192.0.2.1\n');
    expect(r.prefixes).toEqual(['192.0.2.1/32', '198.51.100.0/24', '2001:db8::/32']);
    expect(r.issues).toEqual([]);
  });

  it('reports a bad line with its line and column and keeps the rest', () => {
    const r = parseWarningList('192.0.2.1\n   not-an-address\n10.0.0.1/24\n203.0.113.7\n');
    expect(r.prefixes).toEqual(['192.0.2.1/32', '203.0.113.7/32']);
    expect(r.issues).toHaveLength(2);
    expect(r.issues[0]).toMatchObject({ line: 2, column: 4 });
    expect(r.issues[0]?.message).toMatch(/not an address or CIDR/);
    expect(r.issues[1]).toMatchObject({ line: 3, column: 1 });
    expect(r.issues[1]?.message).toMatch(/bits set after the prefix/);
  });

  it('reads a MISP warninglist (cidr type) with its name, naming a bad entry by index and line', () => {
    const json = JSON.stringify({ name: 'Known research scanners', description: 'benign', type: 'cidr', version: 3, list: ['192.0.2.0/24', 'bogus', '2001:db8:1::/48', 7] }, null, 2);
    const r = parseWarningList(json);
    expect(r.name).toBe('Known research scanners');
    expect(r.description).toBe('benign');
    expect(r.prefixes).toEqual(['192.0.2.0/24', '2001:db8:1::/48']);
    expect(r.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^list\[1\]: /), 'list[3]: not a string']);
    // JSON.stringify with indentation puts each entry on its own line: "list" is on line 6.
    expect(r.issues[0]).toMatchObject({ line: 8, column: 5 });
  });

  it('refuses a warninglist of host names, and broken JSON with its position', () => {
    expect(parseWarningList('{"name":"x","type":"hostname","list":["example.com"]}').issues[0]?.message).toMatch(/holds no addresses/);
    const r = parseWarningList('{\n  "list": [\n    "192.0.2.1" "x"\n  ]\n}');
    expect(r.prefixes).toEqual([]);
    expect(r.issues[0]?.message).toMatch(/^not JSON/);
    expect(r.issues[0]).toMatchObject({ line: 3, column: 17 });
  });

  it('never throws or hangs on corrupted and truncated input (seeded fuzz)', () => {
    const rand = seededRandom(16_005);
    const seeds = [
      '192.0.2.1\n198.51.100.0/24\n2001:db8::/32\n# c\n',
      JSON.stringify({ name: 'n', type: 'cidr', list: ['192.0.2.0/24', '2001:db8::1'] }, null, 2),
    ];
    for (let i = 0; i < 3000; i++) {
      const base = seeds[i % seeds.length] as string;
      const chars = [...base];
      const cut = Math.floor(rand() * (chars.length + 1));
      const mutated = chars.slice(0, cut);
      const flips = Math.floor(rand() * 6);
      for (let f = 0; f < flips && mutated.length > 0; f++) {
        const at = Math.floor(rand() * mutated.length);
        mutated[at] = String.fromCharCode(Math.floor(rand() * 0x80));
      }
      const r = parseWarningList(mutated.join(''));
      for (const p of r.prefixes) expect(p).toMatch(/\/\d+$/);
      for (const issue of r.issues) expect(issue.line).toBeGreaterThanOrEqual(1);
    }
  });
});
