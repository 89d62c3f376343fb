import { createWriteStream } from 'node:fs';
import type { GroundTruth } from './ground-truth.js';
import type { SynthOptions } from './options.js';
import { synthDarknet } from './synth-darknet.js';

/** `synthDarknet` into a file (or stdout for "-"), closed when done. */
export async function synthDarknetToFile(opts: SynthOptions, path: string): Promise<GroundTruth> {
  if (path === '-') return synthDarknet(opts, process.stdout);
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const truth = await Promise.race([synthDarknet(opts, out), failed]);
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
  return truth;
}
