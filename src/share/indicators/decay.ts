/**
 * How an indicator's confidence decays: MISP's polynomial decaying model (MISP 2.4.114,
 * "Decaying of indicators"): after t days without a new sighting
 *
 *   score(t) = base × (1 − (t / τ)^(1/δ))      for 0 ≤ t ≤ τ, 0 after,
 *
 * τ the lifetime in days and δ the decay speed (δ = 1: linear; δ < 1: holds then falls fast;
 * δ > 1: falls fast then lingers). An indicator expires when its score falls below the threshold:
 *
 *   score(t) = threshold  ⇔  t = τ × (1 − threshold/base)^δ.
 *
 * A new sighting refreshes it: t counts from the last sighting again.
 */
export const DECAY_KINDS = ['scanner', 'c2'] as const;
export type DecayKind = (typeof DECAY_KINDS)[number];

export interface DecayModel {
  /** τ: days after the last sighting when the score reaches 0. */
  readonly lifetimeDays: number;
  /** δ: the polynomial's speed. */
  readonly decaySpeed: number;
  /** Below this score (0–100) the indicator is no longer valid. */
  readonly threshold: number;
}

/**
 * Scanners move on within days (a bot's address is reassigned, a VPS is rebuilt), so a scanner
 * indicator lives two weeks and falls quickly after a few quiet days; a C&C server is kept
 * longer and decays slowly, as in MISP's default NIDS model, before it expires.
 */
export const DECAY_MODELS: Readonly<Record<DecayKind, DecayModel>> = {
  scanner: { lifetimeDays: 14, decaySpeed: 0.5, threshold: 30 },
  c2: { lifetimeDays: 90, decaySpeed: 2, threshold: 30 },
};

const DAY_MS = 86_400_000;

/** The score `elapsedDays` after the last sighting (0–100, never negative). */
export function decayedScore(base: number, elapsedDays: number, m: DecayModel): number {
  if (base <= 0) return 0;
  const t = Math.max(0, elapsedDays);
  if (t >= m.lifetimeDays) return 0;
  return base * (1 - (t / m.lifetimeDays) ** (1 / m.decaySpeed));
}

/** Days after the last sighting at which the score falls to the threshold; 0 when it starts below. */
export function validDays(base: number, m: DecayModel): number {
  if (base <= m.threshold) return 0;
  return m.lifetimeDays * (1 - m.threshold / base) ** m.decaySpeed;
}

/** `valid_until` of an indicator last seen at `lastSeen`; null when it is below the threshold from the start. */
export function validUntil(base: number, lastSeen: Date, m: DecayModel): Date | null {
  const d = validDays(base, m);
  return d <= 0 ? null : new Date(lastSeen.getTime() + Math.round(d * DAY_MS));
}

/** The score now of an indicator last seen at `lastSeen`. */
export function scoreAt(base: number, lastSeen: Date, now: Date, m: DecayModel): number {
  return decayedScore(base, (now.getTime() - lastSeen.getTime()) / DAY_MS, m);
}
