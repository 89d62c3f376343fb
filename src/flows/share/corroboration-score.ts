/**
 * How other carriers' agreement raises a candidate's score (docs/flows.md, "Corroboration"):
 * each other carrier that submitted the same keyed hash is independent evidence, combined as a
 * noisy OR — it removes a fifth of the remaining doubt, up to five carriers:
 *
 *   corroboration = (1 − s) × (1 − 0.8^min(N, 5)),   s' = s + corroboration
 *
 * so 0.6 becomes 0.68 with one other carrier, 0.744 with two, 0.869 with five or more; a score
 * never passes 1 and never falls. The increment is kept as the score's `corroboration` part.
 */
import type { CncCandidate } from '../detect/candidate.js';
import { candidateKey } from './candidate-key.js';
import { candidateHash, type CommunityKey } from './community-key.js';
import type { CorroborationAnswer } from './corroboration-store.js';

export const CORROBORATION_DOUBT_KEPT = 0.8;
export const CORROBORATION_MAX_OTHERS = 5;

export function corroborationPart(score: number, others: number): number {
  const s = Math.min(1, Math.max(0, score));
  const n = Math.min(CORROBORATION_MAX_OTHERS, Math.max(0, Math.floor(others)));
  return (1 - s) * (1 - CORROBORATION_DOUBT_KEPT ** n);
}

/** The candidates with their `corroboration` part and raised score, from the hub's answers to this carrier. */
export function corroborate(candidates: readonly CncCandidate[], answers: readonly CorroborationAnswer[], key: CommunityKey): CncCandidate[] {
  const others = new Map<string, number>();
  for (const a of answers) if (a.keyId === key.keyId) others.set(a.hash, Math.max(others.get(a.hash) ?? 0, a.others));
  return candidates.map((c) => {
    const k = candidateKey(c);
    const n = k === undefined ? 0 : others.get(candidateHash(key, k)) ?? 0;
    if (n === 0) return c;
    const part = corroborationPart(c.score, n);
    return { ...c, score: Math.min(1, c.score + part), parts: { ...c.parts, corroboration: part } };
  });
}
