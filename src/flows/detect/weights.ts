/**
 * What detection weighs and where it decides (docs/flows.md, "Scores"). Tuned on generator seeds
 * 101, 102 and 103 only (`synth flows --seed 101…`); evaluation uses seeds 1, 2 and 3, never seen
 * while tuning.
 */
export const CNC_WEIGHTS = {
  /** Behaviour: a weighted sum of the parts below, each in [0, 1]. */
  beacon: 0.4,
  size: 0.15,
  server: 0.15,
  grouping: 0.3,
  /** Noisy-OR boosts: a darknet sighting (gated by some beaconing) and an imported indicator. */
  darknet: 0.5,
  indicator: 0.6,
} as const;

export const CNC_THRESHOLDS = {
  /** A pair counts as beaconing at or above this (for grouping, darknet share, rarity of beaconing clients). */
  beaconing: 0.5,
  /** When some pair beacons at or above this, rarity counts only the server's clients that beacon at or above `countedBeacon`. */
  strongBeacon: 0.8,
  countedBeacon: 0.7,
  /**
   * Rarity: a server with n (beaconing) clients keeps 1 / (1 + (n / n0)³) of its behaviour, n0 =
   * max(minN0, n0Share × all clients). A share of 2 % let CDN telemetry and NTP servers of a
   * 10,000-client ISP (150–300 users each) pass as rare on seed 101; n0 stays 25 at any size.
   */
  minN0: 25,
  n0Share: 0,
  /** Candidates at or above this are reported as C&C (the decision the evaluation's rates are about). */
  decision: 0.5,
} as const;
