import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import type { ServiceRow } from '../schema/service-observation.js';
import { synthServices } from '../synth/services.js';
import { loadSynthServices } from '../synth/services-load.js';
import { SakimoriError } from '../errors.js';
import { parseIpBigint } from '../net/ip.js';
import { search } from './search.js';
import { compileSearch } from './search.js';
import { exportSearch } from './export.js';
import { csvTextField } from '../util/csv.js';
import { searchWords } from './fields.js';
import type { Restriction } from '../store/need-to-know.js';

const ALL: Restriction = { kind: 'all' };
const OPTS = { count: 6000, seed: 7, end: '2026-11-20T00:00:00Z', days: 30 };
const key = (ip: string, port: number): string => `${ip}/${port}`;
const lc = (s: string): string => s.toLowerCase();

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/') as [string, string];
  const a = parseIpBigint(ip);
  const b = parseIpBigint(net);
  if (!a || !b || a.family !== b.family) return false;
  const width = a.family === 4 ? 32 : 128;
  const shift = BigInt(width - Number(bits));
  return a.value >> shift === b.value >> shift;
}

describe('search over synthetic services (ground truth from the generator)', () => {
  let stores: TempStores;
  let rows: ServiceRow[];
  const ids = async (query: string, restriction: Restriction = ALL): Promise<Set<string>> => {
    const out = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const r = await search(stores.events, { query, restriction, limit: 1000, offset, now: new Date('2026-11-20T00:00:00Z') });
      r.hits.forEach((h) => out.add(key(h.ip, h.port)));
      if (r.hits.length < 1000) {
        expect(r.total).toBe(out.size);
        return out;
      }
    }
  };
  const want = (pred: (r: ServiceRow) => boolean): Set<string> => new Set(rows.filter(pred).map((r) => key(r.ip, r.port)));

  beforeAll(async () => {
    stores = await tempStores('search');
    rows = [...synthServices(OPTS)];
    await loadSynthServices(stores.events, { ...OPTS, batchRows: 2500 });
  }, 120_000);
  afterAll(() => stores.dispose());

  it('loads every synthetic row once, keys unique', () => {
    expect(new Set(rows.map((r) => key(r.ip, r.port))).size).toBe(rows.length);
  });

  it.each<[string, (r: ServiceRow) => boolean]>([
    ['*', () => true],
    ['port:23', (r) => r.port === 23],
    ['port:[1 TO 1024]', (r) => r.port >= 1 && r.port <= 1024],
    ['port:{1024 TO *}', (r) => r.port > 1024],
    ['port>8000 OR port<22', (r) => r.port > 8000 || r.port < 22],
    ['service:telnet weak_credential:true', (r) => r.service === 'telnet' && r.weak_credential === 1],
    ['service:telnet -weak_credential:true', (r) => r.service === 'telnet' && r.weak_credential !== 1],
    ['(service:ssh OR service:telnet) NOT country:JP', (r) => (r.service === 'ssh' || r.service === 'telnet') && r.country !== 'JP'],
    ['country:jp tag:iot', (r) => r.country === 'JP' && r.tags.includes('iot')],
    ['product:Open*', (r) => lc(r.product).startsWith('open')],
    ['product:"Dropbear SSH"', (r) => r.product === 'Dropbear SSH'],
    ['http.title:ログイン', (r) => r.http_title.includes('ログイン')],
    ['title:camera', (r) => lc(r.http_title).includes('camera')],
    ['tls.self_signed:true port:443', (r) => r.tls_self_signed === 1 && r.port === 443],
    ['tls.issuer:"Let\'s Encrypt"', (r) => lc(r.tls_issuer).includes("let's encrypt")],
    ['cve:CVE-2018-18778', (r) => r.cves.includes('CVE-2018-18778')],
    ['cve:cve-2021-*', (r) => r.cves.some((c) => c.startsWith('CVE-2021-'))],
    ['cve:*', (r) => r.cves.length > 0],
    ['cpe:"cpe:2.3:a:openbsd:openssh"', (r) => r.cpe.some((c) => c.startsWith('cpe:2.3:a:openbsd:openssh'))],
    ['version<7.5 product:OpenSSH', (r) => r.product === 'OpenSSH' && cmpVersion(r.version, '7.5') < 0],
    ['busybox', (r) => [r.banner, r.http_title, r.http_server, r.tls_subject, r.tls_issuer, r.ssh_ident, r.vendor, r.product].some((s) => lc(s).includes('busybox'))],
    ['"NETSurveillance WEB"', (r) => phraseIn(freeText(r), 'netsurveillance web')],
    ['usybo', (r) => freeText(r).includes('usybo')],
    ['カメラ', (r) => freeText(r).includes('カメラ')],
    ['"web client"', (r) => phraseIn(freeText(r), 'web client')],
    ['"mini_httpd/1.19"', (r) => phraseIn(freeText(r), 'mini_httpd/1.19')],
    ['"Realtek router"', (r) => phraseIn(freeText(r), 'realtek router')],
    ['"openssh_7"', (r) => phraseIn(freeText(r), 'openssh 7')],
    ['busybox!', (r) => searchWords(freeText(r)).includes('busybox')],
    ['dvr*ログイン', (r) => /dvr.*ログイン/s.test(freeText(r))],
    ['-busybox port:[1 TO 100]', (r) => !freeText(r).includes('busybox') && r.port <= 100],
    ['last_seen>=2026-11-10', (r) => Date.parse(String(r.time)) >= Date.parse('2026-11-10T00:00:00Z')],
    ['last_seen<now-20d', (r) => Date.parse(String(r.time)) < Date.parse('2026-10-31T00:00:00Z')],
  ])('%s', async (query, pred) => {
    const expected = want(pred);
    // Every case selects something and leaves something out, so it can fail either way.
    if (query !== '*') expect(expected.size, 'cases must be non-trivial').toBeGreaterThan(0);
    if (query !== '*') expect(expected.size).toBeLessThan(rows.length);
    const got = await ids(query);
    expect(got.size).toBe(expected.size);
    expect([...got].filter((k) => !expected.has(k))).toEqual([]);
  });

  it('finds hosts by CIDR and by ASN; the result agrees with the generator', async () => {
    const some = rows.find((r) => r.ip.includes('.')) as ServiceRow;
    const cidr = `${some.ip.split('.').slice(0, 2).join('.')}.0.0/16`;
    expect(await ids(`ip:${cidr}`)).toEqual(want((r) => inCidr(r.ip, cidr)));
    expect(await ids(`asn:AS${some.asn}`)).toEqual(want((r) => r.asn === some.asn));
    const v6 = rows.find((r) => r.ip.includes(':')) as ServiceRow;
    const v6cidr = `${v6.ip.split(':').slice(0, 2).join(':')}::/32`;
    expect(await ids(`ip:"${v6cidr}"`)).toEqual(want((r) => inCidr(r.ip, v6cidr)));
  });

  it('pages through the result in key order without overlap', async () => {
    const a = await search(stores.events, { query: 'service:http', restriction: ALL, limit: 50, offset: 0 });
    const b = await search(stores.events, { query: 'service:http', restriction: ALL, limit: 50, offset: 50 });
    const ka = a.hits.map((h) => key(h.ip, h.port));
    const kb = b.hits.map((h) => key(h.ip, h.port));
    expect(ka.length).toBe(50);
    expect(kb.filter((k) => ka.includes(k))).toEqual([]);
    expect(a.total).toBe(want((r) => r.service === 'http').size);
  });

  it('sorts by port or by last seen (newest first) on the server, pages whole and without overlap, also for a constituency', async () => {
    const some = rows.find((r) => r.ip.includes('.')) as ServiceRow;
    const cidr = `${some.ip.split('.').slice(0, 1).join('.')}.0.0.0/8`;
    const org: Restriction = { kind: 'constituency', orgId: 'o1', cidrs: [cidr], asns: [] };
    for (const [restriction, pred] of [[ALL, () => true], [org, (r: ServiceRow) => inCidr(r.ip, cidr)]] as const) {
      const all = (sort: 'port' | 'last_seen') => async () => {
        const hits = [];
        for (let offset = 0; ; offset += 100) {
          const r = await search(stores.events, { query: '*', restriction, limit: 100, offset, sort });
          expect(r.sort).toBe(sort);
          hits.push(...r.hits);
          if (r.hits.length < 100) return hits;
        }
      };
      const expected = want(pred);
      const byPort = await all('port')();
      expect(new Set(byPort.map((h) => key(h.ip, h.port)))).toEqual(expected);
      expect(byPort.length).toBe(expected.size);
      expect(byPort.map((h) => h.port)).toEqual(byPort.map((h) => h.port).sort((a, b) => a - b));
      const bySeen = await all('last_seen')();
      expect(bySeen.length).toBe(expected.size);
      expect(new Set(bySeen.map((h) => key(h.ip, h.port)))).toEqual(expected);
      const times = bySeen.map((h) => h.lastSeen);
      expect(times).toEqual([...times].sort().reverse());
      // The newest of the generator's rows comes first.
      const newest = rows.filter(pred).map((r) => new Date(r.time).toISOString().slice(0, 19)).sort().at(-1);
      expect(times[0]?.slice(0, 19)).toBe(newest);
    }
    await expect(search(stores.events, { query: '*', restriction: ALL, sort: 'banner' as 'ip' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('facets count the result by value, arrays by element', async () => {
    const r = await search(stores.events, { query: 'tag:iot', restriction: ALL, limit: 0, facets: ['country', 'port', 'tag', 'cve'], facetSize: 5 });
    const iot = rows.filter((x) => x.tags.includes('iot'));
    const count = (vals: string[]): Map<string, number> => vals.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
    const countries = count(iot.map((x) => x.country).filter(Boolean));
    for (const f of r.facets['country'] ?? []) expect(f.count).toBe(countries.get(f.value));
    expect(r.facets['country']?.[0]?.count).toBe(Math.max(...countries.values()));
    const ports = count(iot.map((x) => String(x.port)));
    for (const f of r.facets['port'] ?? []) expect(f.count).toBe(ports.get(f.value));
    expect(r.facets['tag']?.[0]).toEqual({ value: 'iot', count: iot.length });
    const cves = count(iot.flatMap((x) => x.cves));
    for (const f of r.facets['cve'] ?? []) expect(f.count).toBe(cves.get(f.value));
    expect(r.facets['tag']?.length).toBeLessThanOrEqual(5);
  });

  it('restricts everything to the constituency, whatever the query says', async () => {
    const some = rows.find((r) => r.ip.includes('.')) as ServiceRow;
    const cidr = `${some.ip.split('.').slice(0, 3).join('.')}.0/24`;
    const org: Restriction = { kind: 'constituency', orgId: 'o1', cidrs: [cidr], asns: [] };
    const mine = want((r) => inCidr(r.ip, cidr));
    expect(await ids('*', org)).toEqual(mine);
    // An OR in the query cannot escape the restriction, nor can an ip: outside it.
    expect(await ids('port:23 OR NOT port:23', org)).toEqual(mine);
    expect((await ids('ip:0.0.0.0/0', org)).size).toBe(mine.size);
    const facets = await search(stores.events, { query: '*', restriction: org, limit: 0, facets: ['ip', 'asn'] });
    for (const f of facets.facets['ip'] ?? []) expect(inCidr(f.value, cidr)).toBe(true);
    const nothing: Restriction = { kind: 'constituency', orgId: 'o2', cidrs: [], asns: [] };
    expect((await search(stores.events, { query: '*', restriction: nothing, facets: ['country'] })).total).toBe(0);
  });

  it('binds every value as a parameter: the SQL text does not contain what the user typed', () => {
    const evil = "x') OR 1=1 --";
    const { where, params } = compileSearch(`http.title:"${evil}" product:"${evil}" "${evil}"`, ALL);
    expect(where).not.toContain('OR 1=1');
    expect(Object.values(params)).toContain(evil);
  });

  it('reports a bad query with its position and a bad facet by name', async () => {
    await expect(search(stores.events, { query: 'port:[1 TO', restriction: ALL })).rejects.toMatchObject({ code: 'QUERY_PARSE' });
    await expect(search(stores.events, { query: 'port:abc', restriction: ALL })).rejects.toThrow(/whole number .* position 5/s);
    await expect(search(stores.events, { query: '*', restriction: ALL, facets: ['banner'] })).rejects.toBeInstanceOf(SakimoriError);
    await expect(search(stores.events, { query: '*', restriction: ALL, limit: 5000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

/** The phrase's words appear adjacent and in order among the text's words. */
function phraseIn(text: string, phrase: string): boolean {
  const t = searchWords(text);
  const p = searchWords(phrase);
  return t.some((_, i) => p.every((w, k) => t[i + k] === w));
}

function freeText(r: ServiceRow): string {
  return [r.banner, r.http_title, r.http_server, r.tls_subject, r.tls_issuer, r.ssh_ident, r.vendor, r.product].join('\n').toLowerCase();
}

function cmpVersion(a: string, b: string): number {
  const pa = (a.match(/\d+/g) ?? []).map(Number);
  const pb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (i >= pa.length) return -1;
    if (i >= pb.length) return 1;
    if (pa[i] !== pb[i]) return (pa[i] as number) - (pb[i] as number);
  }
  return 0;
}

describe('search export', () => {
  let stores: TempStores;
  const opts = { count: 2500, seed: 11 };
  beforeAll(async () => {
    stores = await tempStores('export');
    await loadSynthServices(stores.events, opts);
  }, 120_000);
  afterAll(() => stores.dispose());
  const collect = async (it: AsyncIterable<string>): Promise<string> => {
    let s = '';
    for await (const c of it) s += c;
    return s;
  };

  it('streams every row of the result once, in key order, across pages (JSON lines)', async () => {
    const text = await collect(exportSearch(stores.events, { query: 'service:http OR service:https', restriction: ALL, format: 'jsonl', pageRows: 97 }));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const expected = [...synthServices(opts)].filter((r) => r.service === 'http' || r.service === 'https');
    expect(lines.length).toBe(expected.length);
    expect(new Set(lines.map((l) => `${String(l['ip'])}/${String(l['port'])}`)).size).toBe(lines.length);
    const first = lines[0] as Record<string, unknown>;
    expect(Object.keys(first)).toContain('http_title');
    expect(String(first['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(first).not.toHaveProperty('search_text');
  });

  it('writes CSV with a header, quoted fields and formulas defused; honours max', async () => {
    const text = await collect(exportSearch(stores.events, { query: '*', restriction: ALL, format: 'csv', max: 120, pageRows: 50 }));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('time,ip,port,transport')).toBe(true);
    expect(lines.length).toBe(121);
    expect(csvTextField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('exports nothing outside the constituency', async () => {
    const org: Restriction = { kind: 'constituency', orgId: 'o', cidrs: ['192.0.2.0/24'], asns: [] };
    expect(await collect(exportSearch(stores.events, { query: '*', restriction: org, format: 'jsonl' }))).toBe('');
  });
});

describe('search over one part and over many', () => {
  let stores: TempStores;
  beforeAll(async () => {
    stores = await tempStores('parts');
  }, 60_000);
  afterAll(() => stores.dispose());

  it('counts the latest observation per key once, whether the table is one part or several', async () => {
    const { writeServices } = await import('../services/service-writer.js');
    const { createEnricher } = await import('../enrich/index.js');
    const { serviceRow } = await import('../schema/service-observation.js');
    const none = createEnricher({});
    // Two observations of the same port in one insert: one part, the later one kept.
    await writeServices(stores.events, none, [
      serviceRow({ ip: '192.0.2.1', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1 }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '192.0.2.1', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 0 }, '2026-11-02T00:00:00Z'),
      serviceRow({ ip: '192.0.2.2', port: 80, transport: 'tcp', service: 'http' }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'one' });
    const [parts] = await stores.events.query<{ n: number }>("SELECT count() AS n FROM system.parts WHERE table = 'services_current' AND active");
    expect(Number(parts?.n)).toBe(1);
    expect((await search(stores.events, { query: '*', restriction: ALL })).total).toBe(2);
    expect((await search(stores.events, { query: 'weak_credential:true', restriction: ALL })).total).toBe(0);
    // A second insert makes a second part: FINAL again, still the latest only.
    await writeServices(stores.events, none, [serviceRow({ ip: '192.0.2.1', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1 }, '2026-11-03T00:00:00Z')], { dedupToken: 'two' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await search(stores.events, { query: '*', restriction: ALL })).total).toBe(2);
    expect((await search(stores.events, { query: 'weak_credential:true', restriction: ALL, facets: ['port'] })).facets['port']).toEqual([{ value: '23', count: 1 }]);
  });
});
