/**
 * Reader + decoder throughput (no storage) on a pcap of ~60-byte TCP SYN frames generated in
 * memory with the test builders, fed in 4 MiB chunks like a file, into a batch of the ingest's
 * default size. The first pass includes the JIT warming up; the later ones show the steady state.
 *   node dist/bench/decode.js [--packets 3000000] [--passes 3] [--batch 1000000]
 */
import { PacketBatch } from '../src/decode/packet-batch.js';
import { readCapture } from '../src/sources/capture.js';
import { pcapFile } from '../src/sources/testing/capture-files.js';
import { ether, ipv4, tcp } from '../src/sources/testing/frames.js';
import { argValue, emit } from './lib.js';

const packets = Number(argValue('packets', '3000000'));
const passes = Math.max(1, Number(argValue('passes', '3')));
const batchSize = Number(argValue('batch', '1000000'));
const CHUNK = 4 << 20;

// 1000 distinct frames (sources, ports, IDs, sequence numbers) repeated to the size asked for.
const distinct = Array.from({ length: 1000 }, (_, k) => ({
  ts: 1_700_000_000 + k / 1000,
  frame: ether(0x0800, ipv4({ src: `192.0.2.${k % 250}`, dst: `198.18.${k >> 8}.${k & 255}`, proto: 6, id: k, ttl: 50,
    payload: tcp({ sport: 1024 + k, dport: k % 3 ? 23 : 2323, seq: (k * 7919) >>> 0, flags: 2, window: 14600 }) })),
}));
const one = pcapFile(distinct, { linkType: 1 });
const body = one.subarray(24);
const copies = Math.ceil(packets / distinct.length);
const file = new Uint8Array(24 + body.length * copies);
file.set(one.subarray(0, 24));
for (let c = 0; c < copies; c++) file.set(body, 24 + c * body.length);

async function* chunks(): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < file.length; o += CHUNK) yield file.subarray(o, o + CHUNK);
}

const batch = new PacketBatch(batchSize);
const rates: number[] = [];
let decoded = 0;
for (let pass = 0; pass < passes; pass++) {
  const t = process.hrtime.bigint();
  const s = await readCapture(chunks(), { name: 'memory', batch, onBatch: async () => undefined });
  rates.push(s.packets / (Number(process.hrtime.bigint() - t) / 1e9));
  decoded = s.packets;
}
const steady = rates.length > 1 ? rates.slice(1) : rates;
emit({
  bench: 'decode', packets: decoded, frameBytes: distinct[0]?.frame.length, fileBytes: file.length, batch: batchSize, passes,
  firstPassPacketsPerSecond: Math.round(rates[0] ?? 0),
  packetsPerSecond: Math.round(steady.reduce((a, r) => a + r, 0) / steady.length),
  megabytesPerSecond: Math.round(((steady.reduce((a, r) => a + r, 0) / steady.length) * file.length) / decoded / 1e6),
});
