/**
 * A random permutation of 0 … n-1 generated one element at a time in O(1) memory, as ZMap
 * walks the address space: the multiplicative group of integers modulo a prime p > n is cyclic,
 * so for a generator g the sequence x, xg, xg², … (mod p) visits every value 1 … p-1 exactly
 * once; values above n are skipped. Consecutive elements land far apart, so neighbouring hosts
 * and one host's ports are not hit one after another.
 */
import { seededRandom } from '../../util/seeded-random.js';

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return r;
}

/** Deterministic Miller–Rabin for n < 3.3·10^24 (far above the 2^53 we allow). */
export function isPrime(n: bigint): boolean {
  if (n < 2n) return false;
  const small = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];
  for (const p of small) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) { d >>= 1n; r++; }
  outer: for (const a of small) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue outer;
    }
    return false;
  }
  return true;
}

/** Distinct prime factors of n (n < 2^53: trial division in doubles is exact). */
export function primeFactors(n: number): number[] {
  const out: number[] = [];
  let m = n;
  for (let q = 2; q * q <= m; q += q === 2 ? 1 : 2) {
    if (m % q === 0) {
      out.push(q);
      while (m % q === 0) m /= q;
    }
  }
  if (m > 1) out.push(m);
  return out;
}

/** The largest n a permutation accepts: products stay exact as bigints, factors as doubles. */
export const MAX_PERMUTATION = 2 ** 53 - 2;

export class CyclicPermutation {
  readonly prime: bigint;
  readonly generator: bigint;
  private readonly first: bigint;
  private x: bigint;
  private started = false;
  private finished: boolean;
  private readonly n: bigint;
  private readonly small: boolean;
  private readonly pNum: number;
  private readonly gNum: number;
  private readonly nNum: number;
  private readonly firstNum: number;
  private xNum: number;

  constructor(n: number, seed = Date.now()) {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PERMUTATION) throw new RangeError(`cannot permute ${n} elements (at most ${MAX_PERMUTATION})`);
    this.n = BigInt(n);
    const rnd = seededRandom(seed);
    let p = BigInt(Math.max(n + 1, 3));
    while (!isPrime(p)) p++;
    this.prime = p;
    const order = Number(p - 1n);
    const factors = primeFactors(order).map(BigInt);
    let g = 0n;
    for (;;) {
      // A random candidate in [2, p-1]; a generator has g^((p-1)/q) ≠ 1 for every prime q | p-1.
      const cand = 2n + BigInt(Math.floor(rnd() * Math.max(1, order - 1)));
      if (cand >= p) continue;
      if (factors.every((q) => modPow(cand, (p - 1n) / q, p) !== 1n)) { g = cand; break; }
    }
    this.generator = g;
    this.first = 1n + BigInt(Math.floor(rnd() * order));
    this.x = this.first;
    this.finished = n === 0;
    this.small = p < 2n ** 26n;
    this.pNum = Number(p);
    this.gNum = Number(g);
    this.nNum = n;
    this.firstNum = Number(this.first);
    this.xNum = this.firstNum;
  }

  /** The next element, or -1 when every element has been given. */
  next(): number {
    if (this.small) return this.nextSmall();
    while (!this.finished) {
      if (this.started) {
        this.x = (this.x * this.generator) % this.prime;
        if (this.x === this.first) { this.finished = true; break; }
      }
      this.started = true;
      if (this.x <= this.n) return Number(this.x - 1n);
    }
    return -1;
  }

  /** Same walk in doubles: exact while x·g < 2^53. */
  private nextSmall(): number {
    const p = this.pNum, g = this.gNum, n = this.nNum;
    while (!this.finished) {
      if (this.started) {
        this.xNum = (this.xNum * g) % p;
        if (this.xNum === this.firstNum) { this.finished = true; break; }
      }
      this.started = true;
      if (this.xNum <= n) return this.xNum - 1;
    }
    return -1;
  }
}
