/**
 * Cowrie JSON ingest end to end: a generated Cowrie log in Cowrie's real shapes
 * (src/honeypot/readers/testing/cowrie-sessions.ts; scanners, brute-forcers and bots that get in,
 * download and leave a tty log) ingested into a fresh embedded store in this process (reader,
 * batches of 50,000, exactly-once records, enrichment, chDB insert), then the reader alone (no
 * store) on the same file. Beside them, on the same input: python3 reading the lines with
 * json.loads, and `jq -c . >/dev/null` (when installed). One JSON line each:
 * {"bench":"honeypot-ingest","what":…,"events":…,"seconds":…,"eventsPerSecond":…,"rssMB":…}
 * Target (issue 18): ≥ 100,000 Cowrie events/s end to end into the store.
 *
 *   npx tsx bench/honeypot-ingest.ts [--events 1500000] [--batch-size 50000]
 *   (or build first and run node dist/bench/honeypot-ingest.js)
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { honeypotIngestRun } from '../src/honeypot/ingest/honeypot-ingest-run.js';
import { readLines } from '../src/honeypot/ingest/lines.js';
import { CowrieReader } from '../src/honeypot/readers/cowrie.js';
import type { HoneypotEventRow } from '../src/schema/honeypot-event.js';
import { cowrieSessions } from '../src/honeypot/readers/testing/cowrie-sessions.js';
import { argValue, emit, which } from './lib.js';

const events = Number(argValue('events', '1500000'));
const batchSize = Number(argValue('batch-size', '50000'));
const OUT = join(packageRoot(), 'bench', 'out', 'honeypot-ingest');
/** CPU seconds of this process's finished children (from /proc/self/stat: cutime + cstime). */
function childCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime) in clock ticks; after the command name they are 14th and 15th.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
const rssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const load = (): string => (spawnSync('cat', ['/proc/loadavg']).stdout?.toString() ?? '').trim();

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const log = join(OUT, 'cowrie.json');
const out = createWriteStream(log);
const pending: string[] = [];
const gen = cowrieSessions(events, (t) => { pending.push(t); });
for (const t of pending) if (!out.write(t)) await once(out, 'drain');
out.end();
await once(out, 'finish');
const bytes = statSync(log).size;
const stored = gen.events - (gen.kinds['ignored'] ?? 0);
emit({ bench: 'honeypot-ingest', what: 'input', events: gen.events, stored, sessions: gen.sessions, kinds: gen.kinds, mb: Math.round(bytes / 1e6) });

const ctx = await openContext(configSchema.parse({ dataDir: join(OUT, 'data'), log: { level: 'silent' } }));
try {
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const run = await honeypotIngestRun(ctx, [log], { format: 'cowrie', batchSize });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const coreSeconds = (cpu.user + cpu.system) / 1e6;
  const [n] = await ctx.events.query<{ n: number }>('SELECT count() AS n FROM honeypot_events');
  emit({ bench: 'honeypot-ingest', what: 'ingest (end to end, into the store)', events: run.records, lines: run.files[0]?.lines, storedRows: Number(n?.n ?? 0), seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(run.records / seconds), linesPerSecond: Math.round(gen.events / seconds), coreSeconds: +coreSeconds.toFixed(2), eventsPerCoreSecond: Math.round(run.records / coreSeconds), rssMB: rssMB(), load: load(), status: run.files[0]?.status });
} finally {
  await ctx.close();
}

{
  const reader = new CowrieReader();
  let rows: HoneypotEventRow[] = [];
  let count = 0;
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await readLines(createReadStream(log, { highWaterMark: 4 << 20 }), (ls, first) => {
    for (let i = 0; i < ls.length; i++) {
      reader.line(ls[i] as string, first + i, rows);
      if (rows.length >= batchSize) { count += rows.length; rows = []; }
    }
  }, { maxLine: 8 << 20, tooLong: () => undefined });
  reader.end();
  count += rows.length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const coreSeconds = (cpu.user + cpu.system) / 1e6;
  emit({ bench: 'honeypot-ingest', what: 'reader alone (no store)', events: count, seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(count / seconds), linesPerSecond: Math.round(gen.events / seconds), coreSeconds: +coreSeconds.toFixed(2), eventsPerCoreSecond: Math.round(count / coreSeconds) });
}

const peer = (what: string, cmd: string, args: string[]): void => {
  const started = process.hrtime.bigint();
  const before = childCpu();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const coreSeconds = childCpu() - before;
  emit({ bench: 'honeypot-ingest', what, lines: gen.events, seconds: +seconds.toFixed(2), linesPerSecond: Math.round(gen.events / seconds), coreSeconds: +coreSeconds.toFixed(2), linesPerCoreSecond: Math.round(gen.events / coreSeconds), code: r.status, ...(r.status ? { stderr: r.stderr.toString().slice(0, 200) } : {}) });
};
if (which('python3')) peer('python3 json.loads per line (peer)', 'python3', ['-c', 'import sys, json\nfor l in open(sys.argv[1], "rb"): json.loads(l)', log]);
if (which('jq')) peer('jq -c . >/dev/null (peer)', 'jq', ['-c', '.', log]);
