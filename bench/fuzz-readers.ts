/**
 * A longer fuzz run of the capture readers than the test suite's: the same damage to valid pcap
 * and pcapng files (src/sources/testing/fuzz-inputs.ts), read in random chunkings, some of them
 * gzip-compressed. Counted: crashes (anything thrown but CAPTURE_BAD_MAGIC), runs over 2 s, and
 * runs that lost a packet recorded before the first damaged byte.
 *   node dist/bench/fuzz-readers.js [N] [--seed 1]        (N iterations, default 100000)
 */
import { gzipSync } from 'node:zlib';
import { PacketBatch } from '../src/decode/packet-batch.js';
import { isSakimoriError } from '../src/errors.js';
import { readCapture } from '../src/sources/capture.js';
import { FUZZ_INPUTS, damage, sampleFrames } from '../src/sources/testing/fuzz-inputs.js';
import { chunked, readAll } from '../src/sources/testing/read-all.js';
import { seededRandom } from '../src/util/seeded-random.js';
import { argValue, emit } from './lib.js';

const positional = process.argv.slice(2).find((a, k, all) => /^\d+$/.test(a) && !(all[k - 1] ?? '').startsWith('--'));
const iterations = Number(positional ?? argValue('iterations', '100000'));
const rand = seededRandom(Number(argValue('seed', '1')));
const frames = sampleFrames(40);
const inputs = await Promise.all(FUZZ_INPUTS.map(async (input) => {
  const file = input.make(frames);
  return {
    file,
    recordEnds: frames.map((_, k) => input.make(frames.slice(0, k + 1)).length),
    clean: await readAll([file]),
  };
}));
const batch = new PacketBatch(16);
let crashes = 0;
let slow = 0;
let lost = 0;
let badMagic = 0;
let packets = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) {
  const input = inputs[i % inputs.length]!;
  const { damaged, firstDamage } = damage(input.file, Math.floor(i / inputs.length), rand);
  const data = rand() < 0.15 ? gzipSync(damaged) : damaged;
  const size = 1 + Math.floor(rand() * (rand() < 0.2 ? 16 : 5000));
  const t = Date.now();
  const seen: number[] = []; // source ports and sequence numbers of the packets decoded, in order
  try {
    const s = await readCapture((async function* () { yield* chunked(data, [size]); })(), {
      name: 'fuzz', batch,
      onBatch: async (b) => { for (let k = 0; k < b.length; k++) seen.push(b.sport[k]!, b.tcpSeq[k]!, b.ipId[k]!); },
    });
    packets += s.packets;
    const intact = input.recordEnds.filter((end) => end <= firstDamage).length;
    for (let k = 0; k < intact; k++) {
      const p = input.clean.packets[k]!;
      if (seen[3 * k] !== p.sport || seen[3 * k + 1] !== p.seq || seen[3 * k + 2] !== p.id) {
        lost++;
        break;
      }
    }
  } catch (e) {
    if (isSakimoriError(e) && e.code === 'CAPTURE_BAD_MAGIC') badMagic++;
    else {
      crashes++;
      if (crashes <= 5) process.stderr.write(`crash at iteration ${i}: ${String(e)}\n`);
    }
  }
  if (Date.now() - t > 2000) slow++;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
emit({ bench: 'fuzz-readers', iterations, crashes, slow, lost, badMagic, packetsDecoded: packets, seconds });
if (crashes > 0 || slow > 0 || lost > 0) process.exitCode = 1;
