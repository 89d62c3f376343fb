import { parsePrefix4, parsePrefix6, type Prefix4, type Prefix6 } from './prefixes.js';
import type { Rng } from './rng.js';

export const DEFAULT_DARKNET4 = ['198.18.0.0/15'];
export const DEFAULT_DARKNET6 = ['2001:db8:dead::/48'];

/** The telescope's address space: destinations are drawn uniformly over all its addresses. */
export class DarknetSpace {
  readonly v4: Prefix4[];
  readonly v6: Prefix6[];
  private readonly cum4: Float64Array;
  private readonly total4: number;

  constructor(v4: readonly string[] = DEFAULT_DARKNET4, v6: readonly string[] = DEFAULT_DARKNET6) {
    this.v4 = v4.map(parsePrefix4);
    this.v6 = v6.map(parsePrefix6);
    if (this.v4.length === 0) throw new Error('at least one IPv4 darknet prefix is needed');
    if (this.v6.length === 0) throw new Error('at least one IPv6 darknet prefix is needed');
    this.cum4 = new Float64Array(this.v4.length);
    let s = 0;
    this.v4.forEach((p, i) => { s += p.size; this.cum4[i] = s; });
    this.total4 = s;
  }

  dst4(rng: Rng): number {
    let x = rng.int(this.total4);
    if (this.v4.length === 1) return ((this.v4[0] as Prefix4).base + x) >>> 0;
    let i = 0;
    while (x >= (this.cum4[i] as number)) i++;
    const p = this.v4[i] as Prefix4;
    x -= (this.cum4[i] as number) - p.size;
    return (p.base + x) >>> 0;
  }

  /**
   * An IPv6 darknet address: IPv6 cannot be swept, so scanners guess — low interface ids
   * (::1, ::2 …) in the first subnets half the time, random ones otherwise.
   */
  dst6(rng: Rng, out: Uint8Array, off: number): void {
    const p = this.v6[this.v6.length === 1 ? 0 : rng.int(this.v6.length)] as Prefix6;
    const low = rng.float() < 0.5;
    for (let i = 0; i < 16; i++) {
      const bit0 = i * 8;
      const prefixBits = Math.max(0, Math.min(8, p.len - bit0));
      const mask = prefixBits >= 8 ? 0xff : (0xff << (8 - prefixBits)) & 0xff;
      let r: number;
      if (low) r = i === 15 ? rng.range(1, 16) : i >= 8 ? 0 : i === 7 ? rng.int(4) : 0;
      else r = rng.int(256);
      out[off + i] = ((p.bytes[i] as number) & mask) | (r & ~mask & 0xff);
    }
  }
}
