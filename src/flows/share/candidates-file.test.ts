import { describe, expect, it } from 'vitest';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';
import { validateObject } from '../../share/stix/validate.js';
import { parseCandidatesText } from './candidates-file.js';
import { candidateObjects } from './candidate-objects.js';
import { buildSubmission } from './submission.js';
import { communityKeyOf } from './community-key.js';
import { randomCandidates } from './testing/random-candidates.js';

const HUB = { type: 'identity', spec_version: '2.1', id: 'identity--4b7f1b8e-52a4-4e8c-9d53-0d6c8f3a2b11', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'hub', identity_class: 'organization' };

describe('candidates files, corrupted and truncated (seed 1717)', () => {
  it('either parse into candidates that publish and hash without a throw, or fail with a SakimoriError, quickly', () => {
    const text = JSON.stringify({ candidates: randomCandidates(5, 40).candidates });
    const rnd = seededRandom(1717);
    const key = communityKeyOf(Buffer.alloc(32, 1));
    const t0 = performance.now();
    let parsed = 0, refused = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = Buffer.from(text);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < flips; i++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      const damaged = round % 3 === 0 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
      let list;
      try {
        list = parseCandidatesText(damaged.toString('utf8'));
      } catch (e) {
        expect(isSakimoriError(e), String(e)).toBe(true);
        refused++;
        continue;
      }
      parsed++;
      const r = candidateObjects(list, { tlp: 'amber', minScore: 0, hub: HUB, now: new Date('2026-11-22T00:00:00Z') });
      for (const o of r.objects) expect(validateObject(o)).toEqual([]);
      buildSubmission(list, key);
    }
    expect(parsed).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(100);
    expect(performance.now() - t0).toBeLessThan(60_000);
  });
});
