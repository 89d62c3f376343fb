/**
 * Ingest throughput and memory, as a user sees it: `sakimori ingest darknet FILE` into a fresh
 * data directory, timed as a whole (process start, stores opened, ingest with all aggregates,
 * daily reports, exit) and its store part (reading, classifying and storing), with the CPU it used
 * on all cores (/usr/bin/time, core-seconds per million packets). Two inputs per size:
 *
 * - `synthetic`: the generator's darknet day (scanners, backscatter, Mirai, …: many packets per
 *   source);
 * - `distinct-sources`: every packet from a different source (a spoofed-source flood, a scan from
 *   a huge botnet), the worst case for the per-source aggregates.
 *
 * Beside them on the same files in the same run: `cat FILE > /dev/null` (the read limit) and
 * `tshark -T fields -e ip.src -e tcp.dstport`.
 *
 *   node dist/bench/ingest.js [--packets 20000000] [--also 5000000] [--dir bench/out] [--tshark-max 5000000]
 * tshark is slow (~17k packets/s here): by default it reads only the files up to 5M packets.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, argValue, emit, runMeasured, which } from './lib.js';
import { writeDistinctSourceCapture } from './distinct-sources.js';

const packets = Number(argValue('packets', '20000000'));
const also = Number(argValue('also', '5000000'));
const dir = resolve(argValue('dir', 'bench/out'));
const tsharkMax = Number(argValue('tshark-max', '5000000'));
/** The day of the distinct-source capture (a fixed day: the file is reused between runs). */
const DAY = '2026-01-15';
mkdirSync(dir, { recursive: true });

type Input = 'synthetic' | 'distinct-sources';

async function capture(input: Input, n: number): Promise<string> {
  const file = join(dir, input === 'synthetic' ? `darknet-${n}.pcap` : `distinct-sources-${n}.pcap`);
  if (existsSync(file)) return file;
  const started = process.hrtime.bigint();
  if (input === 'synthetic') {
    const r = await runMeasured(process.execPath, [CLI, 'synth', 'darknet', '--packets', String(n), '--seed', '1', '--out', file]);
    if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
  } else {
    await writeDistinctSourceCapture(file, n, DAY);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  emit({ bench: 'synth', input, packets: n, seconds, packetsPerSecond: n / seconds, bytes: statSync(file).size });
  return file;
}

const perMillion = (coreSeconds: number | undefined, n: number): number | undefined =>
  coreSeconds === undefined ? undefined : coreSeconds / (n / 1e6);

async function ingest(input: Input, file: string, n: number): Promise<number> {
  const data = join(dir, `data-${input}-${n}`);
  rmSync(data, { recursive: true, force: true });
  const r = await runMeasured(process.execPath, [CLI, 'ingest', 'darknet', file, '--data', data, '--json'], { cpu: true });
  if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { seconds: number; files: { newPackets: number }[]; dailyReports?: { seconds: number } };
  const stored = out.files.reduce((a, f) => a + f.newPackets, 0);
  const storeSeconds = out.seconds - (out.dailyReports?.seconds ?? 0);
  emit({
    bench: 'ingest', input, packets: n, stored, seconds: r.seconds, packetsPerSecond: n / r.seconds,
    storeSeconds, storePacketsPerSecond: n / storeSeconds, wholeToStore: r.seconds / storeSeconds,
    dailyReportSeconds: out.dailyReports?.seconds ?? 0,
    coreSeconds: r.coreSeconds, coreSecondsPerMillion: perMillion(r.coreSeconds, n),
    peakRssMiB: Math.round(r.peakRssBytes / 2 ** 20), fileBytes: statSync(file).size,
    note: 'seconds: the whole command (process start, stores opened, ingest with all aggregates, daily reports, exit); storeSeconds: decode + store with aggregates; coreSeconds: user + system on all cores',
  });
  rmSync(data, { recursive: true, force: true });
  return r.seconds;
}

const sizes = also > 0 && also !== packets ? [also, packets] : [packets];
for (const n of sizes) {
  for (const input of ['synthetic', 'distinct-sources'] as const) {
    const file = await capture(input, n);
    await runMeasured('sh', ['-c', `cat '${file}' > /dev/null`]); // warm the page cache for everyone
    const cat = await runMeasured('sh', ['-c', `cat '${file}' > /dev/null`], { cpu: true });
    const ours = await ingest(input, file, n);
    emit({ bench: 'ingest-peer', input, peer: 'cat FILE > /dev/null', packets: n, seconds: cat.seconds, coreSecondsPerMillion: perMillion(cat.coreSeconds, n), ratio: ours / cat.seconds });
    if (which('tshark') && n <= tsharkMax) {
      const t = await runMeasured('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.dstport'], { stdoutTo: 'ignore', cpu: true });
      emit({
        bench: 'ingest-peer', input, peer: 'tshark -T fields -e ip.src -e tcp.dstport', packets: n, seconds: t.seconds, packetsPerSecond: n / t.seconds,
        coreSecondsPerMillion: perMillion(t.coreSeconds, n), peakRssMiB: Math.round(t.peakRssBytes / 2 ** 20), speedup: t.seconds / ours,
      });
    } else {
      emit({ bench: 'ingest-peer', input, peer: 'tshark', packets: n, skipped: which('tshark') ? `larger than --tshark-max ${tsharkMax} (tshark reads ~17k packets/s here)` : 'tshark not installed (apt-get install -y tshark)' });
    }
  }
}
