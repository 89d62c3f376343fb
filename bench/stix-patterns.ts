/**
 * STIX pattern throughput: the specification's example patterns (section 9) parsed in a loop;
 * indicator-shaped patterns (an address, a CIDR with a port) evaluated against a set of
 * observations; objects validated per second. The first pass includes the JIT warming up.
 *   node dist/bench/stix-patterns.js [--patterns 200000] [--passes 3] [--observations 1000]
 */
import { evaluate, type PatternObservation } from '../src/share/stix/pattern/evaluate.js';
import { parsePattern } from '../src/share/stix/pattern/parse.js';
import { SPEC_PATTERNS } from '../src/share/stix/pattern/spec-examples.js';
import { validObjects } from '../src/share/stix/testing/valid-objects.js';
import { validateObject } from '../src/share/stix/validate.js';
import { argValue, emit } from './lib.js';

const total = Number(argValue('patterns', '200000'));
const passes = Math.max(1, Number(argValue('passes', '3')));
const nObs = Number(argValue('observations', '1000'));

const perSecond = (n: number, t0: bigint): number => Math.round(n / (Number(process.hrtime.bigint() - t0) / 1e9));

for (let pass = 0; pass < passes; pass++) {
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const p = SPEC_PATTERNS[i % SPEC_PATTERNS.length] as string;
    bytes += p.length;
    if (!parsePattern(p).ok) throw new Error(`spec pattern did not parse: ${p}`);
  }
  emit({ bench: 'stix-pattern-parse', pass, patterns: total, patternsPerSecond: perSecond(total, t0), meanLength: Math.round(bytes / total) });
}

// Indicators of the kind the hub publishes, against darknet-like observations (one address and its traffic each).
const observations: PatternObservation[] = Array.from({ length: nObs }, (_, i) => {
  const src = `ipv4-addr--00000000-0000-5000-8000-${String(i).padStart(12, '0')}`;
  return { time: i * 1000, objects: [{ type: 'ipv4-addr', id: src, value: `198.51.${(i >> 8) & 255}.${i & 255}` }, { type: 'network-traffic', src_ref: src, dst_port: i % 2 ? 23 : 445, protocols: ['ipv4', 'tcp'] }] };
});
const indicators = [
  "[ipv4-addr:value = '198.51.3.231']",
  "[network-traffic:src_ref.value ISSUBSET '198.51.2.0/24' AND network-traffic:dst_port = 23]",
  "[ipv4-addr:value ISSUBSET '198.51.0.0/16'] REPEATS 3 TIMES WITHIN 10 SECONDS",
].map((p) => {
  const r = parsePattern(p);
  if (!r.ok) throw new Error(p);
  return { text: p, ast: r.pattern };
});
for (const ind of indicators) {
  const runs = 50;
  const t0 = process.hrtime.bigint();
  let matched = false;
  for (let i = 0; i < runs; i++) {
    const e = evaluate(ind.ast, observations);
    matched = e.evaluable && e.matched;
  }
  emit({ bench: 'stix-pattern-evaluate', pattern: ind.text, observations: nObs, evaluationsPerSecond: perSecond(runs, t0), matched });
}

const objects = Object.values(validObjects());
const nValidate = 100_000;
const t1 = process.hrtime.bigint();
for (let i = 0; i < nValidate; i++) validateObject(objects[i % objects.length]);
emit({ bench: 'stix-validate', objects: nValidate, objectsPerSecond: perSecond(nValidate, t1) });
