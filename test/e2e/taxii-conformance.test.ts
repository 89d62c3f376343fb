/**
 * TAXII 2.1 conformance (OASIS Standard, 2021-06-10), over real HTTP against a real `sakimori
 * serve`: the MUSTs of sections 3 to 5 that can be observed from a client, each test named by
 * its section, plus the hub's own rules (need-to-know between organisations, cursors bound to
 * their collection and filters, objects returned exactly as posted). Every object returned is
 * checked as a STIX object.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { stopServer } from '../helpers/serve.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createOrg } from '../../src/orgs/org-store.js';
import { createUser } from '../../src/auth/users.js';
import { createApiKey } from '../../src/auth/api-keys.js';
import { createCollection } from '../../src/share/taxii/collections.js';
import { validateObject } from '../../src/share/stix/validate.js';
import { TLP2_IDS } from '../../src/share/stix/tlp.js';

const TAXII = 'application/taxii+json;version=2.1';
const PW = 'a long enough password';
const uuid = (n: number): string => `6e1c4b7a-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const basic = (user: string, pw = PW): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

interface Keys { alice: string; aliceRead: string; amy: string; bob: string; ops: string }
let server: ChildProcess | undefined;
let dir = '';
let base = '';
let keys: Keys;
let col: { a: string; shared: string; b: string };
let dataDir = '';

interface Res { status: number; headers: Headers; text: string; json: <T = Record<string, unknown>>() => T }

async function call(method: string, path: string, auth: string | undefined, opts: { body?: string; accept?: string | null; contentType?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (auth) headers['authorization'] = auth.startsWith('Basic ') ? auth : `Bearer ${auth}`;
  if (opts.accept !== null) headers['accept'] = opts.accept ?? TAXII;
  if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? TAXII;
  const r = await fetch(new URL(path.replace(/^\//, ''), base), { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, json: <T>() => JSON.parse(text) as T };
}
const get = (path: string, auth: string | undefined = keys.alice, accept?: string | null): Promise<Res> => call('GET', path, auth, accept === undefined ? {} : { accept });
const post = (path: string, objects: readonly unknown[] | string, auth = keys.alice): Promise<Res> =>
  call('POST', path, auth, { body: typeof objects === 'string' ? objects : JSON.stringify({ objects }) });
const objectsOf = (c: string): string => `/taxii2/api/collections/${c}/objects/`;

const indicator = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: '2026-03-01T00:00:00.000Z', modified: '2026-03-01T00:00:00.000Z',
  name: `scanner ${n}`, pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z',
  object_marking_refs: [TLP2_IDS.green], ...extra,
});

/** The STIX checks on every object a read returns. */
function stixChecked(objects: readonly unknown[]): void {
  for (const o of objects) expect(validateObject(o), JSON.stringify(o)).toEqual([]);
}

