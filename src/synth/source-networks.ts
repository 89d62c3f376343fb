import { NON_PUBLIC_IPV4, overlaps4, parsePrefix4, type Prefix4 } from './prefixes.js';
import { Rng, cumulative } from './rng.js';

/**
 * The synthetic Internet our sources live in: organisations with private-use ASNs (64512–65534)
 * and clearly fictitious names, each holding a few IPv4 prefixes and perhaps an IPv6 /32 in a
 * country. Everything depends on the seed only, so the enrichment CSVs written for a seed cover
 * every source of every capture generated with that seed, whatever its size.
 */

export type OrgType = 'Telecom' | 'Hosting';

export interface SynthOrg { asn: number; name: string; country: string; type: OrgType; popularity: number }

export interface SynthNetwork {
  org: SynthOrg;
  family: 4 | 6;
  /** IPv4: first address and size; IPv6: the first 32 bits of a /32 (size 0). */
  base: number;
  size: number;
  len: number;
}

/** Share of darknet sources per country (roughly as telescopes report them). */
export const COUNTRY_WEIGHTS: Readonly<Record<string, number>> = {
  CN: 18, US: 14, BR: 8, IN: 6, RU: 6, VN: 5, KR: 4, TW: 4, JP: 4, ID: 3, DE: 3, NL: 3, GB: 2, FR: 2,
  TH: 2, IR: 2, TR: 1.5, EG: 1.5, MX: 1.5, SG: 1.5, HK: 1.5, AR: 1, UA: 1, PH: 1, BD: 1, PK: 1, IT: 1,
  CA: 1, ZA: 0.8, RO: 0.8, PL: 0.8,
};

/** Who tends to send what: bots sit in access networks, scanners and DoS victims in data centres. */
export type SourceRole = 'bot' | 'scanner' | 'victim' | 'any';

const ROLE_COUNTRY: Record<SourceRole, Readonly<Record<string, number>>> = {
  bot: { BR: 2.5, VN: 2, IN: 1.6, TW: 1.5, IR: 1.5, EG: 1.5, US: 0.4, NL: 0.2, DE: 0.4, SG: 0.3, HK: 0.5, GB: 0.3 },
  scanner: { US: 2.5, NL: 4, DE: 2.5, GB: 2, SG: 2.5, HK: 1.5, RU: 1.5, BR: 0.3, VN: 0.3, IN: 0.5, EG: 0.2 },
  victim: { US: 2, CN: 1.5, DE: 1.5, NL: 1.5, HK: 1.5, JP: 1.2, KR: 1.2 },
  any: {},
};
const ROLE_TYPE: Record<SourceRole, Record<OrgType, number>> = {
  bot: { Telecom: 1, Hosting: 0.08 },
  scanner: { Telecom: 0.25, Hosting: 1 },
  victim: { Telecom: 0.3, Hosting: 1 },
  any: { Telecom: 1, Hosting: 0.6 },
};

const ORGS = 160;
const FIRST_ASN = 64512;
/** Regional registries' IPv6 blocks (2400::/12 APNIC, 2600::/12 ARIN, 2800::/12 LACNIC, 2a00::/12 RIPE, 2c00::/12 AFRINIC). */
const V6_BLOCKS = [0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00];

export class SourceNetworks {
  readonly orgs: SynthOrg[] = [];
  readonly networks: SynthNetwork[] = [];
  private readonly used: Uint32Array;
  private readonly mult: Uint32Array;
  private readonly offset: Uint32Array;
  private readonly tables = new Map<string, Float64Array>();

