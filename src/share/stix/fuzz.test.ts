/**
 * Seeded fuzzing of every STIX reader here: patterns (truncated, corrupted, shuffled tokens) and
 * objects (properties dropped, replaced by other JSON, truncated JSON text). None may throw or
 * hang (vitest's timeout is the guard); a pattern error's column must lie inside the text (or just after it).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { evaluate, type PatternObservation } from './pattern/evaluate.js';
import { matchTerms } from './pattern/match-terms.js';
import { parsePattern } from './pattern/parse.js';
import { SPEC_PATTERNS } from './pattern/spec-examples.js';
import { validObjects } from './testing/valid-objects.js';
import { validateBundle, validateObject } from './validate.js';
import { scoId } from './ids.js';
import { canonicalJson } from './jcs.js';

const NOISE = ["'", '[', ']', '(', ')', ':', '.', '*', '\\', ' ', '\n', '=', '!', '<', '>', '-', '+', '0', '9', 'a', 'AND', 'OR', 'NOT', 'IN', 'WITHIN', 'REPEATS', 'START', 'STOP', "t'", "h'", "b'", '/*', '//', '😀', '\u0000', ',', 'FOLLOWEDBY', 'EXISTS'];

const OBS: PatternObservation[] = [
  { time: 0, objects: [{ type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' }, { type: 'network-traffic', src_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', dst_port: 23, protocols: ['tcp'] }] },
  { time: 5000, objects: [{ type: 'domain-name', value: 'example.com' }, { type: 'url', value: 'http://example.com/' }] },
];

function mutate(text: string, rand: () => number): string {
  const s = [...text];
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    const r = rand();
    if (r < 0.33) s.splice(at, 1);
    else if (r < 0.66) s.splice(at, 0, NOISE[Math.floor(rand() * NOISE.length)] as string);
    else s[at] = NOISE[Math.floor(rand() * NOISE.length)] as string;
  }
  return s.join('');
}

describe('fuzz: patterns', () => {
  it('never throws on truncations of the specification\'s patterns, and points inside the text', () => {
    for (const p of SPEC_PATTERNS) {
      for (let n = 0; n < p.length; n++) {
        const cut = p.slice(0, n);
        const r = parsePattern(cut);
        if (!r.ok) {
          expect(r.error.column).toBeGreaterThanOrEqual(1);
          expect(r.error.column).toBeLessThanOrEqual([...cut].length + 1);
        }
      }
    }
  });

  it('never throws on corrupted patterns (seeded), and evaluates and extracts terms from whatever parses', () => {
    const rand = seededRandom(16);
    let valid = 0;
    for (let i = 0; i < 10_000; i++) {
      const p = mutate(SPEC_PATTERNS[Math.floor(rand() * SPEC_PATTERNS.length)] as string, rand);
      const r = parsePattern(p);
      if (r.ok) {
        valid++;
        evaluate(r.pattern, OBS);
        matchTerms(r.pattern);
      } else {
        expect(r.error.column).toBeGreaterThanOrEqual(1);
        expect(r.error.column).toBeLessThanOrEqual([...p].length + 1);
        expect(r.error.message.length).toBeGreaterThan(0);
      }
    }
    expect(valid).toBeGreaterThan(100);
  });

  it('never throws on token soup (seeded)', () => {
    const rand = seededRandom(1616);
    for (let i = 0; i < 5_000; i++) {
      const n = Math.floor(rand() * 30);
      const p = Array.from({ length: n }, () => NOISE[Math.floor(rand() * NOISE.length)]).join(rand() < 0.5 ? ' ' : '');
      const r = parsePattern(p);
      if (r.ok) evaluate(r.pattern, OBS);
    }
  });
});

const JSON_NOISE: unknown[] = [null, true, 0, -1, 1.5, 1e300, '', 'x', '2016-01-01T00:00:00Z', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', [], [null], ['x'], {}, { a: 1 }, [{}], { selectors: ['x'] }];

describe('fuzz: objects', () => {
  it('never throws on objects with properties dropped or replaced, or on truncated JSON (seeded)', () => {
    const rand = seededRandom(2116);
    const objects = Object.values(validObjects());
    const bundle: unknown[] = [];
    for (let i = 0; i < 5_000; i++) {
      const o = structuredClone(objects[Math.floor(rand() * objects.length)]) as Record<string, unknown>;
      const keys = Object.keys(o);
      for (let e = 0; e < 1 + Math.floor(rand() * 3); e++) {
        const k = keys[Math.floor(rand() * keys.length)] as string;
        if (rand() < 0.3) delete o[k];
        else o[rand() < 0.8 ? k : `x_${k}`] = JSON_NOISE[Math.floor(rand() * JSON_NOISE.length)];
      }
      const issues = validateObject(o);
      for (const issue of issues) expect(typeof issue.message).toBe('string');
      if (typeof o.type === 'string') {
        try {
          scoId(o.type, o as never);
        } catch (e) {
          expect(String(e)).toMatch(/not a JSON number|surrogate/);
        }
      }
      bundle.push(o);
      // Truncated JSON text: what still parses is validated too.
      const text = JSON.stringify(o);
      try {
        validateObject(JSON.parse(text.slice(0, Math.floor(rand() * text.length))));
      } catch (e) {
        expect(e).toBeInstanceOf(SyntaxError);
      }
    }
    validateBundle(bundle, { knownMarking: () => false });
    for (const x of JSON_NOISE) validateObject(x);
    expect(() => canonicalJson(bundle.slice(0, 10))).not.toThrow();
  });

  it('validates a bundle with a long chain of marking definitions without overflowing the stack', () => {
    const id = (i: number) => `marking-definition--${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const chain = Array.from({ length: 20_000 }, (_, i) => ({ type: 'marking-definition', spec_version: '2.1', id: id(i), created: '2016-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 's' }, object_marking_refs: [id((i + 1) % 20_000)] }));
    const r = validateBundle(chain);
    expect(r.size).toBe(20_000);
  });
});
