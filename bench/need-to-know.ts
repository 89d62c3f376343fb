/**
 * Issue 4 figure: host pages with need-to-know applied are at most 20% slower than the same
 * pages for an admin, measured side by side on the same data in the same run (interleaved
 * requests through the real API with real sessions). 1M services over 10.0.0.0/12; the
 * organisation holds 1,000 /22s. (Search joins this bench when the search API lands.)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { buildApp } from '../src/api/app.js';
import { createUser } from '../src/auth/users.js';
import { argValue, emit } from './lib.js';

const services = Number(argValue('services', '1000000'));
const runs = Number(argValue('runs', '200'));
const dir = join(packageRoot(), 'bench', 'out', 'ntk-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
const app = await buildApp(ctx);
try {
  await ctx.events.exec(
    `INSERT INTO services (time, ip, port, transport, source, run_id, status, service, weak_credential, banner)
     SELECT now64(3), IPv4ToIPv6(toIPv4(167772160 + number)), [23, 80, 443][number % 3 + 1], 'tcp', 'survey', 'bench', 'open', ['telnet', 'http', 'https'][number % 3 + 1], number % 7 = 0, 'login:'
     FROM numbers({n:UInt64})`,
    { n: services },
  );
  await ctx.state.query("INSERT INTO organisations (id, name, kind) VALUES ('isp', 'Bench ISP', 'isp')");
  await ctx.state.query("INSERT INTO org_prefixes (org_id, prefix) SELECT 'isp', ('10.' || (g / 64) || '.' || ((g % 64) * 4) || '.0/22')::cidr FROM generate_series(0, 999) g");
  const pw = 'bench password long enough';
  await createUser(ctx.state, { username: 'admin', password: pw, role: 'platform-admin' });
  await createUser(ctx.state, { username: 'member', password: pw, role: 'org-member', org: 'isp' });
  const cookie = async (u: string): Promise<string> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u, password: pw } });
    return `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
  };
  const who = { admin: await cookie('admin'), member: await cookie('member') };
  // Addresses inside the organisation's prefixes, so both see the same page.
  const ips = Array.from({ length: runs }, (_, i) => {
    const n = 167772160 + ((i * 4999) % Math.min(services, 1_024_000));
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  });
  const times: Record<'admin' | 'member', number[]> = { admin: [], member: [] };
  for (const ip of ips.slice(0, 10)) for (const u of ['admin', 'member'] as const) await app.inject({ url: `/api/v1/hosts/${ip}`, headers: { cookie: who[u] } });
  for (const [i, ip] of ips.entries()) {
    const order = i % 2 ? (['admin', 'member'] as const) : (['member', 'admin'] as const);
    for (const u of order) {
      const t = performance.now();
      const r = await app.inject({ url: `/api/v1/hosts/${ip}`, headers: { cookie: who[u] } });
      times[u].push(performance.now() - t);
      if (r.statusCode !== 200) throw new Error(`${u} ${ip}: HTTP ${r.statusCode} ${r.body.slice(0, 200)}`);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const a = median(times.admin);
  const m = median(times.member);
  emit({ bench: 'need-to-know-host', services, runs, adminMedianMs: Number(a.toFixed(2)), memberMedianMs: Number(m.toFixed(2)), slowdown: Number((m / a - 1).toFixed(3)), limit: 0.2 });
} finally {
  await app.close();
  await ctx.close();
}
