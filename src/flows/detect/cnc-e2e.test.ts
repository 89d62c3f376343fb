import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { synthFlowsToStore, type SynthFlowsResult } from '../synth/synth-flows.js';
import { planIsp, endpointText } from '../synth/isp-plan.js';
import { cncCandidates } from './candidates.js';
import { evaluateCnc } from './evaluate.js';
import { CNC_THRESHOLDS } from './weights.js';

// Seed 1 is an evaluation seed: weights and thresholds were tuned on seeds 101–103 only.
const SEED = 1;
const CLIENTS = 200;

let s: TempStores;
let truth: SynthFlowsResult;
beforeAll(async () => {
  s = await tempStores('cnc-e2e');
  truth = await synthFlowsToStore(s.events, { seed: SEED, clients: CLIENTS });
}, 120_000);
afterAll(async () => { await s.dispose(); });

describe('C&C detection end to end on the synthetic ISP', () => {
  it('finds the labelled C&C servers at 1:1 with almost no false positives', async () => {
    const e = await evaluateCnc(s, truth.labels);
    expect(e.labelled).toBe(new Set(truth.labels.map((l) => `${l.server}/${l.port}/${l.proto}`)).size);
    expect(e.candidates).toBeGreaterThan(1000);
    expect(e.detectionRate).toBeGreaterThanOrEqual(0.8);
    expect(e.falsePositiveRate).toBeLessThanOrEqual(0.001);
    expect(e.precisionAt10).toBeGreaterThanOrEqual(0.7);
    // Every kind is found at least once, and ranks are those of the scores.
    for (const kind of ['irc', 'http', 'sleep', 'p2p', 'cloud']) expect(e.ranks.some((r) => r.kind === kind && (r.rank ?? Infinity) <= 40)).toBe(true);
    const reads = await s.state.query<{ purpose: string }>(`SELECT purpose FROM flow_raw_reads WHERE purpose = 'cnc-evaluate'`);
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the popular periodic services (NTP, updates, push, telemetry) below the decision', async () => {
    const cs = await cncCandidates(s, { limit: 5000, evidence: 0 });
    const plan = planIsp({ seed: SEED, clients: CLIENTS });
    const popular = plan.periodic.filter((p) => !p.users).flatMap((p) => p.servers.map((e) => `${endpointText(e)}/${e.port}/${e.proto}`));
    expect(popular.length).toBeGreaterThan(4);
    const seen = cs.filter((c) => popular.includes(`${c.server}/${c.port}/${c.proto}`));
    expect(seen.length).toBe(popular.length);
    for (const c of seen) {
      expect(c.score).toBeLessThan(CNC_THRESHOLDS.decision);
      expect(c.parts['rarity']).toBeLessThan(0.05);
    }
    const labelled = new Set(truth.labels.map((l) => `${l.server}/${l.port}/${l.proto}`));
    expect(labelled.has(`${cs[0]?.server}/${cs[0]?.port}/${cs[0]?.proto}`) || (cs[0]?.clients ?? 0) <= 6).toBe(true);
  });

  it('evaluates at 1:100 by thinning the stored packets at query time', async () => {
    const e = await evaluateCnc(s, truth.labels, { sample: 100 });
    const full = await evaluateCnc(s, truth.labels, { sample: 1 });
    expect(e.sample).toBe(100);
    expect(e.candidates).toBeLessThan(full.candidates);
    expect(e.detectionRate).toBeLessThanOrEqual(full.detectionRate);
    expect(e.detectionRate).toBeGreaterThan(0);
  });
});
