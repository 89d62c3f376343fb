/**
 * Collects the ranges an importer finds, for one layer, before they are flattened into tables.
 * IPv4 keys are kept as plain numbers in growing arrays (hundreds of thousands of rows);
 * IPv6 keys as bigints, which keeps the 128-bit arithmetic exact at import time.
 */
import { IPV4_MAX } from '../net/ip.js';

const MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, IPv4-mapped addresses

export class RangeCollector {
  readonly starts4: number[] = [];
  readonly ends4: number[] = [];
  readonly values4: number[] = [];
  readonly starts6: bigint[] = [];
  readonly ends6: bigint[] = [];
  readonly values6: number[] = [];

  get size(): number {
    return this.starts4.length + this.starts6.length;
  }

  add4(start: number, end: number, value: number): void {
    this.starts4.push(start);
    this.ends4.push(end);
    this.values4.push(value);
  }

  add6(start: bigint, end: bigint, value: number): void {
    // Lookups send IPv4-mapped addresses to the IPv4 tables, so store such rows there.
    if (start >> 32n === MAPPED_PREFIX && end >> 32n === MAPPED_PREFIX) {
      this.add4(Number(start & BigInt(IPV4_MAX)), Number(end & BigInt(IPV4_MAX)), value);
      return;
    }
    this.starts6.push(start);
    this.ends6.push(end);
    this.values6.push(value);
  }
}

/** Interns strings to small integers; index 0 is reserved for "unknown" (''). */
export class StringInterner {
  readonly strings: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** What an importer fills: ranges for both layers (a file may carry both) and AS names. */
export class EnrichSink {
  readonly asn = new RangeCollector();
  readonly country = new RangeCollector();
  readonly countries = new StringInterner();
  /** ASN → organisation; the last non-empty name seen wins. */
  readonly orgs = new Map<number, string>();

  addOrg(asn: number, org: string): void {
    if (asn > 0 && org !== '') this.orgs.set(asn, org);
  }

  /** Country codes are upper-cased; anything but two letters is "unknown" and not stored. */
  countryIndex(code: string): number {
    if (code.length !== 2) return 0;
    const upper = code.toUpperCase();
    const a = upper.charCodeAt(0);
    const b = upper.charCodeAt(1);
    if (a < 65 || a > 90 || b < 65 || b > 90 || upper === 'ZZ') return 0;
    return this.countries.intern(upper);
  }
}
