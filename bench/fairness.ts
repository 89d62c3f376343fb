/**
 * Issue 12, item 6: one member must not slow everyone down. A member of organisation A fires the
 * same facet-heavy search 200 times at once (as a client would: all in flight, a 429 retried
 * after its Retry-After), while a member of organisation B asks for host pages of its own
 * constituency one after another. Figure: B's host page under that load against its idle
 * median; target at most 3×.
 *
 * The API listens on loopback in this process and both members use API keys over real HTTP.
 * The synthetic services are loaded once into bench/out/fairness-data and reused while the count
 * matches (--reload to force); the table is merged after loading, as after an import settles.
 */
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { buildApp } from '../src/api/app.js';
import { createUser } from '../src/auth/users.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { addPrefixes, createOrg, getOrg } from '../src/orgs/org-store.js';
import { serviceNetworks } from '../src/synth/services.js';
import { argValue, emit } from './lib.js';
import { openServiceData } from './service-data.js';

const count = Number(argValue('services', '500000'));
const searches = Number(argValue('searches', '200'));
const idleRuns = Number(argValue('idle', '60'));
const retry = !process.argv.includes('--no-retry');
const q = argValue('q', '*');
const facets = argValue('facets', 'ip,port,country,asn,org,product,vendor,device_type,cve,tag');
const seed = 3;
const { ctx, loaded } = await openServiceData('fairness-data', count, seed);
const app = await buildApp(ctx);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))] ?? 0;
};
const ms = (x: number): number => Number(x.toFixed(1));
const r2 = (x: number): number => Number(x.toFixed(2));
try {
  if (loaded) emit({ bench: 'fairness-load', services: count, seconds: ms(loaded.seconds + loaded.mergeSeconds) });

  // Two organisations on disjoint synthetic networks, one member each, each with an API key.
  const nets = serviceNetworks(seed).v4;
  const cidr = (n: (typeof nets)[number]): string => `${n.base >>> 24}.${(n.base >>> 16) & 255}.${(n.base >>> 8) & 255}.${n.base & 255}/${n.len}`;
  const keys: Record<'a' | 'b', string> = { a: '', b: '' };
  for (const [who, slice] of [['a', nets.slice(0, 6)], ['b', nets.slice(6, 12)]] as const) {
    const name = `Fairness ${who.toUpperCase()}`;
    const org = await getOrg(ctx.state, name).catch(() => createOrg(ctx.state, { name, kind: 'isp' }));
    await addPrefixes(ctx.state, org.id, slice.map(cidr));
    const username = `fair-${who}`;
    const [u] = await ctx.state.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
    if (!u) await createUser(ctx.state, { username, password: 'bench password long enough', role: 'org-member', org: org.id });
    keys[who] = (await createApiKey(ctx.state, username, `bench ${Date.now()}`, ['read'])).key;
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
  const get = async (who: 'a' | 'b', path: string): Promise<{ status: number; retryAfter: number; body: string; ms: number }> => {
    const t = performance.now();
    const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${keys[who]}` } });
    const body = await r.text();
    return { status: r.status, retryAfter: Number(r.headers.get('retry-after') ?? 0), body, ms: performance.now() - t };
  };

  // B's host pages: addresses B's own search returns, so each page has exposure to show.
  const found = await get('b', '/search?q=*&limit=50');
  if (found.status !== 200) throw new Error(`B's search: HTTP ${found.status} ${found.body.slice(0, 300)}`);
  const ips = (JSON.parse(found.body) as { hits: { ip: string }[] }).hits.map((h) => h.ip);
  if (ips.length === 0) throw new Error('organisation B has no services: raise --services');
  let next = 0;
  const hostPage = async (): Promise<number> => {
    const r = await get('b', `/hosts/${ips[next++ % ips.length] as string}`);
    if (r.status !== 200) throw new Error(`B's host page: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    return r.ms;
  };
  const searchPath = `/search?${new URLSearchParams({ q, facets, facetSize: '100', limit: '50' })}`;

  for (let i = 0; i < 10; i++) await hostPage();
  const one = await get('a', searchPath);
  if (one.status !== 200) throw new Error(`A's search: HTTP ${one.status} ${one.body.slice(0, 300)}`);
  const total = (JSON.parse(one.body) as { total: number }).total;
  const loadStart = loadavg()[0] ?? 0;
  const idle: number[] = [];
  for (let i = 0; i < idleRuns; i++) idle.push(await hostPage());
  const searchAlone: number[] = [];
  for (let i = 0; i < 5; i++) searchAlone.push((await get('a', searchPath)).ms);
  // A fresh key for A, so the searches above count against nothing.
  keys.a = (await createApiKey(ctx.state, 'fair-a', `bench ${Date.now()}`, ['read'])).key;

  // The load: every search in flight at once; a 429 waits its Retry-After and tries again.
  const a = { ok: 0, tooMany: 0, other: 0, gaveUp: 0 };
  const started = performance.now();
  const one200 = async (): Promise<void> => {
    for (;;) {
      const r = await get('a', searchPath);
      if (r.status === 200) { a.ok++; return; }
      if (r.status !== 429) { a.other++; return; }
      a.tooMany++;
      if (!retry) { a.gaveUp++; return; }
      await new Promise((res) => setTimeout(res, Math.max(1, r.retryAfter) * 1000));
    }
  };
  let loadDone = false;
  const load = Promise.all(Array.from({ length: searches }, one200)).finally(() => { loadDone = true; });
  const busy: number[] = [];
  while (!loadDone) busy.push(await hostPage());
  await load;
  const loadSeconds = (performance.now() - started) / 1000;

  const idleMedian = pct(idle, 0.5);
  emit({
    bench: 'fairness', services: count, searches, query: q, facets, searchTotal: total, searchAloneMedianMs: ms(pct(searchAlone, 0.5)),
    hostIdleMedianMs: ms(idleMedian), hostUnderLoad: { n: busy.length, p50Ms: ms(pct(busy, 0.5)), p95Ms: ms(pct(busy, 0.95)), maxMs: ms(Math.max(...busy)) },
    ratioP50: r2(pct(busy, 0.5) / idleMedian), ratioP95: r2(pct(busy, 0.95) / idleMedian), ratioMax: r2(Math.max(...busy) / idleMedian), limit: 3,
    a: { ...a, retry, seconds: ms(loadSeconds) },
    // Other work on the machine moves every figure: the 1-minute load average before and after.
    cores: availableParallelism(), loadBefore: r2(loadStart), loadAfter: r2(loadavg()[0] ?? 0),
  });
} finally {
  await app.close();
  await ctx.close();
}
