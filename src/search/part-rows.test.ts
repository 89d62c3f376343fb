import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { serviceRow, type ServiceRow } from '../schema/service-observation.js';
import { synthServices } from '../synth/services.js';
import { loadSynthServices } from '../synth/services-load.js';
import { writeServices } from '../services/service-writer.js';
import { createEnricher } from '../enrich/index.js';
import { parseIpBigint } from '../net/ip.js';
import { search } from './search.js';
import { partRowsFilter } from './part-rows.js';
import type { Restriction } from '../store/need-to-know.js';

const OPTS = { count: 20_000, seed: 11, end: '2026-11-20T00:00:00Z', days: 30, ipv6Share: 0.2 };
const NOW = new Date('2026-11-20T00:00:00Z');

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/') as [string, string];
  const a = parseIpBigint(ip);
  const b = parseIpBigint(net);
  if (!a || !b || a.family !== b.family) return false;
  const shift = BigInt((a.family === 4 ? 32 : 128) - Number(bits));
  return a.value >> shift === b.value >> shift;
}

const org = (cidrs: string[], asns: number[] = []): Extract<Restriction, { kind: 'constituency' }> => ({ kind: 'constituency', orgId: 'o', cidrs, asns });

async function activeParts(s: TempStores): Promise<string[]> {
  const rows = await s.events.query<{ name: string }>("SELECT name FROM system.parts WHERE database = currentDatabase() AND table = 'services_current' AND active ORDER BY name");
  return rows.map((r) => r.name);
}

