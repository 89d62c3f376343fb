/**
 * Reader + decoder throughput on an in-memory pcap of 60-byte-ish frames (no storage):
 *   node dist/bench/decode.js [--packets 3000000]
 */
import { PacketBatch } from '../src/decode/packet-batch.js';
import { readCapture } from '../src/sources/capture.js';
import { ether, ipv4, tcp } from '../src/sources/testing/frames.js';
import { pcapFile } from '../src/sources/testing/capture-files.js';
import { argValue, emit } from './lib.js';

const n = Number(argValue('packets', '3000000'));
const frames = Array.from({ length: 1000 }, (_, k) => ({
  ts: 1700000000 + k / 1000,
  frame: ether(0x0800, ipv4({ src: `192.0.2.${k % 250}`, dst: '198.18.0.1', proto: 6, id: k, payload: tcp({ sport: 1024 + k, dport: 23, seq: k * 7919, flags: 2 }) })),
}));
const one = pcapFile(frames, { linkType: 1 });
const body = one.subarray(24);
const copies = Math.ceil(n / frames.length);
const file = new Uint8Array(24 + body.length * copies);
file.set(one.subarray(0, 24));
for (let c = 0; c < copies; c++) file.set(body, 24 + c * body.length);
const chunk = 4 << 20;
async function* chunks(): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < file.length; o += chunk) yield file.subarray(o, o + chunk);
}
const t = process.hrtime.bigint();
const s = await readCapture(chunks(), { name: 'memory', batch: new PacketBatch(1_000_000), onBatch: async () => undefined });
const secs = Number(process.hrtime.bigint() - t) / 1e9;
emit({ bench: 'decode', packets: s.packets, bytes: file.length, seconds: secs, packetsPerSecond: s.packets / secs, megabytesPerSecond: file.length / secs / 1e6 });
