/**
 * Ingest throughput and memory: a synthetic darknet pcap into the embedded store, aggregates
 * included, side by side with `cat FILE > /dev/null` (the read limit) and
 * `tshark -T fields -e ip.src -e tcp.dstport` on the same file in the same run.
 *
 *   node dist/bench/ingest.js [--packets 20000000] [--also 5000000] [--dir bench/out] [--tshark-max 5000000]
 * tshark is slow (~17k packets/s here): by default it reads only the files up to 5M packets.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, argValue, emit, runMeasured, which } from './lib.js';

const packets = Number(argValue('packets', '20000000'));
const also = Number(argValue('also', '5000000'));
const dir = resolve(argValue('dir', 'bench/out'));
const tsharkMax = Number(argValue('tshark-max', '5000000'));
mkdirSync(dir, { recursive: true });

async function capture(n: number): Promise<string> {
  const file = join(dir, `darknet-${n}.pcap`);
  if (!existsSync(file)) {
    const r = await runMeasured(process.execPath, [CLI, 'synth', 'darknet', '--packets', String(n), '--seed', '1', '--out', file]);
    if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
    emit({ bench: 'synth', packets: n, seconds: r.seconds, packetsPerSecond: n / r.seconds, bytes: statSync(file).size });
  }
  return file;
}

async function ingest(file: string, n: number): Promise<number> {
  const data = join(dir, `data-${n}`);
  rmSync(data, { recursive: true, force: true });
  const r = await runMeasured(process.execPath, [CLI, 'ingest', 'darknet', file, '--data', data, '--json']);
  if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { seconds: number; files: { newPackets: number }[]; dailyReports?: { seconds: number } };
  const stored = out.files.reduce((a, f) => a + f.newPackets, 0);
  const storeSeconds = out.seconds - (out.dailyReports?.seconds ?? 0);
  emit({
    bench: 'ingest', packets: n, stored, seconds: r.seconds, packetsPerSecond: n / r.seconds,
    storeSeconds, storePacketsPerSecond: n / storeSeconds, dailyReportSeconds: out.dailyReports?.seconds ?? 0,
    peakRssMiB: Math.round(r.peakRssBytes / 2 ** 20), fileBytes: statSync(file).size,
    note: 'seconds: the whole command (process start, ingest with all aggregates, daily reports); storeSeconds: decode + store with aggregates',
  });
  rmSync(data, { recursive: true, force: true });
  return r.seconds;
}

const sizes = also > 0 && also !== packets ? [also, packets] : [packets];
for (const n of sizes) {
  const file = await capture(n);
  await runMeasured('sh', ['-c', `cat '${file}' > /dev/null`]); // warm the page cache for everyone
  const cat = await runMeasured('sh', ['-c', `cat '${file}' > /dev/null`]);
  const ours = await ingest(file, n);
  emit({ bench: 'ingest-peer', peer: 'cat FILE > /dev/null', packets: n, seconds: cat.seconds, ratio: ours / cat.seconds });
  if (which('tshark') && n <= tsharkMax) {
    const t = await runMeasured('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.dstport'], { stdoutTo: 'ignore' });
    emit({ bench: 'ingest-peer', peer: 'tshark -T fields -e ip.src -e tcp.dstport', packets: n, seconds: t.seconds, packetsPerSecond: n / t.seconds, peakRssMiB: Math.round(t.peakRssBytes / 2 ** 20), speedup: t.seconds / ours });
  } else {
    emit({ bench: 'ingest-peer', peer: 'tshark', packets: n, skipped: which('tshark') ? `larger than --tshark-max ${tsharkMax} (tshark reads ~17k packets/s here)` : 'tshark not installed (apt-get install -y tshark)' });
  }
}
