import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceRow } from '../schema/service-observation.js';
import { FingerprintRules, compileRuleFile, loadRuleFile } from './device-rules.js';
import { errorOf } from '../util/testing/error-of.js';

const ok = { id: 'x', match: { banner: '^hello' }, product: 'Hello' };
const file = (rules: unknown[]): unknown => ({ version: 1, rules });


describe('fingerprint rule validation', () => {
  it('names the file and the rule id for each kind of mistake', () => {
    const cases: [unknown[], RegExp][] = [
      [[{ ...ok, match: { 'http.cookie': 'x' } }], /rules\.json: rule x: match: unknown field "http\.cookie"/],
      [[{ ...ok, match: { banner: '(?<version>[' } }], /rule x: match\.banner: invalid regular expression/],
      [[{ ...ok, require: { 'tls.subject': '(' } }], /rule x: require\.tls\.subject: invalid regular expression/],
      [[{ ...ok, match: {} }], /rule x: match: at least one field to match/],
      [[{ ...ok, cpe: 'cpe:2.3:a:acme:thing' }], /rule x: cpe "cpe:2\.3:a:acme:thing": not a CPE 2\.3 name/],
      [[{ ...ok, cpe: 'cpe:2.3:a:acme:thing:{ver}:*:*:*:*:*:*:*' }], /rule x: cpe .*only \{version\} and \{update\}/],
      [[{ id: 'x', match: { banner: 'a' } }], /rule x: the rule sets nothing/],
      [[ok, ok], /rule x: duplicate id/],
      [[{ ...ok, colour: 'red' }], /rule x: .*colour/],
      [[{ ...ok, flags: 'g' }], /rule x: flags/],
      [[{ ...ok, ports: [70000] }], /rule x: ports\.0/],
      [[{ match: { banner: 'a' }, product: 'p' }], /rule #0: id/],
    ];
    for (const [rules, re] of cases) {
      const e = errorOf(() => compileRuleFile(file(rules), 'rules.json'));
      expect(e.code).toBe('RULES_INVALID');
      expect(e.message).toMatch(re);
    }
    expect(errorOf(() => compileRuleFile({ version: 2, rules: [] }, 'r.json')).message).toMatch(/r\.json: version/);
  });

  it('reports a file that is not JSON and a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sakimori-rules-'));
    try {
      await writeFile(join(dir, 'bad.json'), '{"version": 1, "rules": [');
      await expect(loadRuleFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: not valid JSON/);
      await expect(loadRuleFile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
      await writeFile(join(dir, 'a.json'), JSON.stringify(file([ok])));
      await writeFile(join(dir, 'b.json'), JSON.stringify(file([ok])));
      await expect(FingerprintRules.load([join(dir, 'a.json'), join(dir, 'b.json')])).rejects.toThrow(/b\.json: rule x: duplicate id \(also in .*a\.json\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never overwrites what is set; vendor/product/version travel together; cpe and tags accumulate', () => {
    const rules = new FingerprintRules(compileRuleFile(file([
      { id: 'dev', match: { 'http.title': '^Box' }, vendor: 'Acme', product: 'Box', device_type: 'router', cpe: 'cpe:2.3:o:acme:box_firmware:*:*:*:*:*:*:*:*', tags: ['router'] },
      { id: 'web', match: { 'http.server': '^web/(?<version>[\\d.]+)' }, vendor: 'W', product: 'Web', cpe: 'cpe:2.3:a:w:web:{version}:*:*:*:*:*:*:*', tags: ['router', 'x'] },
      { id: 'both', match: { banner: 'nope', 'http.header.x-powered-by': '^PHP/(?<version>[\\d.]+)' }, require: { 'http.server': '^web' }, flags: 'i', tags: ['php'] },
      { id: 'port', ports: [8080], match: { 'http.title': '.' }, tags: ['alt-port'] },
    ]), 'r.json'));
    const row = serviceRow({ ip: '192.0.2.1', port: 80, transport: 'tcp', http_title: 'Box 3000', http_server: 'web/1.2', http_headers: { 'x-powered-by': 'php/7.4.3' } });
    expect(rules.apply(row)).toEqual(['dev', 'web', 'both']);
    expect([row.vendor, row.product, row.version, row.device_type]).toEqual(['Acme', 'Box', '', 'router']);
    expect(row.cpe).toEqual(['cpe:2.3:o:acme:box_firmware:*:*:*:*:*:*:*:*', 'cpe:2.3:a:w:web:1.2:*:*:*:*:*:*:*']);
    expect(row.tags).toEqual(['router', 'x', 'php']);
    // A module already named the product: the rule only fills in the missing version.
    const mod = serviceRow({ ip: '192.0.2.1', port: 80, transport: 'tcp', http_server: 'web/2.0', vendor: 'Module', product: 'web' });
    rules.apply(mod);
    expect([mod.vendor, mod.product, mod.version]).toEqual(['Module', 'web', '2.0']);
    // Applying twice changes nothing.
    const again = structuredClone(row);
    rules.apply(again);
    expect(again).toEqual(row);
  });

  it('matches a row in microseconds', async () => {
    const rules = await FingerprintRules.load();
    const rows = [
      serviceRow({ ip: '192.0.2.1', port: 22, transport: 'tcp', service: 'ssh', ssh_ident: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6', banner: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\\r\\n' }),
      serviceRow({ ip: '192.0.2.1', port: 80, transport: 'tcp', service: 'http', http_title: 'Synology DiskStation - DS218', http_server: 'nginx', http_headers: { server: 'nginx', 'content-type': 'text/html' } }),
      serviceRow({ ip: '192.0.2.1', port: 23, transport: 'tcp', service: 'telnet', banner: 'x'.repeat(2000) + '\\r\\nlogin: ' }),
    ];
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = rows[i % rows.length];
      if (r) rules.apply({ ...r, cpe: [], tags: [], vendor: '', product: '', version: '', device_type: '' });
    }
    const perRowUs = ((performance.now() - t0) * 1000) / n;
    expect(perRowUs).toBeLessThan(50);
  });
});
