/**
 * Responsibility mapping for many addresses at once (building cases from a million findings):
 * the registered prefixes and ASNs of organisations and the RIR abuse contacts, loaded once into
 * longest-prefix tables (one map per prefix length), with the same order of precedence as
 * `responsibleFor`: organisation by prefix, organisation by origin AS, RIR contact of the block,
 * RIR contact of the AS.
 */
import type { StateStore } from '../store/types.js';
import { parseIpBigint } from '../net/ip.js';

export interface RecipientRef { key: string; name: string; via: string }

class PrefixTable<V> {
  // For each length present: network (as bigint) → value; lengths tried longest first.
  private readonly byLen = new Map<number, Map<bigint, V>>();
  private lens: number[] = [];

  constructor(private readonly width: 32 | 128) {}

  add(net: bigint, len: number, v: V): void {
    let m = this.byLen.get(len);
    if (!m) {
      this.byLen.set(len, (m = new Map()));
      this.lens = [...this.byLen.keys()].sort((a, b) => b - a);
    }
    if (!m.has(net)) m.set(net, v);
  }

  lookup(ip: bigint): V | undefined {
    const all = (1n << BigInt(this.width)) - 1n;
    for (const len of this.lens) {
      const mask = all ^ ((1n << BigInt(this.width - len)) - 1n);
      const v = this.byLen.get(len)?.get(ip & mask);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

class Lpm<V> {
  readonly v4 = new PrefixTable<V>(32);
  readonly v6 = new PrefixTable<V>(128);
  add(cidr: string, v: V): void {
    const [ip, len] = cidr.split('/');
    const n = ip ? parseIpBigint(ip) : undefined;
    if (!n || len === undefined) return;
    (n.family === 4 ? this.v4 : this.v6).add(n.value, Number(len), v);
  }
  lookup(ip: string): V | undefined {
    const n = parseIpBigint(ip);
    if (!n) return undefined;
    return (n.family === 4 ? this.v4 : this.v6).lookup(n.value);
  }
}

export class RecipientIndex {
  private readonly orgPrefix = new Lpm<RecipientRef>();
  private readonly orgAsn = new Map<number, RecipientRef>();
  private readonly rirPrefix = new Lpm<RecipientRef>();
  private readonly rirAsn = new Map<number, RecipientRef>();

  static async load(state: Pick<StateStore, 'query'>): Promise<RecipientIndex> {
    const idx = new RecipientIndex();
    for (const r of await state.query<{ id: string; name: string; prefix: string }>('SELECT o.id, o.name, p.prefix::text AS prefix FROM org_prefixes p JOIN organisations o ON o.id = p.org_id ORDER BY o.name')) {
      idx.orgPrefix.add(r.prefix, { key: `org:${r.id}`, name: r.name, via: `prefix ${r.prefix}` });
    }
    for (const r of await state.query<{ id: string; name: string; asn: number }>('SELECT o.id, o.name, a.asn FROM org_asns a JOIN organisations o ON o.id = a.org_id ORDER BY o.name')) {
      if (!idx.orgAsn.has(Number(r.asn))) idx.orgAsn.set(Number(r.asn), { key: `org:${r.id}`, name: r.name, via: `AS${r.asn}` });
    }
    for (const r of await state.query<{ email: string; name: string; prefix: string | null; asn: number | null; source: string }>('SELECT email, name, prefix::text AS prefix, asn, source FROM abuse_contacts ORDER BY source, id')) {
      const ref = { key: `email:${r.email}`, name: r.name, via: `${r.source} ${r.prefix ?? `AS${r.asn}`}` };
      if (r.prefix) idx.rirPrefix.add(r.prefix, ref);
      else if (r.asn !== null && !idx.rirAsn.has(Number(r.asn))) idx.rirAsn.set(Number(r.asn), ref);
    }
    return idx;
  }

  recipientOf(ip: string, asn: number): RecipientRef | undefined {
    return this.orgPrefix.lookup(ip) ?? (asn ? this.orgAsn.get(asn) : undefined) ?? this.rirPrefix.lookup(ip) ?? (asn ? this.rirAsn.get(asn) : undefined);
  }
}
