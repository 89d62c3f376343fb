/**
 * Findings without a recipient (no registered organisation, no abuse contact): not cases, since
 * nobody can be told, but counted per origin AS and country with the addresses per kind, so an
 * admin sees where a registration or an abuse contact is missing. Each build replaces the tally.
 */
import type { StateStore } from '../store/types.js';

export interface NoRecipientGroup { asn: number; asName: string; country: string; addresses: number; byKind: Record<string, number> }

export interface NoRecipientSummary {
  /** null: no case build has run since this was introduced. */
  builtAt: string | null;
  findings: number;
  addresses: number;
  byKind: { kind: string; addresses: number }[];
  countries: { country: string; addresses: number }[];
  asns: { asn: number; asName: string; addresses: number }[];
  /** Cases for `unassigned` opened by earlier releases: kept as they are, no longer refreshed. */
  legacyUnassignedCases: number;
}

/** Collects the findings of one build; an address counts once per group and once per kind. */
export class NoRecipientTally {
  findings = 0;
  private readonly groups = new Map<string, { asn: number; asName: string; country: string; ips: Set<string>; kinds: Map<string, Set<string>> }>();

  add(ip: string, asn: number, asName: string, country: string, kind: string): void {
    this.findings++;
    const key = `${asn}|${country}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { asn, asName, country, ips: new Set(), kinds: new Map() }));
    g.ips.add(ip);
    let k = g.kinds.get(kind);
    if (!k) g.kinds.set(kind, (k = new Set()));
    k.add(ip);
  }

  get addresses(): number {
    let n = 0;
    // An address has one origin AS and one country, so the groups do not overlap.
    for (const g of this.groups.values()) n += g.ips.size;
    return n;
  }

  /** The `n` countries with the most addresses. */
  topCountries(n: number): { country: string; addresses: number }[] {
    const by = new Map<string, number>();
    for (const g of this.groups.values()) by.set(g.country, (by.get(g.country) ?? 0) + g.ips.size);
    return [...by].map(([country, addresses]) => ({ country, addresses })).sort((a, b) => b.addresses - a.addresses || a.country.localeCompare(b.country)).slice(0, n);
  }

  /** The `n` origin ASes with the most addresses. */
  topAsns(n: number): { asn: number; asName: string; addresses: number }[] {
    const by = new Map<number, { asn: number; asName: string; addresses: number }>();
    for (const g of this.groups.values()) {
      const a = by.get(g.asn) ?? by.set(g.asn, { asn: g.asn, asName: g.asName, addresses: 0 }).get(g.asn);
      if (a) a.addresses += g.ips.size;
    }
    return [...by.values()].sort((a, b) => b.addresses - a.addresses || a.asn - b.asn).slice(0, n);
  }

  rows(): NoRecipientGroup[] {
    return [...this.groups.values()].map((g) => ({
      asn: g.asn, asName: g.asName, country: g.country, addresses: g.ips.size,
      byKind: Object.fromEntries([...g.kinds].map(([k, s]) => [k, s.size])),
    }));
  }
}

export async function storeNoRecipient(state: Pick<StateStore, 'transaction'>, t: NoRecipientTally, at: Date): Promise<void> {
  await state.transaction(async (tx) => {
    await tx.query('DELETE FROM no_recipient');
    const rows = t.rows();
    if (rows.length) {
      await tx.query(
        `INSERT INTO no_recipient (asn, country, as_name, addresses, by_kind)
         SELECT asn, country, as_name, addresses, by_kind FROM jsonb_to_recordset($1::jsonb) AS r(asn bigint, country text, as_name text, addresses int, by_kind jsonb)`,
        [JSON.stringify(rows.map((r) => ({ asn: r.asn, country: r.country, as_name: r.asName, addresses: r.addresses, by_kind: r.byKind })))],
      );
    }
    await tx.query(
      `INSERT INTO no_recipient_build (id, built_at, findings, addresses) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET built_at = EXCLUDED.built_at, findings = EXCLUDED.findings, addresses = EXCLUDED.addresses`,
      [at, t.findings, t.addresses],
    );
  });
}

/** The last build's tally: totals, addresses per kind, and the `top` countries and ASes. */
export async function noRecipientSummary(state: Pick<StateStore, 'query'>, top = 10): Promise<NoRecipientSummary> {
  const [b] = await state.query<{ built_at: Date; findings: number; addresses: number }>('SELECT built_at, findings, addresses FROM no_recipient_build');
  const byKind = await state.query<{ kind: string; addresses: number }>(
    'SELECT k.key AS kind, sum(k.value::int)::int AS addresses FROM no_recipient, jsonb_each_text(by_kind) AS k GROUP BY k.key ORDER BY addresses DESC, kind',
  );
  const countries = await state.query<{ country: string; addresses: number }>(
    'SELECT country, sum(addresses)::int AS addresses FROM no_recipient GROUP BY country ORDER BY addresses DESC, country LIMIT $1', [top],
  );
  const asns = await state.query<{ asn: number; as_name: string; addresses: number }>(
    'SELECT asn, max(as_name) AS as_name, sum(addresses)::int AS addresses FROM no_recipient GROUP BY asn ORDER BY addresses DESC, asn LIMIT $1', [top],
  );
  const [legacy] = await state.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE recipient = 'unassigned'");
  return {
    builtAt: b ? b.built_at.toISOString() : null,
    findings: b?.findings ?? 0,
    addresses: b?.addresses ?? 0,
    byKind,
    countries,
    asns: asns.map((a) => ({ asn: Number(a.asn), asName: a.as_name, addresses: a.addresses })),
    legacyUnassignedCases: legacy?.n ?? 0,
  };
}