  constructor(seed: number, avoid4: readonly Prefix4[] = []) {
    const rng = new Rng(seed, 0x5eed0001);
    const countries = Object.keys(COUNTRY_WEIGHTS);
    const cc = cumulative(countries.map((c) => COUNTRY_WEIGHTS[c] as number));
    const taken: Prefix4[] = [...NON_PUBLIC_IPV4.map(parsePrefix4), ...avoid4];
    const perCountry = new Map<string, number>();
    const v6Taken = new Set<number>();
    for (let i = 0; i < ORGS; i++) {
      const country = countries[rng.pick(cc)] as string;
      const type: OrgType = rng.float() < 0.6 ? 'Telecom' : 'Hosting';
      const nth = (perCountry.get(`${type}${country}`) ?? 0) + 1;
      perCountry.set(`${type}${country}`, nth);
      const org: SynthOrg = { asn: FIRST_ASN + i, name: `Synthetic ${type} ${nth} (${country})`, country, type, popularity: rng.pareto(1, 1.3, 40) };
      this.orgs.push(org);
      const nets = rng.range(1, type === 'Telecom' ? 6 : 3);
      for (let n = 0; n < nets; n++) {
        const len = rng.range(type === 'Telecom' ? 13 : 16, 20);
        const size = 2 ** (32 - len);
        for (let attempt = 0; attempt < 1000; attempt++) {
          const base = (rng.range(1, 223) * 16777216 + rng.int(16777216 / size) * size) >>> 0;
          const p = { base, size, len };
          if (taken.some((t) => overlaps4(t, p))) continue;
          taken.push(p);
          this.networks.push({ org, family: 4, base, size, len });
          break;
        }
      }
      if (rng.float() < 0.45) {
        for (let attempt = 0; attempt < 1000; attempt++) {
          const hi = ((V6_BLOCKS[rng.int(V6_BLOCKS.length)] as number) | rng.int(16)) >>> 0;
          const base = ((hi << 16) | rng.int(65536)) >>> 0;
          if (v6Taken.has(base)) continue;
          v6Taken.add(base);
          this.networks.push({ org, family: 6, base, size: 0, len: 32 });
          break;
        }
      }
    }
    const n = this.networks.length;
    this.used = new Uint32Array(n);
    this.mult = new Uint32Array(n);
    this.offset = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      this.mult[i] = (rng.u32() | 1) >>> 0; // odd multiplier: i ↦ a·i + b is a permutation modulo 2^k
      this.offset[i] = rng.u32();
    }
  }

  /** Cumulative weights over networks of one family for one role (cached). */
  private table(role: SourceRole, family: 4 | 6): Float64Array {
    const key = `${role}${family}`;
    let t = this.tables.get(key);
    if (!t) {
      const orgSize = new Map<SynthOrg, number>();
      for (const nw of this.networks) if (nw.family === family) orgSize.set(nw.org, (orgSize.get(nw.org) ?? 0) + (family === 4 ? nw.size : 1));
      t = cumulative(this.networks.map((nw) => {
        if (nw.family !== family) return 0;
        const o = nw.org;
        const share = (family === 4 ? nw.size : 1) / (orgSize.get(o) ?? 1);
        return (COUNTRY_WEIGHTS[o.country] ?? 1) * (ROLE_COUNTRY[role][o.country] ?? 1) * ROLE_TYPE[role][o.type] * o.popularity * share;
      }));
      this.tables.set(key, t);
    }
    return t;
  }

  /**
   * A fresh IPv4 source (never handed out before for this seed), as a 32-bit number. Each network
   * walks a permutation of its hosts, so addresses are unique without remembering them.
   */
  allocate4(rng: Rng, role: SourceRole): number {
    const t = this.table(role, 4);
    for (let tries = 0; ; tries++) {
      const i = tries < 64 ? rng.pick(t) : (tries - 64) % this.networks.length;
      const nw = this.networks[i] as SynthNetwork;
      if (nw.family !== 4) continue;
      while ((this.used[i] as number) < nw.size) {
        const h = ((Math.imul(this.mult[i] as number, this.used[i] as number) + (this.offset[i] as number)) >>> 0) & (nw.size - 1);
        this.used[i] = (this.used[i] as number) + 1;
        const last = h & 255;
        if (last !== 0 && last !== 255) return (nw.base + h) >>> 0;
      }
      if (tries > 64 + this.networks.length) throw new Error('synthetic IPv4 source space exhausted');
    }
  }

  /** A fresh IPv6 source written into `out[off..off+16)`: a distinct /64 per source, random interface id. */
  allocate6(rng: Rng, role: SourceRole, out: Uint8Array, off: number): void {
    const i = rng.pick(this.table(role, 6));
    const nw = this.networks[i] as SynthNetwork;
    const subnet = (Math.imul(this.mult[i] as number, this.used[i] as number) + (this.offset[i] as number)) >>> 0;
    this.used[i] = (this.used[i] as number) + 1;
    writeU32(out, off, nw.base);
    writeU32(out, off + 4, subnet);
    if (rng.float() < 0.3) {
      // Servers and routers often have small, hand-assigned interface ids (::1, ::2 …).
      writeU32(out, off + 8, 0);
      writeU32(out, off + 12, rng.range(1, 300));
    } else {
      writeU32(out, off + 8, rng.u32());
      writeU32(out, off + 12, rng.u32());
    }
  }
}

function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = v >>> 16; b[off + 2] = v >>> 8; b[off + 3] = v;
}
