import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { seededRandom } from '../util/seeded-random.js';
import { FUZZ_INPUTS, damage, sampleFrames } from './testing/fuzz-inputs.js';
import { chunked, readAll, type Decoded } from './testing/read-all.js';

const ITERATIONS = 800; // per input: 3200 damaged captures in all
const frames = sampleFrames(40);

/**
 * Damaged captures (fixed seed): bytes changed, the file cut, bytes removed or inserted, length
 * fields set to random values; read in random chunkings, some gzip-compressed. Every run ends
 * in bounded time, throws nothing but CAPTURE_BAD_MAGIC, and every packet whose record ends
 * before the first damaged byte is decoded exactly as in the clean file.
 */
describe('capture readers under corruption (fixed seed)', () => {
  for (const [n, input] of FUZZ_INPUTS.entries()) {
    it(`survives ${ITERATIONS} damaged copies of a ${input.name} capture`, async () => {
      const file = input.make(frames);
      const recordEnds = frames.map((_, k) => input.make(frames.slice(0, k + 1)).length);
      const clean = await readAll([file]);
      expect(clean.packets.length).toBe(frames.length);
      const rand = seededRandom(1000 + n);
      const int = (below: number): number => Math.floor(rand() * below);
      let badMagic = 0;
      for (let iter = 0; iter < ITERATIONS; iter++) {
        const { damaged, firstDamage } = damage(file, iter, rand);
        const gzip = iter % 7 === 0;
        const stream = chunked(gzip ? gzipSync(damaged) : damaged, [1 + int(rand() < 0.2 ? 16 : 5000)]);
        const started = Date.now();
        let got: { packets: Decoded[] };
        try {
          got = await readAll(stream, 1 + int(20));
        } catch (e) {
          expect(e).toBeInstanceOf(SakimoriError);
          expect((e as SakimoriError).code).toBe('CAPTURE_BAD_MAGIC');
          expect(firstDamage).toBeLessThan(12); // only damage to the magic numbers can do that
          badMagic++;
          continue;
        }
        expect(Date.now() - started).toBeLessThan(2000);
        const intact = recordEnds.filter((end) => end <= firstDamage).length;
        expect(got.packets.slice(0, intact)).toEqual(clean.packets.slice(0, intact));
      }
      expect(badMagic).toBeLessThan(ITERATIONS / 10);
    });
  }
});
