/**
 * Import benchmark: N synthetic records per format written as the tools write them (ZMap CSV with
 * the full tcp_synscan field set, Masscan -oD, ZGrab2 http/ssh JSON lines, nmap -oX), each imported
 * into a fresh embedded store in this process. One JSON line per format:
 * {"bench":"import","format":…,"records":…,"seconds":…,"recordsPerSecond":…,"rssMB":…}
 * Target (issue 3): ≥ 200,000 records/s for ZMap CSV and Masscan.
 *
 *   npx tsx bench/import.ts [--records 1000000] [--rich 50000] [--nmap 20000] [--formats zmap,masscan,zgrab2,nmap] [--compare]
 *                           [--masscan-layout ndjson|lines|oneline|pretty] [--parse-only]
 *   (or build first and run node dist/bench/import.js)
 *
 * --compare adds a line for ZMap through writeServices (all 52 columns as JSON) instead of the
 * narrow insert, to show what the narrow path is for. --masscan-layout writes Masscan's status
 * records as -oD (ndjson, the default), as -oJ one per line (lines), as one JSON array on one line
 * (oneline, `jq -c .`) or pretty-printed (pretty, `jq .`). --parse-only reads and parses without a
 * store (the batches are dropped), to time the parser alone.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { packageRoot } from '../src/util/package-root.js';
import { openStores } from '../src/store/open-stores.js';
import { createEnricher } from '../src/enrich/index.js';
import { writeServices } from '../src/services/service-writer.js';
import { importFile } from '../src/imports/import-file.js';
import { batchRows } from '../src/imports/collector.js';
import type { ImportFormat } from '../src/imports/types.js';
import { masscanJson, masscanNdjson, nmapDoc, nmapHost, T0, ZMAP_HEADER, zgrab2Http, zgrab2Ssh, type PortRec } from '../src/imports/testing/samples.js';
import { argValue, emit } from './lib.js';

const ip4 = (k: number): string => `${10 + ((k >>> 24) & 127)}.${(k >>> 16) & 255}.${(k >>> 8) & 255}.${k & 255}`;

/** Writes `count` records made by `make(k)` (several per call allowed) in large pieces. */
async function writeRecords(path: string, head: string, tail: string, count: number, make: (k: number) => string): Promise<number> {
  const out = createWriteStream(path);
  out.write(head);
  let buf = '';
  for (let k = 0; k < count; k++) {
    buf += make(k);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf + tail);
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

async function generate(format: ImportFormat, dir: string, n: number): Promise<string> {
  const path = join(dir, `bench.${format}`);
  switch (format) {
    case 'zmap':
      await writeRecords(path, `${ZMAP_HEADER}\n`, '', n, (k) => `${ip4(k * 7)},198.51.100.7,${k % 3 === 0 ? 443 : 80},41234,${k},0,0,0,2023-11-15T07:13:${String(20 + (k % 40)).padStart(2, '0')}.250+0900,synack,1\n`);
      break;
    case 'masscan': {
      const rec = (k: number): PortRec => ({ ip: ip4(k * 13), port: k % 5 === 0 ? 23 : 80, ts: T0 + (k % 3600), ttl: 50 + (k % 14) });
      const layout = argValue('masscan-layout', 'ndjson');
      if (layout === 'ndjson') await writeRecords(path, '', '', n, (k) => masscanNdjson([rec(k)]));
      else if (layout === 'lines') await writeRecords(path, '[\n', ']\n', n, (k) => `${k > 0 ? ',\n' : ''}${masscanJson([rec(k)]).slice(2, -3)}`);
      else {
        const one = (k: number): unknown => (JSON.parse(masscanJson([rec(k)])) as unknown[])[0];
        if (layout === 'oneline') await writeRecords(path, '[', ']\n', n, (k) => `${k > 0 ? ',' : ''}${JSON.stringify(one(k))}`);
        else await writeRecords(path, '[\n', '\n]\n', n, (k) => `${k > 0 ? ',\n' : ''}${JSON.stringify(one(k), null, 2).replace(/^/gm, '  ')}`);
      }
      break;
    }
    case 'zgrab2':
      await writeRecords(path, '', '', n, (k) => `${k % 2 === 0 ? zgrab2Http(ip4(k), { status: k % 4 === 0 ? 401 : 200, title: `Device ${k % 100}` }) : zgrab2Ssh(ip4(k))}\n`);
      break;
    case 'nmap': {
      // Each host: two open ports with service, CPE and a script; records = hosts.
      const doc = nmapDoc(['@@HOSTS@@']);
      const [head, tail] = doc.split('@@HOSTS@@') as [string, string];
      await writeRecords(path, head, tail, n, (k) => nmapHost(ip4(k), [
        { port: 22, name: 'ssh', product: 'OpenSSH', version: '9.2p1', cpes: ['cpe:/a:openbsd:openssh:9.2p1'] },
        { port: 80, name: 'http', product: 'lighttpd', version: '1.4.59', scripts: [`<script id="http-title" output="Device ${k % 100}"/>`] },
      ], T0 + (k % 3600)));
      break;
    }
  }
  return path;
}

function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function main(): Promise<void> {
  const records = Number(argValue('records', '1000000'));
  const rich = Number(argValue('rich', '50000'));
  const nmapHosts = Number(argValue('nmap', '20000'));
  const formats = argValue('formats', 'zmap,masscan,zgrab2,nmap').split(',') as ImportFormat[];
  const out = join(packageRoot(), 'bench', 'out');
  await mkdir(out, { recursive: true });
  const dir = await mkdtemp(join(out, 'import-'));
  const enricher = createEnricher({});
  try {
    const runs: { format: ImportFormat; n: number; writer?: 'writeServices' }[] = formats.map((f) => ({ format: f, n: f === 'zgrab2' ? rich : f === 'nmap' ? nmapHosts : records }));
    if (process.argv.includes('--compare')) runs.push({ format: 'zmap', n: Math.min(records, 200_000), writer: 'writeServices' });
    for (const run of runs) {
      const file = await generate(run.format, dir, run.n);
      const bytes = (await stat(file)).size;
      const dataDir = await mkdtemp(join(dir, `data-${run.format}-`));
      const stores = await openStores({ dataDir });
      try {
        const t = process.hrtime.bigint();
        const parseOnly = process.argv.includes('--parse-only');
        const s = await importFile({
          events: stores.events, enricher,
          ...(run.writer ? { write: (b, token) => writeServices(stores.events, enricher, batchRows(b), { dedupToken: token }) } : {}),
          ...(parseOnly ? { write: async (b) => b.findings.length } : {}),
        }, file, { format: run.format, now: T0 * 1000 });
        const seconds = Number(process.hrtime.bigint() - t) / 1e9;
        const stored = (await stores.events.query<{ n: number }>('SELECT count() AS n FROM services'))[0]?.n ?? 0;
        emit({
          bench: 'import', format: run.format, ...(run.format === 'masscan' ? { layout: argValue('masscan-layout', 'ndjson') } : {}), ...(parseOnly ? { parseOnly } : {}),
          ...(run.writer ? { writer: run.writer } : {}), records: s.records, services: s.services, stored: Number(stored), errors: s.errors,
          megabytes: Math.round(bytes / 1e5) / 10, seconds: Math.round(seconds * 100) / 100, recordsPerSecond: Math.round(s.records / seconds), rssMB: peakRssMB(),
        });
      } finally {
        await stores.close();
        await rm(dataDir, { recursive: true, force: true });
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
