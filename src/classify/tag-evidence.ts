/**
 * Whether a source carries a fingerprint's tag, and how sure that is, from its counts: `hits`
 * packets matched the test out of the `applicable` packets the test applies to (a Masscan that
 * also sends UDP is judged on its TCP SYNs, not on all its packets).
 */

/** The rule, decided per source: at least one match and at least `minShare` of the packets the test applies to. */
export function carriesTag(minShare: number, hits: number, applicable: number): boolean {
  return hits > 0 && hits >= minShare * applicable;
}

/** The same rule in ClickHouse SQL over two expressions, for reports that decide it per source in a query. */
export function carriesTagSql(minShare: number, hits: string, applicable: string): string {
  return `(${hits} > 0 AND ${hits} >= ${Number(minShare)} * ${applicable})`;
}

/**
 * The probability that the source runs the tool, given that `hits` = k of its `applicable` = n
 * packets match (Bayes' rule over two hypotheses):
 *
 *   H0, not the tool: each packet matches by accident, independently, with p0 = falseMatchChance:
 *       P(k | H0) = C(n,k) · p0^k · (1 − p0)^(n−k)
 *   H1, the tool: an unknown share θ of its packets are the tool's and match, θ uniform on [0, 1]
 *       (accidental matches among the others are negligible beside θ):
 *       P(k | H1) = ∫₀¹ C(n,k) · θ^k · (1 − θ)^(n−k) dθ = 1 / (n + 1)
 *   prior P(H1) = π, the share of sources that run the tool before any packet is seen.
 *
 *   P(H1 | k, n) = π/(n+1) / (π/(n+1) + (1 − π) · C(n,k) · p0^k · (1 − p0)^(n−k))
 *
 * Computed as log-odds (stable for n in the millions and p0 = 2⁻³²). With π = 0.01: 3 of 3 SYNs
 * matching Mirai's 32-bit test give 1 − 5·10⁻²⁷; 1 of 1 matching a 16-bit test 0.997; 1 of 200
 * 0.016. Without any applicable packet there is no evidence and the answer is the prior.
 */
export function tagPosterior(applicable: number, hits: number, falseMatchChance: number, prior: number): number {
  const n = Math.max(0, Math.floor(applicable));
  const k = Math.min(n, Math.max(0, Math.floor(hits)));
  if (prior <= 0 || prior >= 1) return prior <= 0 ? 0 : 1;
  if (n === 0) return prior;
  const p0 = falseMatchChance;
  let logLikelihood0: number;
  if (p0 <= 0) logLikelihood0 = k === 0 ? 0 : -Infinity;
  else if (p0 >= 1) logLikelihood0 = k === n ? 0 : -Infinity;
  else logLikelihood0 = logChoose(n, k) + k * Math.log(p0) + (n - k) * Math.log1p(-p0);
  const logOdds = Math.log(prior) - Math.log1p(-prior) - Math.log(n + 1) - logLikelihood0;
  return 1 / (1 + Math.exp(-logOdds));
}

/**
 * The one-sided binomial test's p-value: P[X ≥ k] for X ~ Binomial(n, p0), the chance that a
 * source that does not run the tool matches at least this often. Summed in log space (stable for
 * tiny p and large n).
 */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = logChoose(n, k) + k * logP + (n - k) * logQ;
  let sum = 0;
  for (let j = k; j <= n; j++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-15) break;
    logTerm += Math.log((n - j) / (j + 1)) + logP - logQ;
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  // Stirling with corrections beyond small n; exact sum below.
  if (n < 50) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
