/**
 * MISP distribution levels against our policy (docs/sharing.md "MISP"). MISP carries two sharing
 * signals, a TLP tag and a distribution level, and they can contradict each other (GREEN with
 * "your organisation only"); we keep the stricter of the two, so an import never widens what its
 * author allowed.
 */
import type { Tlp } from '../stix/tlp.js';

/** 0 your organisation only, 1 this community only, 2 connected communities, 3 all communities, 4 a sharing group, 5 inherit the event's (attributes only). */
export type MispDistribution = 0 | 1 | 2 | 3 | 4 | 5;

export const DISTRIBUTION_NAMES: Readonly<Record<MispDistribution, string>> = {
  0: 'your organisation only', 1: 'this community only', 2: 'connected communities', 3: 'all communities', 4: 'sharing group', 5: 'inherit event',
};

/**
 * Import: the TLP a distribution level means. 4 (a sharing group) is RED: delivered only to the
 * recipients named from the group's organisations, or to the collection's audience when none of
 * them is known here.
 */
export function tlpOfDistribution(d: Exclude<MispDistribution, 5>): Tlp {
  return d === 0 ? 'amber+strict' : d === 1 ? 'amber' : d === 2 ? 'green' : d === 3 ? 'clear' : 'red';
}

/** Export: the widest distribution a TLP allows (RED has no wider MISP level than the organisation). */
export function distributionOfTlp(t: Tlp): Exclude<MispDistribution, 4 | 5> {
  return t === 'clear' ? 3 : t === 'green' ? 2 : t === 'amber' ? 1 : 0;
}

const STRICT_FIRST: readonly Tlp[] = ['red', 'amber+strict', 'amber', 'green', 'clear'];

/** The stricter of two levels; null stands for "not given". */
export function stricterTlp(a: Tlp | null, b: Tlp | null): Tlp | null {
  if (a === null) return b;
  if (b === null) return a;
  return STRICT_FIRST.indexOf(a) <= STRICT_FIRST.indexOf(b) ? a : b;
}

export function isDistribution(v: unknown): v is MispDistribution {
  const n = typeof v === 'string' && /^[0-5]$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 5;
}

/** MISP sends numbers as numbers or as digit strings ("2"). */
export function distributionOf(v: unknown): MispDistribution | undefined {
  if (!isDistribution(v)) return undefined;
  return Number(v) as MispDistribution;
}
