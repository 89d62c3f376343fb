import { storeSources } from '../../src/ingest/testing/store-sources.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { buildApp } from '../../src/api/app.js';
import { createOrg, addPrefixes } from '../../src/orgs/org-store.js';
import { createUser } from '../../src/auth/users.js';
import { writeServices } from '../../src/services/service-writer.js';
import { serviceRow } from '../../src/schema/service-observation.js';

/**
 * Need-to-know through the API: two organisations, each signed in, try to read the other's data
 * by IP, by overlapping ranges and by ids; they must get nothing, while an admin sees both.
 */
const PW = 'a long enough password';

describe('need-to-know across organisations', () => {
  let dir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  const sessions: Record<string, { cookie: string; csrf: string }> = {};

  const signIn = async (username: string): Promise<void> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
    expect(r.statusCode).toBe(200);
    const token = /sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? '';
    sessions[username] = { cookie: `sakimori_session=${token}`, csrf: r.json<{ csrfToken: string }>().csrfToken };
  };
  const as = (user: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const s = sessions[user] as { cookie: string; csrf: string };
    return app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-ntk-'));
    ctx = await openContext(configSchema.parse({ dataDir: dir }));
    app = await buildApp(ctx);
    const a = await createOrg(ctx.state, { name: 'ISP A', kind: 'isp' });
    const b = await createOrg(ctx.state, { name: 'ISP B', kind: 'isp' });
    await addPrefixes(ctx.state, a.id, ['192.0.2.0/25']);
    await addPrefixes(ctx.state, b.id, ['192.0.2.128/25', '2001:db8:b::/48']);
    await createUser(ctx.state, { username: 'admin', password: PW, role: 'platform-admin' });
    await createUser(ctx.state, { username: 'alice', password: PW, role: 'org-admin', org: 'ISP A' });
    await createUser(ctx.state, { username: 'bob', password: PW, role: 'org-admin', org: 'ISP B' });
    await writeServices(ctx.events, ctx.enricher, [
      serviceRow({ ip: '192.0.2.10', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'c1' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '192.0.2.200', port: 80, transport: 'tcp', service: 'http', http_title: 'B secret' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '2001:db8:b::5', port: 22, transport: 'tcp', service: 'ssh' }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'ntk' });
    for (const u of ['admin', 'alice', 'bob']) await signIn(u);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses anonymous requests once users exist', async () => {
    const r = await app.inject({ url: '/api/v1/hosts/192.0.2.10' });
    expect(r.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('host pages: own hosts yes, the other organisation\'s answer like unknown addresses', async () => {
    expect((await as('alice', 'GET', '/api/v1/hosts/192.0.2.10')).statusCode).toBe(200);
    for (const ip of ['192.0.2.200', '2001:db8:b::5']) {
      const r = await as('alice', 'GET', `/api/v1/hosts/${encodeURIComponent(ip)}`);
      expect(r.statusCode, ip).toBe(404);
      expect(r.body).not.toContain('B secret');
    }
    expect((await as('bob', 'GET', '/api/v1/hosts/192.0.2.10')).statusCode).toBe(404);
    expect((await as('bob', 'GET', '/api/v1/hosts/192.0.2.200')).json()).toMatchObject({ exposure: { openPorts: 1 } });
    expect((await as('admin', 'GET', '/api/v1/hosts/192.0.2.200')).statusCode).toBe(200);
  });

  it('search, facets and exports: nothing of the other organisation, whatever the query', async () => {
    const search = async (u: string, q: string, facets = ''): Promise<{ total: number; hits: { ip: string }[]; facets: Record<string, { value: string }[]> }> => {
      const r = await as(u, 'GET', `/api/v1/search?${new URLSearchParams({ q, ...(facets ? { facets } : {}) })}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const probes = ['*', 'ip:192.0.2.200', 'ip:192.0.2.0/24', 'ip:0.0.0.0/0 OR ip:::/0', 'ip:"2001:db8::/32"', '"B secret"', 'http.title:secret', 'NOT port:23', 'port:23 OR NOT port:23', 'asn:0 OR service:*'];
    for (const q of probes) {
      const a = await search('alice', q, 'ip,port,service');
      expect(a.hits.map((h) => h.ip).filter((ip) => ip !== '192.0.2.10'), q).toEqual([]);
      expect(JSON.stringify([a.hits, a.facets]), q).not.toContain('B secret');
      expect(a.facets['ip']?.map((f) => f.value).filter((ip) => ip !== '192.0.2.10') ?? [], q).toEqual([]);
      expect(a.facets['port']?.map((f) => f.value).filter((p) => p !== '23') ?? [], q).toEqual([]);
      const b = await search('bob', q);
      expect(b.hits.map((h) => h.ip).filter((ip) => ip === '192.0.2.10'), q).toEqual([]);
    }
    expect((await search('alice', 'ip:192.0.2.10')).total).toBe(1);
    expect((await search('bob', '*')).total).toBe(2);
    expect((await search('admin', '*')).total).toBe(3);
    for (const format of ['jsonl', 'csv']) {
      const own = await as('alice', 'GET', `/api/v1/search/export?format=${format}&q=*`);
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('192.0.2.10');
      expect(own.body).not.toContain('192.0.2.200');
      expect(own.body).not.toContain('2001:db8:b');
      expect(own.body).not.toContain('B secret');
      const theirs = await as('alice', 'GET', `/api/v1/search/export?format=${format}&q=${encodeURIComponent('ip:192.0.2.128/25')}`);
      expect(theirs.body).not.toContain('192.0.2.200');
    }
    const bad = await as('alice', 'GET', `/api/v1/search?q=${encodeURIComponent('port:[1 TO')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'QUERY_PARSE' });
  });

  it('monitors: only inside one\'s own prefixes, invisible to other organisations, and never matching outside', async () => {
    const wide = await as('alice', 'POST', '/api/v1/monitors', { name: 'wide', cidrs: ['192.0.2.0/24'] });
    expect(wide.json()).toMatchObject({ code: 'FORBIDDEN' });
    const v6 = await as('alice', 'POST', '/api/v1/monitors', { name: 'v6', cidrs: ['2001:db8::/32'] });
    expect(v6.json()).toMatchObject({ code: 'FORBIDDEN' });
    const own = await as('alice', 'POST', '/api/v1/monitors', { name: 'alice-own', cidrs: ['192.0.2.0/25'] });
    expect(own.statusCode).toBe(201);
    const id = own.json<{ id: string }>().id;
    expect((await as('bob', 'GET', `/api/v1/monitors/${id}`)).statusCode).toBe(404);
    expect((await as('bob', 'GET', '/api/v1/monitors/alice-own')).statusCode).toBe(404);
    expect((await as('bob', 'GET', '/api/v1/monitors')).json()).toEqual([]);
    expect((await as('bob', 'GET', `/api/v1/monitors/${id}/findings`)).statusCode).toBe(404);
    expect((await as('bob', 'DELETE', `/api/v1/monitors/${id}`)).statusCode).toBe(404);
    expect((await as('admin', 'GET', '/api/v1/monitors')).json<{ name: string }[]>().map((m) => m.name)).toEqual(['alice-own']);
    // An admin-made monitor over everything matches all three; alice's run sees only her host.
    const run = await as('alice', 'POST', '/api/v1/monitors/run', {});
    expect(run.json<{ runs: { monitor: string; matched: number }[] }>().runs).toEqual([expect.objectContaining({ monitor: 'alice-own', matched: 1 })]);
    // Even if a stored range were wider, the constituency bounds what the monitor sees.
    await ctx.state.query("UPDATE monitors SET cidrs = '{0.0.0.0/0,::/0}' WHERE id = $1", [id]);
    const again = await as('alice', 'POST', '/api/v1/monitors/run', { monitor: id });
    expect(again.json<{ runs: { matched: number }[] }>().runs[0]?.matched).toBe(1);
  });

  it('cases: each organisation sees and acknowledges only its own', async () => {
    const { buildCases } = await import('../../src/cases/build-cases.js');
    await buildCases(ctx);
    const mine = await as('alice', 'GET', '/api/v1/cases');
    expect(mine.json<{ cases: { ip: string }[] }>().cases.map((c) => c.ip)).toEqual(['192.0.2.10']);
    expect((await as('bob', 'GET', '/api/v1/cases')).json()).toMatchObject({ total: 0, cases: [] });
    // Filters narrow what one may see, never widen it.
    expect((await as('bob', 'GET', '/api/v1/cases?ip=0.0.0.0/0&recipient=')).json()).toMatchObject({ total: 0, cases: [] });
    const id = mine.json<{ cases: { id: number }[] }>().cases[0]?.id ?? 0;
    expect((await as('bob', 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(404);
    expect((await as('bob', 'POST', `/api/v1/cases/${id}/ack`, {})).statusCode).toBe(404);
    expect((await as('alice', 'POST', `/api/v1/cases/${id}/ack`, { note: 'customer told' })).json()).toMatchObject({ state: 'acknowledged' });
    expect((await as('admin', 'GET', '/api/v1/cases')).json()).toMatchObject({ total: 1 });
  });

  it('darknet reports: an organisation sees only what its own addresses sent', async () => {
    const day = (ip: string, packets: number, mirai: number, port: number): Promise<void> =>
      storeSources(ctx.events, [{ ip, packets, mirai, port, at: new Date('2026-11-01T01:00:00Z') }]);
    await day('192.0.2.10', 500, 500, 23);
    await day('192.0.2.200', 9000, 0, 445);
    await day('203.0.113.99', 7000, 0, 22);
    const a = (await as('alice', 'GET', '/api/v1/darknet/report?from=2026-11-01')).json<{ packets: number; sources: number; tags: Record<string, { sources: number }>; topPorts: { port: number }[]; topSources: { ip: string }[] }>();
    expect(a).toMatchObject({ packets: 500, sources: 1 });
    expect(a.tags['mirai']?.sources).toBe(1);
    expect(a.topPorts.map((p) => p.port)).toEqual([23]);
    expect(a.topSources.map((x) => x.ip)).toEqual(['192.0.2.10']);
    const b = await as('bob', 'GET', '/api/v1/darknet/report?from=2026-11-01');
    expect(b.json<{ topSources: { ip: string }[] }>().topSources.map((x) => x.ip)).toEqual(['192.0.2.200']);
    expect(b.body).not.toContain('203.0.113.99');
    const ts = (await as('alice', 'GET', '/api/v1/darknet/timeseries?from=2026-11-01')).json<{ points: { packets: number }[] }>();
    expect(ts.points.map((p) => p.packets)).toEqual([500]);
    // The admin sees every source.
    const all = (await as('admin', 'GET', '/api/v1/darknet/report?from=2026-11-01')).json<{ sources: number }>();
    expect(all.sources).toBe(3);
  });

  it('organisations: members see their own, only admins change constituencies', async () => {
    const mine = (await as('alice', 'GET', '/api/v1/orgs')).json<{ name: string }[]>();
    expect(mine.map((o) => o.name)).toEqual(['ISP A']);
    const b = (await as('admin', 'GET', '/api/v1/orgs')).json<{ id: string; name: string }[]>().find((o) => o.name === 'ISP B');
    expect((await as('alice', 'GET', `/api/v1/orgs/${b?.id ?? ''}`)).statusCode).toBe(404);
    const widen = await as('alice', 'POST', `/api/v1/orgs/${mine.length ? 'ISP A' : ''}/prefixes`, { prefixes: ['0.0.0.0/0'] });
    expect(widen.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('alice', 'GET', '/api/v1/responsible/192.0.2.200')).statusCode).toBe(404);
    expect((await as('alice', 'GET', '/api/v1/responsible/192.0.2.10')).json()).toMatchObject({ recipient: { kind: 'organisation', name: 'ISP A' } });
    const added = await as('admin', 'POST', `/api/v1/orgs/${b?.id ?? ''}/asns`, { asns: ['AS64999'] });
    expect(added.json()).toMatchObject({ constituency: { asns: [64999] } });
  });

  it('org members read, but cannot change anything', async () => {
    await createUser(ctx.state, { username: 'carol', password: PW, role: 'org-member', org: 'ISP A' });
    await signIn('carol');
    expect((await as('carol', 'GET', '/api/v1/hosts/192.0.2.10')).statusCode).toBe(200);
    expect((await as('carol', 'POST', '/api/v1/monitors', { name: 'c', cidrs: ['192.0.2.0/26'] })).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('carol', 'GET', '/api/v1/users')).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await as('carol', 'GET', '/api/v1/reports/observation')).json()).toMatchObject({ code: 'FORBIDDEN' });
    const html = await as('admin', 'GET', '/api/v1/reports/observation?lang=en&from=2026-11-01');
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Sakimori observation report');
  });

  it('search over one merged part and over several: the same rows, never the other organisation\'s', async () => {
    const ips = async (u: string, q = '*'): Promise<string[]> =>
      (await as(u, 'GET', `/api/v1/search?${new URLSearchParams({ q, limit: '100' })}`)).json<{ hits: { ip: string }[] }>().hits.map((h) => h.ip).sort();
    // A second part, with more rows than the first, inside B's prefix: the row numbers of A's run
    // exist in it too (search/part-rows.ts must not read them there).
    await writeServices(ctx.events, ctx.enricher, Array.from({ length: 20 }, (_, i) =>
      serviceRow({ ip: `192.0.2.${130 + i}`, port: 8080, transport: 'tcp', service: 'http', http_title: 'B secret' }, '2026-11-02T00:00:00Z')), { dedupToken: 'ntk-2' });
    for (const settled of [false, true]) {
      if (settled) await ctx.events.exec('OPTIMIZE TABLE services_current FINAL');
      await new Promise((r) => setTimeout(r, 1100)); // the part count is cached for a second
      expect(await ips('alice'), `settled ${settled}`).toEqual(['192.0.2.10']);
      expect(await ips('alice', 'http.title:secret OR port:23'), `settled ${settled}`).toEqual(['192.0.2.10']);
      expect((await ips('bob')).length, `settled ${settled}`).toBe(22);
      expect((await ips('bob')).includes('192.0.2.10')).toBe(false);
    }
  });
});
