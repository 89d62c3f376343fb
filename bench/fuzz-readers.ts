/**
 * A longer fuzz run of the capture readers than the test suite's: random damage to valid pcap
 * and pcapng files, read in random chunkings. Crashes (anything but CAPTURE_BAD_MAGIC) and runs
 * longer than 2 s are counted.
 *   node dist/bench/fuzz-readers.js [--iterations 100000] [--seed 1]
 */
import { PacketBatch } from '../src/decode/packet-batch.js';
import { readCapture } from '../src/sources/capture.js';
import { isSakimoriError } from '../src/errors.js';
import { ether, ipv4, ipv6, tcp, udp, icmp, ext, bytes } from '../src/sources/testing/frames.js';
import { PcapngBuilder, pcapFile } from '../src/sources/testing/capture-files.js';
import { argValue, emit } from './lib.js';
import { seededRandom } from '../src/util/seeded-random.js';

const iterations = Number(argValue('iterations', '100000'));
const rand = seededRandom(Number(argValue('seed', '1')));
const frames = Array.from({ length: 40 }, (_, k) => ether(k % 3 === 2 ? 0x86dd : 0x0800,
  k % 3 === 0 ? ipv4({ src: '192.0.2.1', dst: '198.18.0.1', proto: 6, payload: tcp({ sport: k, dport: 23, flags: 2 }) })
    : k % 3 === 1 ? ipv4({ src: '192.0.2.2', dst: '198.18.0.2', proto: k % 2 ? 17 : 1, payload: k % 2 ? udp(53, 1000) : icmp(3, 1, Array(28).fill(0)) })
      : ipv6({ src: '2001:db8::1', dst: '2001:db8:dead::1', next: 0, payload: bytes(ext('hop', 44), ext('frag', 6, { more: true }), tcp({ sport: 1, dport: 2, flags: 18 })) })));
const inputs = [
  pcapFile(frames.map((frame, k) => ({ ts: k, frame })), { linkType: 1 }),
  pcapFile(frames.map((frame, k) => ({ ts: k, frame })), { linkType: 1, bigEndian: true, nano: true }),
  frames.reduce((b, f, k) => b.epb(0, BigInt(k), f), new PcapngBuilder().shb().idb(1, { tsresol: 9 })).build(),
];
let crashes = 0;
let slow = 0;
let packets = 0;
const started = Date.now();
for (let i = 0; i < iterations; i++) {
  const data = Uint8Array.from(inputs[i % inputs.length] ?? new Uint8Array());
  for (let k = 0; k < 1 + Math.floor(rand() * 12); k++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
  const cut = rand() < 0.3 ? Math.floor(rand() * data.length) : data.length;
  const size = 1 + Math.floor(rand() * 3000);
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let o = 0; o < cut; o += size) yield data.subarray(o, Math.min(cut, o + size));
  }
  const t = Date.now();
  try {
    const s = await readCapture(chunks(), { name: 'fuzz', batch: new PacketBatch(16), onBatch: async () => undefined });
    packets += s.packets;
  } catch (e) {
    if (!(isSakimoriError(e) && e.code === 'CAPTURE_BAD_MAGIC')) {
      crashes++;
      if (crashes <= 5) process.stderr.write(`crash at iteration ${i}: ${String(e)}\n`);
    }
  }
  if (Date.now() - t > 2000) slow++;
}
emit({ bench: 'fuzz-readers', iterations, crashes, slow, packetsDecoded: packets, seconds: (Date.now() - started) / 1000 });
