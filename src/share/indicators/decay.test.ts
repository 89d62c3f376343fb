import { describe, expect, it } from 'vitest';
import { DECAY_MODELS, decayedScore, scoreAt, validDays, validUntil, type DecayModel } from './decay.js';

const linear: DecayModel = { lifetimeDays: 10, decaySpeed: 1, threshold: 20 };

describe('MISP polynomial decay', () => {
  it('is the base at the sighting, 0 at the lifetime, linear when δ = 1', () => {
    expect(decayedScore(80, 0, linear)).toBe(80);
    expect(decayedScore(80, 5, linear)).toBeCloseTo(40, 10);
    expect(decayedScore(80, 10, linear)).toBe(0);
    expect(decayedScore(80, 25, linear)).toBe(0);
  });

  it('follows base × (1 − (t/τ)^(1/δ)) for other speeds', () => {
    const m: DecayModel = { lifetimeDays: 16, decaySpeed: 2, threshold: 30 };
    // (4/16)^(1/2) = 0.5
    expect(decayedScore(100, 4, m)).toBeCloseTo(50, 10);
    const slow: DecayModel = { lifetimeDays: 16, decaySpeed: 0.5, threshold: 30 };
    // (4/16)^2 = 1/16
    expect(decayedScore(100, 4, slow)).toBeCloseTo(93.75, 10);
  });

  it('expires where the score meets the threshold', () => {
    expect(validDays(80, linear)).toBeCloseTo(7.5, 10);
    for (const m of Object.values(DECAY_MODELS)) {
      const d = validDays(90, m);
      expect(decayedScore(90, d, m)).toBeCloseTo(m.threshold, 6);
      expect(decayedScore(90, d + 0.01, m)).toBeLessThan(m.threshold);
    }
    expect(validDays(20, linear)).toBe(0);
    expect(validUntil(10, new Date('2026-01-01T00:00:00Z'), linear)).toBeNull();
    expect(validUntil(80, new Date('2026-01-01T00:00:00Z'), linear)?.toISOString()).toBe('2026-01-08T12:00:00.000Z');
  });

  it('is refreshed by a new sighting: the clock starts from the last one', () => {
    const m = DECAY_MODELS.scanner;
    const now = new Date('2026-01-10T00:00:00Z');
    expect(scoreAt(90, new Date('2026-01-02T00:00:00Z'), now, m)).toBeLessThan(scoreAt(90, new Date('2026-01-09T00:00:00Z'), now, m));
    expect(scoreAt(90, now, now, m)).toBe(90);
  });

  it('decays a C&C server more slowly than a scanner', () => {
    expect(validDays(90, DECAY_MODELS.c2)).toBeGreaterThan(validDays(90, DECAY_MODELS.scanner));
  });
});
