/**
 * Issue 17 figure: C&C detection over a synthetic ISP day of 100,000,000 flow records in at most
 * 10 minutes with at most 4 GiB resident. Generates the day (seed 1, an evaluation seed) into a
 * fresh embedded store, times `cnc candidates` (the scoring of every pair and server), and
 * evaluates against the generator's labels at 1:1, 1:100 and 1:1000 (thinned at query time).
 * JSON lines; `--flows N` for other sizes, `--seed S`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { synthFlowsToStore } from '../src/flows/synth/synth-flows.js';
import { topCandidates } from '../src/flows/detect/candidates.js';
import { withScoreRun } from '../src/flows/detect/score-window.js';
import { evaluateCnc } from '../src/flows/detect/evaluate.js';
import { argValue, emit } from './lib.js';

const flows = Number(argValue('flows', '100000000'));
const seed = Number(argValue('seed', '1'));
const rssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const dir = join(packageRoot(), 'bench', 'out', 'cnc-detect-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
try {
  let t = Date.now();
  const truth = await synthFlowsToStore(ctx.events, { seed, flows });
  emit({ bench: 'cnc-generate', flows: truth.records, clients: truth.clients, labelled: truth.labels.length, seconds: (Date.now() - t) / 1000, peakRssMiB: rssMiB() });
  await ctx.events.exec('OPTIMIZE TABLE flows_raw FINAL'); // a day's parts merged, as a store that has been running would have them
  const rssBefore = rssMiB();
  t = Date.now();
  // What cncCandidates does, with the time of its two stages: pairs into the scratch table, then servers scored and the top listed.
  let pairsSeconds = 0;
  const cs = await withScoreRun(ctx, { purpose: 'bench' }, async (run) => {
    pairsSeconds = (Date.now() - t) / 1000;
    return topCandidates(ctx.events, run, 100, 3);
  });
  const seconds = (Date.now() - t) / 1000;
  emit({ bench: 'cnc-detect', flows: truth.records, seconds, pairsSeconds, serversSeconds: seconds - pairsSeconds, candidatesShown: cs.length, peakRssMiB: rssMiB(), peakRssBeforeMiB: rssBefore, limitSeconds: 600, limitRssMiB: 4096 });
  for (const sample of [1, 100, 1000]) {
    t = Date.now();
    const e = await evaluateCnc(ctx, truth.labels, { sample });
    emit({
      bench: 'cnc-evaluate', flows: truth.records, sample, seconds: (Date.now() - t) / 1000, candidates: e.candidates, labelled: e.labelled, detected: e.detected,
      detectionRate: e.detectionRate, falsePositives: e.falsePositives, falsePositiveRate: e.falsePositiveRate, precisionAt10: e.precisionAt10, precisionAt100: e.precisionAt100, peakRssMiB: rssMiB(),
    });
  }
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
