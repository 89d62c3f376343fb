/**
 * Attacks of issue 12 item 7 through the whole API: a member whose organisation has ASNs asks for
 * the darknet report; search and window values out of range; a store failure's answer. Each
 * answer must be the right one, a 400 naming the field, or a 500 with only a code, the catalogue
 * message and an error id (no SQL, no store message).
 */
import { storeSources } from '../ingest/testing/store-sources.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { addAsns, addPrefixes, createOrg } from '../orgs/org-store.js';

const PW = 'correct horse battery';

async function signIn(app: FastifyInstance, username: string, remoteAddress: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password: PW } });
  expect(res.statusCode).toBe(200);
  const token = /sakimori_session=([^;]+)/.exec(([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';'))?.[1] ?? '';
  return { cookie: `sakimori_session=${token}`, 'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken };
}

describe('API errors: right answers, 400 for values out of range, no SQL in a 500', () => {
  let t: TempApp;
  let member: Record<string, string>;
  let admin: Record<string, string>;
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ url, headers });

  beforeAll(async () => {
    t = await tempApp('api-errors');
    const { state, events } = t.ctx;
    const a = await createOrg(state, { name: 'ISP A', kind: 'isp' });
    await addPrefixes(state, a.id, ['198.51.100.0/24']);
    await addAsns(state, a.id, ['64500']);
    await createOrg(state, { name: 'ISP B', kind: 'isp' });
    await createUser(state, { username: 'root', password: PW, role: 'platform-admin' });
    await createUser(state, { username: 'alice', password: PW, role: 'org-member', org: a.id });
    // Three sources on one day: in A's prefix, in A's AS (outside the prefix), and B's.
    await storeSources(events, [
      { ip: '198.51.100.7', asn: 64501, packets: 10, port: 23, country: 'JP', at: new Date('2026-11-01T01:00:00Z') },
      { ip: '192.0.2.9', asn: 64500, packets: 20, port: 23, country: 'JP', at: new Date('2026-11-01T01:00:00Z') },
      { ip: '203.0.113.5', asn: 64999, packets: 400, port: 2323, country: 'JP', at: new Date('2026-11-01T01:00:00Z') },
    ], 's1');
    admin = await signIn(t.app, 'root', '127.0.0.1');
    member = await signIn(t.app, 'alice', '127.0.0.1');
  }, 120_000);
  afterAll(() => t.dispose());

  it('gives a member whose organisation has ASNs its own darknet report (an alias no longer shadows the need-to-know column)', async () => {
    const r = await get('/api/v1/darknet/report?from=2026-11-01', member);
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json<{ packets: number; sources: number; topSources: { ip: string; asn: number }[]; topPorts: { port: number }[] }>();
    expect(j.sources).toBe(2);
    expect(j.packets).toBe(30);
    expect(j.topSources.map((s) => [s.ip, s.asn])).toEqual([['192.0.2.9', 64500], ['198.51.100.7', 64501]]);
    expect(j.topPorts.map((p) => p.port)).toEqual([23]);
    expect(r.body).not.toContain('203.0.113.5');
    const ts = await get('/api/v1/darknet/timeseries?from=2026-11-01', member);
    expect(ts.json()).toMatchObject({ points: [{ packets: 30, sources: 2 }] });
    // The other queries with the filter on `asn` answer too (search with facets over it).
    const s = await get('/api/v1/search?q=*&facets=asn,ip,port', member);
    expect(s.statusCode, s.body).toBe(200);
  });

  it.each([
    ['last_seen>now-999999w', 'last_seen'],
    ['last_seen<now+999999w', 'last_seen'],
    ['last_seen:[now-999999d TO now]', 'last_seen'],
    ['tls.not_after<0001-01-01', 'tls.not_after'],
    ['time>9999-12-31T00:00:00Z', 'last_seen'],
    ['port:70000', 'port'],
    ['port>99999999999999999999', 'port'],
    ['asn:4294967296', 'asn'],
    ['http.status:[1 TO 65536]', 'http.status'],
    ['version<1.99999999999999999999999', 'version'],
  ])('search %s is a 400 naming the field %s', async (q, field) => {
    for (const who of [admin, member]) {
      const r = await get(`/api/v1/search?q=${encodeURIComponent(q)}`, who);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ code: 'QUERY_PARSE', where: { field } });
      expect(r.body).not.toMatch(/SELECT|DB::Exception/);
    }
  });

  it('refuses report windows no store can hold with a 400 naming the field', async () => {
    for (const [qs, field] of [['from=%2B275760-09-12', 'from'], ['from=-000001-01-01', 'from'], ['from=2026-11-01&to=%2B200000-01-01', 'to'], ['from=0001-01-01', 'from']] as const) {
      for (const url of [`/api/v1/darknet/report?${qs}`, `/api/v1/darknet/timeseries?${qs}`]) {
        const r = await get(url, admin);
        expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
        expect(r.json()).toMatchObject({ code: 'BAD_TIME', where: { field } });
      }
    }
  });

  it('refuses a NUL character in any value with a 400 naming the field (PostgreSQL cannot store one: it was a 500)', async () => {
    for (const [url, field] of [['/api/v1/orgs/a%00b', 'id'], ['/api/v1/cases?state=%00', 'state'], ['/api/v1/search?q=port%3A23%00', 'q']] as const) {
      const r = await get(url, admin);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(r.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field } });
    }
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root\u0000', password: PW } });
    expect(login.statusCode, login.body).toBe(400);
    expect(login.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'username' } });
    const nested = await t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: admin, payload: { name: 'ok', kind: 'isp', prefixes: ['192.0.2.0/24', 'x\u0000'] } });
    expect(nested.statusCode, nested.body).toBe(400);
    expect(nested.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'prefixes.1' } });
  });

  it('answers a failed store query with a code, the catalogue message and an error id only', async () => {
    await t.ctx.events.exec('RENAME TABLE darknet_source_day TO darknet_source_day_away');
    try {
      const r = await get('/api/v1/darknet/report?from=2026-11-01', member);
      expect(r.statusCode).toBe(500);
      const j = r.json<Record<string, unknown>>();
      expect(Object.keys(j).sort()).toEqual(['code', 'errorId', 'message']);
      expect(j).toMatchObject({ code: 'STORE_QUERY_FAILED', message: 'store query failed' });
      expect(j['errorId']).toMatch(/^[0-9a-f-]{16,}$/);
      expect(r.body).not.toMatch(/SELECT|darknet_source_day|DB::Exception|chdb/i);
    } finally {
      await t.ctx.events.exec('RENAME TABLE darknet_source_day_away TO darknet_source_day');
    }
  });
});
