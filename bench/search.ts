/**
 * Issue 3 figures: over 10 million current services, a field query with two facets answers in at
 * most 200 ms (median) and a free-text query in at most 500 ms. Issue 4 figure, search side: the
 * same searches by an organisation member (need-to-know applied) are at most 20% slower than by
 * a platform admin, measured side by side (interleaved) through the real API with real sessions.
 * A third column is the admin's query narrowed by hand to the organisation's ranges (`ip:` terms):
 * the same rows the member sees, so member vs that is what need-to-know itself adds, while member
 * vs plain admin also includes the cost of testing addresses that a query with no `ip:` avoids.
 *
 * The synthetic services are loaded once into bench/out/search-data and reused while the count
 * matches (--reload to force). The table is merged (OPTIMIZE … FINAL) after loading, as it is
 * after an import or a survey run settles.
 */
import { buildApp } from '../src/api/app.js';
import { createUser } from '../src/auth/users.js';
import { serviceNetworks } from '../src/synth/services.js';
import { argValue, emit } from './lib.js';
import { openServiceData } from './service-data.js';

const count = Number(argValue('services', '10000000'));
const runs = Number(argValue('runs', '21'));
const seed = 3;
const { ctx, loaded } = await openServiceData('search-data', count, seed);
const app = await buildApp(ctx);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
try {
  if (loaded) emit({ bench: 'search-load', services: count, loadSeconds: Number(loaded.seconds.toFixed(1)), rowsPerSecond: Math.round(count / loaded.seconds), mergeSeconds: Number(loaded.mergeSeconds.toFixed(1)) });

  // The organisation: the first (Japanese) synthetic networks, as an ISP would register them.
  const nets = serviceNetworks(seed).v4.slice(0, 6);
  const prefixes = nets.map((n) => `${n.base >>> 24}.${(n.base >>> 16) & 255}.${(n.base >>> 8) & 255}.${n.base & 255}/${n.len}`);
  await ctx.state.query("INSERT INTO organisations (id, name, kind) VALUES ('isp', 'Bench ISP', 'isp') ON CONFLICT DO NOTHING");
  for (const p of prefixes) await ctx.state.query("INSERT INTO org_prefixes (org_id, prefix) VALUES ('isp', $1::cidr) ON CONFLICT DO NOTHING", [p]);
  const pw = 'bench password long enough';
  for (const [u, role] of [['admin', 'platform-admin'], ['member', 'org-member']] as const) {
    const [exists] = await ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE username = $1', [u]);
    if (!exists?.n) await createUser(ctx.state, { username: u, password: pw, role, ...(role === 'org-member' ? { org: 'isp' } : {}) });
  }
  const cookie = async (u: string): Promise<string> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: pw } });
    return `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
  };
  const who = { admin: await cookie('admin'), member: await cookie('member') };

  const cases: { kind: 'field+2facets' | 'free-text'; q: string; facets: string; limit: number }[] = [
    { kind: 'field+2facets', q: 'port:23 country:JP', facets: 'product,asn', limit: 50 },
    { kind: 'field+2facets', q: 'service:http http.status:401', facets: 'country,port', limit: 50 },
    { kind: 'field+2facets', q: 'weak_credential:true', facets: 'country,device_type', limit: 50 },
    { kind: 'field+2facets', q: 'cve:CVE-2018-18778 OR product:Boa', facets: 'org,version', limit: 50 },
    { kind: 'free-text', q: 'busybox', facets: '', limit: 50 },
    { kind: 'free-text', q: '"NETSurveillance WEB"', facets: '', limit: 50 },
    { kind: 'free-text', q: 'ログイン', facets: '', limit: 50 },
  ];
  // The admin's query narrowed to the organisation's ranges by hand: the same rows as the member's,
  // so the difference to the member is what need-to-know itself costs.
  const ranged = (q: string): string => `(${q}) (${prefixes.map((p) => `ip:${p}`).join(' OR ')})`;
  const call = async (u: 'admin' | 'member' | 'adminRanged', c: (typeof cases)[number]): Promise<{ ms: number; total: number }> => {
    const qs = new URLSearchParams({ q: u === 'adminRanged' ? ranged(c.q) : c.q, limit: String(c.limit), ...(c.facets ? { facets: c.facets } : {}) });
    const t = performance.now();
    const r = await app.inject({ url: `/api/v1/search?${qs}`, headers: { cookie: who[u === 'member' ? 'member' : 'admin'] } });
    const ms = performance.now() - t;
    if (r.statusCode !== 200) throw new Error(`${u} ${c.q}: HTTP ${r.statusCode} ${r.body.slice(0, 300)}`);
    return { ms, total: (JSON.parse(r.body) as { total: number }).total };
  };
  for (const c of cases) {
    const users = ['admin', 'member', 'adminRanged'] as const;
    for (const u of users) await call(u, c); // warm
    const times = { admin: [] as number[], member: [] as number[], adminRanged: [] as number[] };
    let totals = { admin: 0, member: 0, adminRanged: 0 };
    for (let i = 0; i < runs; i++) {
      // Rotate the order so that none always runs first.
      for (const u of [...users.slice(i % 3), ...users.slice(0, i % 3)]) {
        const r = await call(u, c);
        times[u].push(r.ms);
        totals = { ...totals, [u]: r.total };
      }
    }
    const a = median(times.admin);
    const m = median(times.member);
    const ar = median(times.adminRanged);
    emit({
      bench: 'search', kind: c.kind, query: c.q, facets: c.facets, services: count, runs,
      adminMedianMs: Number(a.toFixed(1)), adminTotal: totals.admin, limitMs: c.kind === 'free-text' ? 500 : 200,
      memberMedianMs: Number(m.toFixed(1)), memberTotal: totals.member, memberPrefixes: prefixes.length, slowdown: Number((m / a - 1).toFixed(3)), slowdownLimit: 0.2,
      adminSameRangesMedianMs: Number(ar.toFixed(1)), adminSameRangesTotal: totals.adminRanged, slowdownVsSameRanges: Number((m / ar - 1).toFixed(3)),
    });
    if (totals.adminRanged !== totals.member) throw new Error(`member and admin-with-ranges disagree on ${c.q}: ${totals.member} vs ${totals.adminRanged}`);
  }
} finally {
  await app.close();
  await ctx.close();
}
