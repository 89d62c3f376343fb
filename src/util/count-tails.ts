/**
 * Upper tails of count distributions, as log10 so that the very small chances a surge has
 * (10⁻⁵⁰ and less) stay comparable instead of rounding to 0.
 *
 *   Poisson(μ):            P[X ≥ k] = P(k, μ)              (regularized lower incomplete gamma)
 *   NegBin(r, p), mean μ:  P[X ≥ k] = I_{1−p}(k, r),  p = r / (r + μ)   (regularized incomplete beta)
 *
 * The continued fractions and series are those of Numerical Recipes (3rd ed., 6.2 and 6.4).
 */

const EPS = 1e-14;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;
const LN10 = Math.LN10;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < LANCZOS.length; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(a, x), the regularized lower incomplete gamma function. */
export function logGammaP(a: number, x: number): number {
  if (x <= 0) return -Infinity;
  if (x < a + 1) {
    // Series: P(a, x) = e^{−x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)).
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < MAX_ITERATIONS && Math.abs(del) >= Math.abs(sum) * EPS; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
    }
    return -x + a * Math.log(x) - logGamma(a) + Math.log(sum);
  }
  // Continued fraction for Q(a, x) = 1 − P(a, x); P is not small here.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  return Math.log1p(-Math.min(q, 1));
}

/** ln I_x(a, b), the regularized incomplete beta function. */
export function logBetaI(x: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const front = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return front + Math.log(betaFraction(x, a, b)) - Math.log(a);
  // I_x(a, b) = 1 − I_{1−x}(b, a); the fraction converges fast on that side.
  const other = Math.exp(front + Math.log(betaFraction(1 - x, b, a)) - Math.log(b));
  return Math.log1p(-Math.min(other, 1));
}

function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** log10 P[X ≥ k] for X ~ Poisson(mean). */
export function log10PoissonUpperTail(k: number, mean: number): number {
  if (k <= 0) return 0;
  if (mean <= 0) return -Infinity;
  return logGammaP(k, mean) / LN10;
}

/**
 * log10 P[X ≥ k] for a count with this mean and variance: negative binomial with
 * r = mean² / (variance − mean) when the counts are overdispersed (variance > mean), Poisson
 * otherwise (and when r is so large that the two agree).
 */
export function log10CountUpperTail(k: number, mean: number, variance: number): number {
  if (k <= 0) return 0;
  if (mean <= 0) return -Infinity;
  const r = variance > mean ? (mean * mean) / (variance - mean) : Infinity;
  if (!(r < 1e7)) return log10PoissonUpperTail(k, mean);
  return logBetaI(mean / (r + mean), k, r) / LN10;
}