describe('need-to-know by rows of the one merged part', () => {
  let stores: TempStores;
  let rows: ServiceRow[];
  let cases: [string, Extract<Restriction, { kind: 'constituency' }>][];
  const visible = (r: Restriction, row: ServiceRow): boolean =>
    r.kind === 'all' || r.cidrs.some((c) => inCidr(row.ip, c)) || (r.asns.length > 0 && r.asns.includes(row.asn));
  const keys = async (query: string, r: Restriction): Promise<string[]> => {
    const out: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const res = await search(stores.events, { query, restriction: r, limit: 1000, offset, now: NOW });
      out.push(...res.hits.map((h) => `${h.ip}/${h.port}`));
      if (res.hits.length < 1000) {
        expect(res.total).toBe(out.length);
        return out.sort();
      }
    }
  };

  beforeAll(async () => {
    stores = await tempStores('part-rows');
    rows = [...synthServices(OPTS)];
    await loadSynthServices(stores.events, { ...OPTS, batchRows: 5000 });
    await stores.events.exec('OPTIMIZE TABLE services_current FINAL');
    const v4 = rows.find((r) => r.ip.includes('.')) as ServiceRow;
    const v6 = rows.find((r) => r.ip.includes(':')) as ServiceRow;
    const [a, b, c] = v4.ip.split('.');
    const v6Net = `${v6.ip.split(':').slice(0, 3).join(':')}::/48`;
    const someAsn = rows.find((r) => r.asn !== 0 && !r.ip.startsWith(`${a}.`))?.asn ?? 0;
    cases = [
      ['one /24', org([`${a}.${b}.${c}.0/24`])],
      ['a /16 and a /24 inside it', org([`${a}.${b}.0.0/16`, `${a}.${b}.${c}.0/24`])],
      ['one host', org([`${v4.ip}/32`])],
      ['IPv6 /48 and IPv4 /8', org([v6Net, `${a}.0.0.0/8`])],
      ['all of IPv4 and of IPv6', org(['0.0.0.0/0', '::/0'])],
      ['a prefix without rows', org(['192.0.2.0/24'])],
      ['a prefix and an AS', org([`${a}.${b}.${c}.0/24`], [someAsn])],
      ['nothing at all', org([])],
    ];
  }, 180_000);
  afterAll(() => stores.dispose());

  it('is one part after the merge', async () => {
    expect(await activeParts(stores)).toHaveLength(1);
  });

  it('finds exactly the rows inside the constituency, for every shape of it and of the query', async () => {
    for (const [name, r] of cases) {
      for (const q of ['*', 'port:23 OR port:80', 'NOT service:http', 'ip:0.0.0.0/0']) {
        const want = rows.filter((row) => visible(r, row) && (q === '*' || (q.startsWith('port') ? row.port === 23 || row.port === 80 : q.startsWith('NOT') ? row.service !== 'http' : row.ip.includes('.')))).map((row) => `${row.ip}/${row.port}`).sort();
        expect({ name, q, got: await keys(q, r) }).toEqual({ name, q, got: want });
      }
    }
  }, 120_000);

  it('gives the first page in address order, from the first run alone when it holds one', async () => {
    for (const [name, r] of cases.slice(0, 5)) {
      for (const limit of [1, 5, 50, 400]) {
        const q = 'port:23 OR port:80 OR service:ssh';
        const byHand = r.cidrs.length ? `(${q}) (${r.cidrs.map((c) => `ip:${c}`).join(' OR ')})` : q;
        const admin = await search(stores.events, { query: byHand, restriction: { kind: 'all' }, limit, now: NOW });
        const member = await search(stores.events, { query: q, restriction: r, limit, now: NOW });
        expect({ name, limit, hits: member.hits.map((h) => `${h.ip}/${h.port}`) }).toEqual({ name, limit, hits: admin.hits.map((h) => `${h.ip}/${h.port}`) });
        expect(member.total).toBe(admin.total);
      }
    }
  });

  it('facets count only the constituency', async () => {
    const r = (cases[3] as [string, Extract<Restriction, { kind: 'constituency' }>])[1];
    const res = await search(stores.events, { query: '*', restriction: r, limit: 0, facets: ['port'], facetSize: 100, now: NOW });
    const want = new Map<string, number>();
    for (const row of rows) if (visible(r, row)) want.set(String(row.port), (want.get(String(row.port)) ?? 0) + 1);
    expect(new Map((res.facets['port'] ?? []).map((f) => [f.value, f.count]))).toEqual(want);
  });

  it('gives no row of a part it has not seen, and sees the merged part at once', async () => {
    const [part] = await activeParts(stores);
    const r = (cases[1] as [string, Extract<Restriction, { kind: 'constituency' }>])[1];
    const before = await keys('*', r);
    expect(before.length).toBeGreaterThan(0);
    // A new part of rows outside the constituency, longer than the merged one: its row numbers
    // cover every run of the constituency.
    const none = createEnricher({});
    const outside = Array.from({ length: OPTS.count + 5000 }, (_, i) => serviceRow({ ip: `198.18.${i >> 8}.${i & 255}`, port: 8080, transport: 'tcp', service: 'http' }, '2026-11-19T00:00:00Z'));
    await writeServices(stores.events, none, outside, { dedupToken: 'outside' });
    expect((await activeParts(stores)).length).toBe(2);
    const params = {};
    const filter = await partRowsFilter(stores.events, part as string, r, params);
    const [n] = await stores.events.query<{ n: number }>(`SELECT count() AS n FROM services_current WHERE ${filter} AND port = 8080 AND service = 'http' AND ip >= toIPv6('198.18.0.0') AND ip <= toIPv6('198.18.255.255')`, params);
    expect(Number(n?.n)).toBe(0);
    // With an AS too (the OR that once let every part in, and with it the rows of the new part at
    // the runs' row numbers): still none of them, and the new part is not read at all.
    const withAsn = { ...r, asns: (cases[6] as [string, Extract<Restriction, { kind: 'constituency' }>])[1].asns };
    const asnParams = {};
    const asnFilter = await partRowsFilter(stores.events, part as string, withAsn, asnParams);
    const [m] = await stores.events.query<{ n: number }>(`SELECT count() AS n FROM services_current WHERE ${asnFilter} AND port = 8080 AND ip >= toIPv6('198.18.0.0') AND ip <= toIPv6('198.18.255.255')`, asnParams);
    expect(Number(m?.n)).toBe(0);
    for (const [f, p] of [[filter, params], [asnFilter, asnParams]] as const) {
      const plan = await stores.events.query<{ explain: string }>(`EXPLAIN indexes = 1 SELECT count() FROM services_current PREWHERE port = 8080 WHERE ${f}`, p);
      expect(/Parts: (\d+) \|/.exec(plan.map((l) => l.explain).join('\n'))?.[1]).toBe('1');
    }
    // Whatever the search thinks the parts are, nothing outside comes back.
    expect(await keys('*', r)).toEqual(before);
    // Merged: a part with a new name; the next search finds all of it again at once.
    await stores.events.exec('OPTIMIZE TABLE services_current FINAL');
    expect(await activeParts(stores)).not.toContain(part);
    expect(await keys('*', r)).toEqual(before);
    expect(await keys('*', org(['198.18.0.0/16']))).toHaveLength(OPTS.count + 5000);
  });
});
