/**
 * Kaplan–Meier estimate of the share of cases still unresolved after t days, with cases that
 * are not resolved yet counted as censored at their follow-up time (they left the risk set
 * without an event). S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ / nᵢ).
 */
/** `count`: cases sharing this observation (default 1): a round notifies many at one time. */
export interface Observation { days: number; resolved: boolean; count?: number }
export interface KmStep { days: number; survival: number; atRisk: number; events: number; censored: number }

export function kaplanMeier(obs: readonly Observation[]): KmStep[] {
  const sorted = [...obs].filter((o) => Number.isFinite(o.days) && o.days >= 0).sort((a, b) => a.days - b.days);
  const steps: KmStep[] = [];
  let atRisk = sorted.reduce((t, o) => t + (o.count ?? 1), 0);
  let s = 1;
  for (let i = 0; i < sorted.length;) {
    const t = (sorted[i] as Observation).days;
    let events = 0;
    let censored = 0;
    // Ties: events at t count before censorings at t (the usual convention).
    while (i < sorted.length && (sorted[i] as Observation).days === t) {
      const o = sorted[i] as Observation;
      if (o.resolved) events += o.count ?? 1;
      else censored += o.count ?? 1;
      i++;
    }
    if (events > 0) s *= 1 - events / atRisk;
    steps.push({ days: t, survival: s, atRisk, events, censored });
    atRisk -= events + censored;
  }
  return steps;
}

/** Smallest t with S(t) ≤ 0.5: the median time to remediation; null when never reached. */
export function medianDays(steps: readonly KmStep[]): number | null {
  return steps.find((st) => st.survival <= 0.5)?.days ?? null;
}

/** S(t) at `days` (the last step at or before it). */
export function survivalAt(steps: readonly KmStep[], days: number): number {
  let s = 1;
  for (const st of steps) {
    if (st.days > days) break;
    s = st.survival;
  }
  return s;
}
