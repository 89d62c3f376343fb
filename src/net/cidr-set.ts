/**
 * A set of addresses given as CIDRs: merged, sorted ranges per family, looked up by binary
 * search (a /8 and ten thousand /32s cost the same per lookup). It also numbers its addresses
 * 0 … size-1 (IPv4 first), so a scanner can walk it in any order without listing it.
 */
import { parseCidr, type CidrRange } from './cidr.js';
import type { ParsedIp } from './ip.js';

export class CidrSet {
  /** IPv4: lo[i] ≤ hi[i] < lo[i+1], as plain numbers (exact below 2^53). */
  private readonly lo4: number[] = [];
  private readonly hi4: number[] = [];
  /** Addresses before range i (prefix sums), for `at()`. */
  private readonly before4: number[] = [];
  private readonly lo6: bigint[] = [];
  private readonly hi6: bigint[] = [];
  private readonly before6: bigint[] = [];
  readonly size4: number;
  readonly size6: bigint;
  readonly ranges: readonly CidrRange[];

  constructor(cidrs: Iterable<string | CidrRange>) {
    const ranges = [...cidrs].map((c) => (typeof c === 'string' ? parseCidr(c) : c));
    this.ranges = ranges;
    const v4 = ranges.filter((r) => r.family === 4).sort((a, b) => a.lo - b.lo);
    for (const r of v4) {
      const last = this.hi4.length - 1;
      if (last >= 0 && r.lo <= (this.hi4[last] as number) + 1) this.hi4[last] = Math.max(this.hi4[last] as number, r.hi);
      else { this.lo4.push(r.lo); this.hi4.push(r.hi); }
    }
    let n = 0;
    for (let i = 0; i < this.lo4.length; i++) { this.before4.push(n); n += (this.hi4[i] as number) - (this.lo4[i] as number) + 1; }
    this.size4 = n;
    const v6 = ranges.filter((r) => r.family === 6).sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
    for (const r of v6) {
      const last = this.hi6.length - 1;
      if (last >= 0 && r.lo <= (this.hi6[last] as bigint) + 1n) { if (r.hi > (this.hi6[last] as bigint)) this.hi6[last] = r.hi; }
      else { this.lo6.push(r.lo); this.hi6.push(r.hi); }
    }
    let m = 0n;
    for (let i = 0; i < this.lo6.length; i++) { this.before6.push(m); m += (this.hi6[i] as bigint) - (this.lo6[i] as bigint) + 1n; }
    this.size6 = m;
  }

  get empty(): boolean {
    return this.lo4.length === 0 && this.lo6.length === 0;
  }

  /** Total addresses (bigint: an IPv6 /64 does not fit a number). */
  get size(): bigint {
    return BigInt(this.size4) + this.size6;
  }

  has4(ip: number): boolean {
    let a = 0, b = this.lo4.length - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      if (ip < (this.lo4[mid] as number)) b = mid - 1;
      else if (ip > (this.hi4[mid] as number)) a = mid + 1;
      else return true;
    }
    return false;
  }

  has6(ip: bigint): boolean {
    let a = 0, b = this.lo6.length - 1;
    while (a <= b) {
      const mid = (a + b) >>> 1;
      if (ip < (this.lo6[mid] as bigint)) b = mid - 1;
      else if (ip > (this.hi6[mid] as bigint)) a = mid + 1;
      else return true;
    }
    return false;
  }

  has(a: ParsedIp): boolean {
    return a.family === 4 ? this.has4(a.value) : this.has6(a.value);
  }

  /** The IPv4 address numbered `i` (0 ≤ i < size4). */
  at4(i: number): number {
    let a = 0, b = this.before4.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >>> 1;
      if ((this.before4[mid] as number) <= i) a = mid; else b = mid - 1;
    }
    return (this.lo4[a] as number) + (i - (this.before4[a] as number));
  }

  /** The address numbered `i` (IPv4 addresses first, then IPv6). */
  at(i: bigint): ParsedIp {
    if (i < BigInt(this.size4)) return { family: 4, value: this.at4(Number(i)) };
    const j = i - BigInt(this.size4);
    let a = 0, b = this.before6.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >>> 1;
      if ((this.before6[mid] as bigint) <= j) a = mid; else b = mid - 1;
    }
    return { family: 6, value: (this.lo6[a] as bigint) + (j - (this.before6[a] as bigint)) };
  }
}
