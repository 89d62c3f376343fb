/**
 * The lookup side: an `IpEnricher` over an ASN layer and a country layer, each optional.
 * Every method is allocation-free: typed-array searches returning numbers or strings that
 * already exist in the layer's string table.
 */
import { emptyLayer, type LayerTables } from './layer-tables.js';
import { Search4, Search6 } from './range-search.js';

export interface IpEnricher {
  readonly empty: boolean;
  /** ASN of an IPv4 address (unsigned or signed 32-bit number); 0 when unknown. */
  asn4(ip: number): number;
  /** ISO 3166 alpha-2 code or ''; interned, no allocation. */
  country4(ip: number): string;
  /** 16 bytes in network order at `offset`; IPv4-mapped (::ffff:a.b.c.d) goes to the IPv4 tables. */
  asn6(addr: Uint8Array, offset: number): number;
  country6(addr: Uint8Array, offset: number): string;
  /** '' when unknown. */
  orgOfAsn(asn: number): string;
}

export interface EnricherLayers {
  asn?: LayerTables;
  country?: LayerTables;
}

export function createEnricher(layers: EnricherLayers): IpEnricher {
  return new TableEnricher(layers.asn ?? emptyLayer('asn'), layers.country ?? emptyLayer('country'));
}

class TableEnricher implements IpEnricher {
  readonly empty: boolean;
  private readonly asnV4: Search4;
  private readonly asnV6: Search6;
  private readonly countryV4: Search4;
  private readonly countryV6: Search6;
  private readonly countries: readonly string[];
  private readonly orgAsns: Uint32Array;
  private readonly orgNames: Uint32Array;
  private readonly orgStrings: readonly string[];

  constructor(asn: LayerTables, country: LayerTables) {
    this.asnV4 = new Search4(asn.v4);
    this.asnV6 = new Search6(asn.v6);
    this.countryV4 = new Search4(country.v4);
    this.countryV6 = new Search6(country.v6);
    this.countries = country.strings;
    this.orgAsns = asn.orgAsns;
    this.orgNames = asn.orgNames;
    this.orgStrings = asn.strings;
    this.empty = this.asnV4.size + this.asnV6.size + this.countryV4.size + this.countryV6.size === 0;
  }

  asn4(ip: number): number {
    return this.asnV4.find(ip);
  }

  country4(ip: number): string {
    return this.countries[this.countryV4.find(ip)] ?? '';
  }

  asn6(addr: Uint8Array, offset: number): number {
    const w0 = word(addr, offset);
    const w1 = word(addr, offset + 4);
    const w2 = word(addr, offset + 8);
    const w3 = word(addr, offset + 12);
    if (w0 === 0 && w1 === 0 && w2 === 0xffff) return this.asnV4.find(w3);
    return this.asnV6.find(w0, w1, w2, w3);
  }

  country6(addr: Uint8Array, offset: number): string {
    const w0 = word(addr, offset);
    const w1 = word(addr, offset + 4);
    const w2 = word(addr, offset + 8);
    const w3 = word(addr, offset + 12);
    const idx = w0 === 0 && w1 === 0 && w2 === 0xffff ? this.countryV4.find(w3) : this.countryV6.find(w0, w1, w2, w3);
    return this.countries[idx] ?? '';
  }

  orgOfAsn(asn: number): string {
    const keys = this.orgAsns;
    const a = asn >>> 0;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid];
      if (k === a) return this.orgStrings[this.orgNames[mid]] ?? '';
      if (k < a) lo = mid + 1;
      else hi = mid - 1;
    }
    return '';
  }
}

function word(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}