/** Every object of a collection as a principal pages through it by `next`. */
async function pageByNext(c: string, limit: number, auth = keys.alice, filter = ''): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined;
  let pages = 0;
  for (;;) {
    const r = await get(`${objectsOf(c)}?limit=${limit}${filter}${next ? `&next=${encodeURIComponent(next)}` : ''}`, auth);
    expect(r.status, r.text).toBe(200);
    const env = r.json<{ more: boolean; next?: string; objects?: { id: string; modified?: string }[] }>();
    expect((env.objects ?? []).length).toBeLessThanOrEqual(limit);
    stixChecked(env.objects ?? []);
    for (const o of env.objects ?? []) ids.push(`${o.id}@${o.modified ?? ''}`);
    pages++;
    if (!env.more) {
      expect(env.next).toBeUndefined();
      return { ids, pages };
    }
    expect(typeof env.next).toBe('string');
    next = env.next;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sakimori-taxii-'));
  const data = join(dir, 'data');
  const ctx = await openContext(configSchema.parse({ dataDir: data }));
  try {
    const a = await createOrg(ctx.state, { name: 'Alpha ISP' });
    const b = await createOrg(ctx.state, { name: 'Bravo CERT' });
    await createUser(ctx.state, { username: 'alice', password: PW, role: 'org-admin', org: a.id });
    await createUser(ctx.state, { username: 'amy', password: PW, role: 'org-member', org: a.id });
    await createUser(ctx.state, { username: 'bob', password: PW, role: 'org-admin', org: b.id });
    await createUser(ctx.state, { username: 'ops', password: PW, role: 'analyst' });
    keys = {
      alice: (await createApiKey(ctx.state, 'alice', 'rw', ['read', 'write'])).key,
      aliceRead: (await createApiKey(ctx.state, 'alice', 'ro', ['read'])).key,
      amy: (await createApiKey(ctx.state, 'amy', 'ro', ['read'])).key,
      bob: (await createApiKey(ctx.state, 'bob', 'rw', ['read', 'write'])).key,
      ops: (await createApiKey(ctx.state, 'ops', 'rw', ['read', 'write'])).key,
    };
    col = {
      a: (await createCollection(ctx.state, { title: 'Alpha only', read: [a.id], write: [a.id] }, 'setup')).id,
      shared: (await createCollection(ctx.state, { title: 'Shared', alias: 'shared', description: 'Alpha and Bravo', read: [a.id, b.id], write: [a.id, b.id] }, 'setup')).id,
      b: '',
    };
  } finally {
    await ctx.close();
  }
  // `sakimori taxii collection add` on the stores (no server yet); beside the server below.
  const add = await runCli(['taxii', 'collection', 'add', 'Bravo only', '--read', 'Bravo CERT', '--write', 'Bravo CERT', '--json', '--data', data]);
  expect(add.code, add.stderr).toBe(0);
  col.b = JSON.parse(add.stdout).id as string;
  dataDir = data;
  server = startCli(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn']);
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 120 s: ${out}`)), 120_000);
    server?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const u = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (u) { clearTimeout(timer); resolve(u[0]); }
    });
    server?.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
  });
}, 180_000);
afterAll(async () => {
  await stopServer(server);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('3 TAXII basics: media types, authentication, errors', () => {
  it('answers every resource as application/taxii+json;version=2.1', async () => {
    for (const path of ['/taxii2/', '/taxii2/api/', '/taxii2/api/collections/', `/taxii2/api/collections/${col.a}/`, objectsOf(col.a), '/taxii2/api/collections/nope/']) {
      const r = await get(path);
      expect(r.headers.get('content-type'), path).toBe(TAXII);
    }
  });

  it('406 for an Accept it cannot satisfy; a TAXII media type without version, */* or none are served', async () => {
    for (const accept of ['application/json', 'text/html', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1', `${TAXII};q=0`]) {
      const r = await get('/taxii2/api/', keys.alice, accept);
      expect(r.status, accept).toBe(406);
      expect(r.json()).toMatchObject({ title: 'Not Acceptable', http_status: '406' });
    }
    for (const accept of ['application/taxii+json', '*/*', `text/html, ${TAXII}`, null]) expect((await get('/taxii2/api/', keys.alice, accept)).status, String(accept)).toBe(200);
  });

  it('415 for a POST whose Content-Type is not a TAXII 2.1 envelope', async () => {
    for (const contentType of ['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'text/plain']) {
      const r = await call('POST', objectsOf(col.a), keys.alice, { body: JSON.stringify({ objects: [indicator(1)] }), contentType });
      expect(r.status, contentType).toBe(415);
      expect(r.json()).toMatchObject({ http_status: '415' });
    }
  });

  it('413 for a body over the advertised max_content_length', async () => {
    const max = (await get('/taxii2/api/')).json<{ max_content_length: number }>().max_content_length;
    const big = JSON.stringify({ objects: [indicator(2, { description: 'x'.repeat(max) })] });
    const r = await post(objectsOf(col.a), big);
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ http_status: '413' });
  });

  it('401 with WWW-Authenticate for no or wrong credentials; HTTP Basic and Bearer both sign in', async () => {
    for (const auth of [undefined, basic('alice', 'not the password!'), 'sk_wrongwro_wrongwrongwrongwrongwrongwrongwron']) {
      const r = await call('GET', '/taxii2/', auth);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/Basic realm=.*Bearer/);
      expect(r.json()).toMatchObject({ http_status: '401' });
    }
    expect((await get('/taxii2/api/collections/', basic('alice'))).status).toBe(200);
    expect((await get('/taxii2/api/collections/', keys.alice)).status).toBe(200);
  });

  it('throttles HTTP Basic like the console sign-in', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await get('/taxii2/', basic('mallory', `guess number ${i} wrong`))).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('errors are TAXII error messages with a title and the HTTP status', async () => {
    const r = await get(`${objectsOf(col.a)}?limit=0`);
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ title: expect.any(String), http_status: '400', description: expect.stringMatching(/limit/) });
  });
});

describe('4 API root endpoints', () => {
  it('4.1 discovery names the API roots and the default', async () => {
    const d = (await get('/taxii2/')).json<{ title: string; api_roots: string[]; default: string }>();
    expect(d.title).toBeTruthy();
    expect(d.api_roots).toEqual([new URL('taxii2/api/', base).toString()]);
    expect(d.default).toBe(d.api_roots[0]);
  });

  it('4.2 the API root lists version 2.1 and its max_content_length', async () => {
    const r = (await get('/taxii2/api/')).json<{ title: string; versions: string[]; max_content_length: number }>();
    expect(r.versions).toContain(TAXII);
    expect(r.max_content_length).toBeGreaterThan(0);
  });

  it('4.3 a status is readable by its poster, not by another organisation; an unknown one is 404', async () => {
    const s = (await post(objectsOf(col.shared), [indicator(30)])).json<{ id: string }>();
    expect((await get(`/taxii2/api/status/${s.id}/`)).status).toBe(200);
    expect((await get(`/taxii2/api/status/${s.id}/`, keys.bob)).status).toBe(404);
    expect((await get(`/taxii2/api/status/${uuid(404)}/`)).status).toBe(404);
  });
});

describe('5 collections', () => {
  it('5.1 lists only the collections the principal may read or write, with can_read/can_write for it', async () => {
    type List = { collections?: { id: string; can_read: boolean; can_write: boolean; media_types: string[] }[] };
    const alice = (await get('/taxii2/api/collections/')).json<List>().collections ?? [];
    expect(alice.map((c) => c.id).sort()).toEqual([col.a, col.shared].sort());
    expect(alice.every((c) => c.can_read && c.can_write)).toBe(true);
    const ro = (await get('/taxii2/api/collections/', keys.aliceRead)).json<List>().collections ?? [];
    expect(ro.every((c) => c.can_read && !c.can_write)).toBe(true);
    const bob = (await get('/taxii2/api/collections/', keys.bob)).json<List>().collections ?? [];
    expect(bob.map((c) => c.id).sort()).toEqual([col.b, col.shared].sort());
    expect(alice[0]?.media_types).toEqual(['application/stix+json;version=2.1']);
  });

  it('5.2 a collection by id or alias; another organisation\'s is 404', async () => {
    const c = (await get(`/taxii2/api/collections/${col.shared}/`)).json();
    expect(c).toMatchObject({ id: col.shared, title: 'Shared', alias: 'shared', description: 'Alpha and Bravo', can_read: true, can_write: true });
    expect((await get('/taxii2/api/collections/shared/')).json()).toMatchObject({ id: col.shared });
    expect((await get(`/taxii2/api/collections/${col.a}/`, keys.bob)).status).toBe(404);
    expect((await get(objectsOf(col.a), keys.bob)).status).toBe(404);
  });

  it('5.5 POST: 202 with a status; each invalid object reported with a message, the valid ones stored', async () => {
    const r = await post(objectsOf(col.a), [indicator(50), { type: 'indicator', id: 'indicator--bad' }, indicator(51, { modified: '2020-01-01T00:00:00Z' }), indicator(52, { object_marking_refs: [`marking-definition--${uuid(9)}`] })]);
    expect(r.status).toBe(202);
    const s = r.json<{ status: string; total_count: number; success_count: number; failure_count: number; pending_count: number; successes: { id: string; version: string }[]; failures: { id: string; message: string }[] }>();
    expect(s).toMatchObject({ status: 'complete', total_count: 4, success_count: 1, failure_count: 3, pending_count: 0 });
    expect(s.successes).toEqual([{ id: `indicator--${uuid(50)}`, version: '2026-03-01T00:00:00.000Z' }]);
    expect(s.failures.map((f) => f.id)).toEqual(['indicator--bad', `indicator--${uuid(51)}`, `indicator--${uuid(52)}`]);
    expect(s.failures[2]?.message).toMatch(/unknown marking-definition/);
    expect((await get(`${objectsOf(col.a)}${`indicator--${uuid(50)}`}/`)).status).toBe(200);
    expect((await get(`${objectsOf(col.a)}${`indicator--${uuid(51)}`}/`)).status).toBe(404);
    // The same version again: a success, not a second copy.
    const again = (await post(objectsOf(col.a), [indicator(50)])).json<{ success_count: number }>();
    expect(again.success_count).toBe(1);
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(50)}/versions/`)).json<{ versions: string[] }>().versions).toEqual(['2026-03-01T00:00:00.000Z']);
  });

  it('5.5 POST: a read-only key, a read-only member and another organisation cannot write', async () => {
    expect((await post(objectsOf(col.a), [indicator(60)], keys.aliceRead)).status).toBe(403);
    expect((await post(objectsOf(col.a), [indicator(60)], keys.amy)).status).toBe(403);
    expect((await post(objectsOf(col.a), [indicator(60)], keys.bob)).status).toBe(404);
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(60)}/`)).status).toBe(404);
    expect((await post(objectsOf(col.a), '{"objects": [', keys.alice)).json()).toMatchObject({ http_status: '400', description: expect.stringMatching(/line=1 column=14/) });
  });

  it('5.4 objects come back byte for byte as posted, in an envelope, with the date headers', async () => {
    const text = `{ "type":"indicator",  "spec_version":"2.1","id":"indicator--${uuid(70)}", "created":"2026-03-01T00:00:00.000Z","modified":"2026-03-01T00:00:00.000Z",\n "name":"caf\\u00e9 \\"odd\\" spacing", "confidence": 85, "pattern":"[ipv4-addr:value = '203.0.113.7']","pattern_type":"stix","valid_from":"2026-03-01T00:00:00Z" }`;
    expect((await post(objectsOf(col.a), `{"objects":[${text}]}`)).json()).toMatchObject({ success_count: 1 });
    const r = await get(`${objectsOf(col.a)}?match[id]=indicator--${uuid(70)}`);
    expect(r.text).toContain(text);
    const env = r.json<{ more: boolean; objects: unknown[] }>();
    expect(env.more).toBe(false);
    stixChecked(env.objects);
    const m = (await get(`/taxii2/api/collections/${col.a}/manifest/?match[id]=indicator--${uuid(70)}`)).json<{ objects: { date_added: string }[] }>();
    expect(r.headers.get('x-taxii-date-added-first')).toBe(m.objects[0]?.date_added);
    expect(r.headers.get('x-taxii-date-added-last')).toBe(m.objects[0]?.date_added);
  });

  it('5.4 objects sorted by date_added ascending; paging by next covers every object exactly once', async () => {
    const all = Array.from({ length: 123 }, (_, i) => indicator(1000 + i));
    for (let i = 0; i < all.length; i += 50) expect((await post(objectsOf(col.b), all.slice(i, i + 50), keys.bob)).json()).toMatchObject({ failure_count: 0 });
    const { ids, pages } = await pageByNext(col.b, 10, keys.bob);
    expect(ids.length).toBe(123);
    expect(new Set(ids).size).toBe(123);
    expect(pages).toBe(13);
    const m = (await get(`/taxii2/api/collections/${col.b}/manifest/`, keys.bob)).json<{ objects: { date_added: string }[] }>();
    const dates = m.objects.map((o) => o.date_added);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('5.4 paging by added_after with X-TAXII-Date-Added-Last covers every object exactly once', async () => {
    const seen: string[] = [];
    let after = '';
    for (let i = 0; i < 100; i++) {
      const r = await get(`${objectsOf(col.b)}?limit=17${after ? `&added_after=${after}` : ''}`, keys.bob);
      const env = r.json<{ more: boolean; objects?: { id: string }[] }>();
      for (const o of env.objects ?? []) seen.push(o.id);
      const last = r.headers.get('x-taxii-date-added-last');
      if (!env.more || !last) break;
      after = last;
    }
    expect(seen.length).toBe(123);
    expect(new Set(seen).size).toBe(123);
  });

  it('5.4 a cursor from another collection, endpoint or filters, or not a cursor, is a 400', async () => {
    const first = (await get(`${objectsOf(col.shared)}?limit=1`)).json<{ next?: string }>();
    await post(objectsOf(col.shared), [indicator(31), indicator(32)]);
    const withNext = (await get(`${objectsOf(col.shared)}?limit=1`)).json<{ next?: string }>();
    const next = withNext.next ?? first.next;
    expect(next).toBeTruthy();
    const n = encodeURIComponent(next ?? '');
    for (const path of [`${objectsOf(col.a)}?next=${n}`, `${objectsOf(col.shared)}?next=${n}&match[type]=malware`, `/taxii2/api/collections/${col.shared}/manifest/?next=${n}`, `${objectsOf(col.shared)}?next=not-a-cursor`]) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.json()).toMatchObject({ http_status: '400', description: expect.stringMatching(/next/) });
    }
    expect((await get(`${objectsOf(col.shared)}?limit=1&next=${n}`)).status).toBe(200);
  });

  it('3 filtering: malformed filters and match fields the endpoint does not take are a 400', async () => {
    for (const q of ['limit=0', 'limit=-1', 'limit=ten', 'added_after=yesterday', 'added_after=2026-13-01T00:00:00Z', 'match[type]=Bad!', 'match[id]=indicator--1', 'match[version]=latest',
      'match[spec_version]=two', 'match[colour]=red', 'match[type]=indicator,,malware', 'match=x']) {
      const r = await get(`${objectsOf(col.a)}?${q}`);
      expect(r.status, q).toBe(400);
    }
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(50)}/versions/?match[type]=indicator`)).status).toBe(400);
    expect((await get(`${objectsOf(col.a)}?limit=99999999`)).status).toBe(200);
  });

  it('3 filtering: match[id], match[type], match[version] (first, last, all, timestamps, lists), match[spec_version]', async () => {
    const id = `indicator--${uuid(80)}`;
    const v = (m: string): Record<string, unknown> => indicator(80, { modified: m });
    await post(objectsOf(col.a), [v('2026-03-02T00:00:00.000Z'), v('2026-03-01T00:00:00.000Z'), v('2026-03-03T00:00:00.000Z')]);
    const versions = async (q: string): Promise<string[]> => ((await get(`${objectsOf(col.a)}?match[id]=${id}${q}`)).json<{ objects?: { modified: string }[] }>().objects ?? []).map((o) => o.modified).sort();
    expect(await versions('')).toEqual(['2026-03-03T00:00:00.000Z']);
    expect(await versions('&match[version]=first')).toEqual(['2026-03-01T00:00:00.000Z']);
    expect(await versions('&match[version]=first,last')).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect((await versions('&match[version]=all')).length).toBe(3);
    expect(await versions('&match[version]=2026-03-02T00:00:00Z,last')).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect((await versions('&match[spec_version]=2.0')).length).toBe(0);
    expect((await versions('&match[spec_version]=2.1')).length).toBe(1);
    const types = (await get(`${objectsOf(col.a)}?match[type]=indicator,malware&match[version]=all`)).json<{ objects: { type: string }[] }>().objects.map((o) => o.type);
    expect(new Set(types)).toEqual(new Set(['indicator']));
    expect((await get(`${objectsOf(col.a)}?match[type]=malware`)).json()).toEqual({ more: false });
  });

  it('need-to-know: TLP:RED and AMBER+STRICT by one organisation do not reach the other; operators see all below RED', async () => {
    await post(objectsOf(col.shared), [indicator(90, { object_marking_refs: [TLP2_IDS.red] }), indicator(91, { object_marking_refs: [TLP2_IDS['amber+strict']] }), indicator(92, { object_marking_refs: [TLP2_IDS.clear] })]);
    const ids = async (auth: string): Promise<string[]> => (await pageByNext(col.shared, 1000, auth)).ids.map((x) => x.split('@')[0] ?? '');
    const alice = await ids(keys.alice);
    const bob = await ids(keys.bob);
    const ops = await ids(keys.ops);
    expect(alice).toEqual(expect.arrayContaining([`indicator--${uuid(90)}`, `indicator--${uuid(91)}`, `indicator--${uuid(92)}`]));
    expect(bob).not.toContain(`indicator--${uuid(90)}`);
    expect(bob).toEqual(expect.arrayContaining([`indicator--${uuid(91)}`, `indicator--${uuid(92)}`]));
    expect(ops).not.toContain(`indicator--${uuid(90)}`);
    expect(ops).toContain(`indicator--${uuid(91)}`);
    expect((await get(`${objectsOf(col.shared)}indicator--${uuid(90)}/`, keys.bob)).status).toBe(404);
    expect((await get(`${objectsOf(col.shared)}indicator--${uuid(90)}/versions/`, keys.bob)).status).toBe(404);
    const manifest = (await get(`/taxii2/api/collections/${col.shared}/manifest/`, keys.bob)).json<{ objects: { id: string }[] }>();
    expect(manifest.objects.map((o) => o.id)).not.toContain(`indicator--${uuid(90)}`);
    // Every delivery is in the egress audit, with its path and the policy's reason; nothing withheld is.
    const audit = await fetch(new URL(`api/v1/share/egress?path=taxii&object=indicator--${uuid(91)}`, base), { headers: { authorization: `Bearer ${keys.bob}` } });
    const entries = (await audit.json() as { entries: { objectId: string; collectionId: string; path: string; reason: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({ objectId: `indicator--${uuid(91)}`, collectionId: col.shared, path: 'taxii', reason: 'strict-audience' });
    const red = await fetch(new URL(`api/v1/share/egress?object=indicator--${uuid(90)}`, base), { headers: { authorization: `Bearer ${keys.bob}` } });
    expect((await red.json() as { entries: unknown[] }).entries).toEqual([]);
  });

  it('5.3 the manifest has id, date_added, version and media_type of each version', async () => {
    const m = (await get(`/taxii2/api/collections/${col.a}/manifest/?match[id]=indicator--${uuid(80)}&match[version]=all`)).json<{ more: boolean; objects: Record<string, string>[] }>();
    expect(m.objects.map((o) => o['version']).sort()).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    for (const o of m.objects) {
      expect(o).toEqual({ id: `indicator--${uuid(80)}`, date_added: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), version: expect.any(String), media_type: 'application/stix+json;version=2.1' });
    }
  });

  it('5.6 one object: its last version by default, others by match[version]; unknown is 404', async () => {
    const one = (await get(`${objectsOf(col.a)}indicator--${uuid(80)}/`)).json<{ objects: { modified: string }[] }>();
    expect(one.objects.map((o) => o.modified)).toEqual(['2026-03-03T00:00:00.000Z']);
    stixChecked(one.objects);
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(80)}/?match[version]=all`)).json<{ objects: unknown[] }>().objects.length).toBe(3);
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(999)}/`)).status).toBe(404);
  });

  it('5.8 versions of an object, ascending by date added, paged', async () => {
    const r = await get(`${objectsOf(col.a)}indicator--${uuid(80)}/versions/?limit=2`);
    const v = r.json<{ more: boolean; next: string; versions: string[] }>();
    expect(v.versions).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(v.more).toBe(true);
    const rest = (await get(`${objectsOf(col.a)}indicator--${uuid(80)}/versions/?limit=2&next=${encodeURIComponent(v.next)}`)).json<{ more: boolean; versions: string[] }>();
    expect(rest).toEqual({ more: false, versions: ['2026-03-03T00:00:00.000Z'] });
    expect(r.headers.get('x-taxii-date-added-first')).toMatch(/Z$/);
  });

  it('5.7 delete: writers delete their own organisation\'s versions; read-only keys and other organisations cannot', async () => {
    const path = `${objectsOf(col.shared)}indicator--${uuid(92)}/`;
    expect((await call('DELETE', path, keys.aliceRead)).status).toBe(403);
    expect((await call('DELETE', path, keys.bob)).status).toBe(404);
    expect((await get(path, keys.bob)).status).toBe(200);
    expect((await call('DELETE', `${objectsOf(col.a)}indicator--${uuid(80)}/?match[version]=first`, keys.alice)).status).toBe(200);
    expect((await get(`${objectsOf(col.a)}indicator--${uuid(80)}/versions/`)).json<{ versions: string[] }>().versions.sort()).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect((await call('DELETE', path, keys.alice)).status).toBe(200);
    expect((await get(path, keys.bob)).status).toBe(404);
  });
});

describe('sakimori taxii collection (beside the server)', () => {
  it('adds a collection through the server and lists it; what it prints is what TAXII serves', async () => {
    const add = await runCli(['taxii', 'collection', 'add', 'Late feed', '--description', 'added beside serve', '--read', 'Alpha ISP,Bravo CERT', '--write', 'Alpha ISP', '--json', '--data', dataDir]);
    expect(add.code, add.stderr).toBe(0);
    const c = JSON.parse(add.stdout) as { id: string; read: string[]; write: string[] };
    expect(c.read.length).toBe(2);
    expect(c.write.length).toBe(1);
    expect((await get(`/taxii2/api/collections/${c.id}/`, keys.bob)).json()).toMatchObject({ id: c.id, title: 'Late feed', can_read: true, can_write: false });
    const list = await runCli(['taxii', 'collection', 'list', '--data', dataDir]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`Late feed  id ${c.id}`));
    expect(list.stdout).toMatch(/Bravo only/);
    const bad = await runCli(['taxii', 'collection', 'add', 'x', '--read', 'Nobody Inc', '--data', dataDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no organisation Nobody Inc/);
  });
});
