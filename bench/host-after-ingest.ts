/**
 * `host IP` right after an ingest, before the parts are merged (issue 14: at most 100 ms).
 *
 *   node dist/bench/host-after-ingest.js [--packets 20000000] [--runs 7] [--dir bench/out] [--paths in-process,api]
 *
 * Ingests a synthetic day once into `host-fresh-<packets>/` and never opens that directory again:
 * every measurement starts from a copy of it, as the ingest left it (one part per batch and
 * table). Two figures per host group (the 10 sources with the most packets, 10 taken at random):
 *
 * - `in-process`: the host page's function on a copy whose merges are stopped, so every call sees
 *   the unmerged parts (the worst case, and a figure that does not drift while it is measured),
 *   run as the API runs it (a cheap request's query context: the store's request lanes), with
 *   the CPU time the process spent per call beside the wall time (less at the mercy of other
 *   processes on a shared machine);
 * - `api`: `GET /api/v1/hosts/IP` from a `sakimori serve` started on another copy, measured at
 *   once while the server merges in the background (what a user sees right after an ingest).
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, argValue, emit, median, runMeasured, startServe } from './lib.js';
import { adminApiKey } from './admin-key.js';

const packets = Number(argValue('packets', '20000000'));
const runs = Number(argValue('runs', '7'));
const dir = resolve(argValue('dir', 'bench/out'));
mkdirSync(dir, { recursive: true });
const paths = argValue('paths', 'in-process,api').split(',');
const fresh = join(dir, `host-fresh-${packets}`);

if (!existsSync(join(fresh, 'ready'))) {
  const file = join(dir, `darknet-${packets}.pcap`);
  if (!existsSync(file)) {
    const s = await runMeasured(process.execPath, [CLI, 'synth', 'darknet', '--packets', String(packets), '--seed', '2', '--out', file]);
    if (s.code !== 0) throw new Error(s.stderr);
  }
  rmSync(fresh, { recursive: true, force: true });
  const r = await runMeasured(process.execPath, [CLI, 'ingest', 'darknet', file, '--data', fresh, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  emit({ bench: 'host-after-ingest-setup', packets, ingestSeconds: r.seconds });
  await runMeasured('touch', [join(fresh, 'ready')]);
}

function copyOfFresh(name: string): string {
  const to = join(dir, `host-fresh-${packets}-${name}`);
  rmSync(to, { recursive: true, force: true });
  cpSync(fresh, to, { recursive: true });
  rmSync(join(to, 'ready'), { force: true });
  return to;
}

const stats = (ms: number[]): { medianMs: number; p90Ms: number; maxMs: number } => {
  const s = [...ms].sort((a, b) => a - b);
  return { medianMs: median(s), p90Ms: s[Math.floor((s.length - 1) * 0.9)] as number, maxMs: s[s.length - 1] as number };
};

// In process, merges stopped.
const { openContext } = await import('../src/app/context.js');
const { configSchema } = await import('../src/config/schema.js');
const { hostView } = await import('../src/analyze/host-view.js');
const { UNRESTRICTED } = await import('../src/store/need-to-know.js');
const { withQueryContext } = await import('../src/store/events/query-context.js');
const local = copyOfFresh('in-process');
const ctx = await openContext(configSchema.parse({ dataDir: local }));
let groups: [string, string[]][];
try {
  await ctx.events.exec('SYSTEM STOP MERGES');
  const parts = await ctx.events.query<{ table: string; parts: number }>(
    `SELECT table, count() AS parts FROM system.parts WHERE active AND database = currentDatabase()
       AND table IN ('darknet_packets', 'darknet_source_day', 'services_current') GROUP BY table ORDER BY table`,
  );
  const pick = async (order: string): Promise<string[]> =>
    (await ctx.events.query<{ ip: string }>(
      `SELECT IPv6NumToString(src) AS ip FROM darknet_source_day GROUP BY src ORDER BY ${order} LIMIT 10`,
    )).map((r) => r.ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1'));
  groups = [['top 10 sources by packets', await pick('sum(packets) DESC, src')], ['10 sources at random', await pick('cityHash64(src)')]];
  const page = (ip: string): Promise<unknown> => withQueryContext({ principal: 'bench', cost: 'cheap' }, () => hostView(ctx, ip, UNRESTRICTED));
  for (const [name, hosts] of groups) {
    for (const ip of hosts) await page(ip); // first touch of each part's files
    const ms: number[] = [];
    const cpuMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const ip of hosts) {
        const t = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        await page(ip);
        const used = process.cpuUsage(cpu);
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        cpuMs.push((used.user + used.system) / 1000);
      }
    }
    emit({
      bench: 'host-after-ingest', path: 'in-process, merges stopped', hosts: name, storedPackets: packets,
      parts: Object.fromEntries(parts.map((p) => [p.table, p.parts])), calls: ms.length, ...stats(ms),
      cpuMedianMs: median(cpuMs), limitMs: 100, ok: median(ms) <= 100,
    });
  }
} finally {
  await ctx.close();
  rmSync(local, { recursive: true, force: true });
}

if (!paths.includes('api')) process.exit(0);

// Through the API of a server that has just started on the unmerged store, as a platform admin.
const served = copyOfFresh('api');
const key = await adminApiKey(served);
const started = process.hrtime.bigint();
const { server, base: serving } = startServe(served);
try {
  const base = await serving;
  const get = async (ip: string): Promise<number> => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}api/v1/hosts/${encodeURIComponent(ip)}`, { headers: { authorization: `Bearer ${key}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${ip}: ${res.status}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const [name, hosts] of groups) {
    const from = Number(process.hrtime.bigint() - started) / 1e9;
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) for (const ip of hosts) ms.push(await get(ip));
    emit({ bench: 'host-after-ingest', path: 'api, serve merging in the background', hosts: name, storedPackets: packets, secondsAfterStart: [from, Number(process.hrtime.bigint() - started) / 1e9].map((s) => Math.round(s * 10) / 10), calls: ms.length, ...stats(ms), limitMs: 100, ok: median(ms) <= 100 });
  }
} finally {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(served, { recursive: true, force: true });
}
