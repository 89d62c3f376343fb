/**
 * Query latency with many packets stored: the dashboard's API calls and `report darknet` for one
 * day (≤ 300 ms median), `host IP` (≤ 100 ms median), answered by a running `sakimori serve`.
 *
 *   node dist/bench/queries.js [--packets 50000000] [--runs 21] [--dir bench/out]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, argValue, emit, median, runMeasured, startServe } from './lib.js';
import { adminApiKey } from './admin-key.js';

const packets = Number(argValue('packets', '50000000'));
const runs = Number(argValue('runs', '21'));
const dir = resolve(argValue('dir', 'bench/out'));
mkdirSync(dir, { recursive: true });
const data = join(dir, `query-data-${packets}`);

if (!existsSync(join(data, 'ready'))) {
  const file = join(dir, `darknet-${packets}.pcap`);
  if (!existsSync(file)) {
    const s = await runMeasured(process.execPath, [CLI, 'synth', 'darknet', '--packets', String(packets), '--seed', '2', '--out', file]);
    if (s.code !== 0) throw new Error(s.stderr);
  }
  const r = await runMeasured(process.execPath, [CLI, 'ingest', 'darknet', file, '--data', data, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  emit({ bench: 'queries-setup', packets, ingestSeconds: r.seconds });
  await runMeasured('touch', [join(data, 'ready')]);
}

// Forget stored daily reports, so that the first request shows what computing one costs.
{
  const { openStores } = await import('../src/store/open-stores.js');
  const stores = await openStores({ dataDir: data });
  await stores.state.exec('DELETE FROM darknet_day_reports');
  await stores.close();
}

const headers = { authorization: `Bearer ${await adminApiKey(data)}` };
const started = startServe(data);
const server = started.server;
const base = await started.base;

async function time(url: string): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

try {
  const range = (await (await fetch(`${base}api/v1/darknet/range`, { headers })).json()) as { last: string };
  const day = new Date(new Date(range.last).getTime() - 1).toISOString().slice(0, 10);
  const coldStart = process.hrtime.bigint();
  const report = (await (await fetch(`${base}api/v1/darknet/report?from=${day}`, { headers })).json()) as { topSources: { ip: string }[]; packets: number; sources: number };
  emit({ bench: 'query', query: 'daily report computed once (cold: at ingest or first request)', storedPackets: packets, dayPackets: report.packets, daySources: report.sources, ms: Number(process.hrtime.bigint() - coldStart) / 1e6 });
  const hosts = report.topSources.map((s) => s.ip);
  const targets: [string, string, number][] = [
    ['dashboard: report (one day)', `${base}api/v1/darknet/report?from=${day}`, 300],
    ['dashboard: timeseries (one day, hourly)', `${base}api/v1/darknet/timeseries?from=${day}`, 300],
    ['dashboard: range', `${base}api/v1/darknet/range`, 300],
  ];
  for (const [name, url, limit] of targets) {
    // The first call of a day may compute and store its daily report (normally done at ingest).
    const firstMs = await time(url);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) ms.push(await time(url));
    emit({ bench: 'query', query: name, storedPackets: packets, dayPackets: report.packets, runs, firstMs, medianMs: median(ms), p90Ms: ms.sort((a, b) => a - b)[Math.floor(runs * 0.9)], limitMs: limit, ok: median(ms) <= limit });
  }
  const hostMs: number[] = [];
  for (let i = 0; i < runs; i++) hostMs.push(await time(`${base}api/v1/hosts/${encodeURIComponent(hosts[i % hosts.length] ?? '1.1.1.1')}`));
  emit({ bench: 'query', query: 'host IP', storedPackets: packets, runs, medianMs: median(hostMs), limitMs: 100, ok: median(hostMs) <= 100 });
  // The CLI end to end (process start included), answered by the running server.
  for (const [name, args] of [
    ['cli: sakimori report darknet --json', ['report', 'darknet', '--from', day, '--json']],
    ['cli: sakimori host IP --json', ['host', hosts[0] ?? '1.1.1.1', '--json']],
  ] as const) {
    const cli: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await runMeasured(process.execPath, [CLI, ...args, '--data', data]);
      if (r.code !== 0) throw new Error(r.stderr);
      cli.push(r.seconds * 1000);
    }
    emit({ bench: 'query', query: name, storedPackets: packets, runs: 7, medianMs: median(cli), note: 'includes starting node' });
  }
} finally {
  server.kill('SIGTERM');
}
