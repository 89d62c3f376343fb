/**
 * NetFlow v5, v9 and IPFIX flows decoded per second on one core by our decoders (wall clock, and
 * per CPU-second of this process, which is what counts on a loaded machine), replaying the
 * data datagrams of the real captures (../shared/data/flows) after their templates, into a
 * reused FlowBatch as a collector would (reset when it fills, as after a write). Beside each,
 * tshark decoding the same datagrams written into one pcap (`-T fields -e cflow.octets`, so every
 * record is dissected), in flows per core-second (user + system), when tshark is installed.
 *   node dist/bench/flow-decode.js [--flows 2000000] [--passes 3] [--tshark-flows 100000] [--protocols netflow5,netflow9,ipfix]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowBatch } from '../src/flows/flow-batch.js';
import { FlowSkipCounters } from '../src/flows/flow-skips.js';
import { netflowDecoders } from '../src/flows/netflow/decoders.js';
import { TemplateCache } from '../src/flows/netflow/template-cache.js';
import { pcapRecords, udpDatagrams } from '../src/flows/netflow/testing/pcap-udp.js';
import { packageRoot } from '../src/util/package-root.js';
import { argValue, emit, runMeasured, which } from './lib.js';

const flows = Number(argValue('flows', '2000000'));
const passes = Math.max(1, Number(argValue('passes', '3')));
const tsharkFlows = Number(argValue('tshark-flows', '100000'));
const only = argValue('protocols', 'netflow5,netflow9,ipfix').split(',');
const data = join(packageRoot(), '..', 'shared', 'data', 'flows');
const out = join(packageRoot(), 'bench', 'out');
mkdirSync(out, { recursive: true });

const INPUTS = [
  { protocol: 'netflow5', files: ['akvorado-nfv5.pcap'], templates: 0, port: 9990 },
  { protocol: 'netflow9', files: ['akvorado-nfv9-template.pcap', 'akvorado-nfv9-data.pcap'], templates: 1, port: 9995 },
  { protocol: 'ipfix', files: ['pmacct-100-ipfix-cisco.pcap'], templates: 2, port: 9991 },
] as const;

for (const input of INPUTS.filter((i) => only.includes(i.protocol))) {
  const paths = input.files.map((f) => join(data, f));
  const datagrams = paths.flatMap((p) => udpDatagrams(p));
  const cache = new TemplateCache();
  const decode = netflowDecoders(cache)[input.protocol];
  const batch = new FlowBatch(8192);
  const skips = new FlowSkipCounters();
  for (const g of datagrams.slice(0, input.templates)) decode(g.payload, { exporter: g.exporter, port: g.sport, receivedAtMs: g.receivedAtMs }, batch, skips);
  const replay = datagrams.slice(input.templates).map((g) => ({ payload: g.payload, from: { exporter: g.exporter, port: g.sport, receivedAtMs: g.receivedAtMs } }));
  batch.reset();
  const rates: number[] = [];
  const coreRates: number[] = [];
  let decoded = 0;
  for (let pass = 0; pass < passes; pass++) {
    decoded = 0;
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    while (decoded < flows) {
      for (const g of replay) {
        if (batch.length > batch.capacity - 64) batch.reset(); // the writer took the batch
        decoded += decode(g.payload, g.from, batch, skips)?.records ?? 0;
      }
    }
    rates.push(decoded / (Number(process.hrtime.bigint() - t) / 1e9));
    const used = process.cpuUsage(cpu);
    coreRates.push(decoded / ((used.user + used.system) / 1e6));
  }
  const recordsPerReplay = replay.reduce((a, g) => a + (decode(g.payload, g.from, batch, skips)?.records ?? 0), 0);
  const mean = (xs: number[]): number => {
    const steady = xs.length > 1 ? xs.slice(1) : xs;
    return Math.round(steady.reduce((a, r) => a + r, 0) / steady.length);
  };
  const result: Record<string, unknown> = {
    bench: 'flow-decode', protocol: input.protocol, flows: decoded, datagramsPerReplay: replay.length, recordsPerReplay, passes,
    firstPassFlowsPerSecond: Math.round(rates[0] ?? 0), flowsPerSecond: mean(rates), flowsPerCoreSecond: mean(coreRates),
    skips: skips.toRecord(), target: 2_000_000,
  };

  // The same datagrams for tshark: the captures' own frames, templates once, the data repeated.
  if (which('tshark')) {
    const caps = paths.map((p) => pcapRecords(p));
    const frames = caps.flatMap((c) => c.records);
    const copies = Math.max(1, Math.ceil(tsharkFlows / Math.max(1, recordsPerReplay)));
    const file = join(out, `flow-decode-${input.protocol}.pcap`);
    const body = frames.slice(input.templates);
    writeFileSync(file, Buffer.concat([caps[0]?.header ?? new Uint8Array(), ...frames.slice(0, input.templates), ...Array.from({ length: copies }, () => body).flat()]));
    const r = await runMeasured('tshark', ['-r', file, '-d', `udp.port==${input.port},cflow`, '-T', 'fields', '-e', 'cflow.octets'], { cpu: true, stdoutTo: 'ignore' });
    const tflows = copies * recordsPerReplay;
    result['tshark'] = { flows: tflows, coreSeconds: r.coreSeconds, flowsPerCoreSecond: r.coreSeconds ? Math.round(tflows / r.coreSeconds) : null, exit: r.code };
  } else {
    result['tshark'] = 'skipped: tshark not installed (Debian package tshark)';
  }
  emit(result);
}
