/** Organisations and their constituencies in the state store. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { rangeToCidrs } from '../net/cidr.js';

export const ORG_KINDS = ['isp', 'enterprise', 'isac-member', 'cert', 'research', 'government', 'other'] as const;

export interface Constituency { cidrs: string[]; asns: number[]; domains: string[] }

export interface Organisation {
  id: string;
  name: string;
  kind: (typeof ORG_KINDS)[number];
  country: string;
  emails: string[];
  language: 'ja' | 'en';
  createdAt: string;
  constituency: Constituency;
}

const orgInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ORG_KINDS).default('other'),
  country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, 'ISO 3166 alpha-2').default(''),
  emails: z.array(z.string().email()).max(50).default([]),
  language: z.enum(['ja', 'en']).default('ja'),
});

type Q = Pick<StateStore, 'query'>;

function invalid(e: z.ZodError): SakimoriError {
  const i = e.issues[0];
  return new SakimoriError('BAD_REQUEST', i ? `${i.path.join('.') || 'organisation'}: ${i.message}` : 'invalid organisation', i ? { field: i.path.join('.') } : {});
}

export async function createOrg(state: Q, input: unknown): Promise<Organisation> {
  const p = orgInput.safeParse(input);
  if (!p.success) throw invalid(p.error);
  const o = p.data;
  if ((await state.query('SELECT 1 FROM organisations WHERE name = $1', [o.name])).length) {
    throw new SakimoriError('BAD_REQUEST', `an organisation named "${o.name}" exists`, { field: 'name' });
  }
  const id = randomUUID();
  await state.query('INSERT INTO organisations (id, name, kind, country, emails, language) VALUES ($1, $2, $3, $4, $5, $6)', [id, o.name, o.kind, o.country, o.emails, o.language]);
  return getOrg(state, id);
}

export async function getOrg(state: Q, idOrName: string): Promise<Organisation> {
  const [r] = await state.query<{ id: string; name: string; kind: Organisation['kind']; country: string; emails: string[]; language: string; created_at: Date }>(
    'SELECT * FROM organisations WHERE id = $1 OR name = $1', [idOrName],
  );
  if (!r) throw new SakimoriError('NOT_FOUND', `no organisation ${idOrName}`, { organisation: idOrName });
  return { id: r.id, name: r.name, kind: r.kind, country: r.country, emails: r.emails, language: r.language === 'en' ? 'en' : 'ja', createdAt: r.created_at.toISOString(), constituency: await constituencyOf(state, r.id) };
}

/** Names of organisations by id (ids not found are left out): to show a name where an id is stored. */
export async function orgNames(state: Q, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await state.query<{ id: string; name: string }>('SELECT id, name FROM organisations WHERE id = ANY ($1::text[])', [[...ids]]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function listOrgs(state: Q): Promise<Organisation[]> {
  const ids = await state.query<{ id: string }>('SELECT id FROM organisations ORDER BY name');
  return Promise.all(ids.map((r) => getOrg(state, r.id)));
}

export async function constituencyOf(state: Q, orgId: string): Promise<Constituency> {
  const [cidrs, asns, domains] = await Promise.all([
    state.query<{ p: string }>('SELECT prefix::text AS p FROM org_prefixes WHERE org_id = $1 ORDER BY prefix', [orgId]),
    state.query<{ asn: number }>('SELECT asn FROM org_asns WHERE org_id = $1 ORDER BY asn', [orgId]),
    state.query<{ domain: string }>('SELECT domain FROM org_domains WHERE org_id = $1 ORDER BY domain', [orgId]),
  ]);
  return { cidrs: cidrs.map((r) => r.p), asns: asns.map((r) => Number(r.asn)), domains: domains.map((r) => r.domain) };
}

/** Adds prefixes (CIDRs or a-b ranges, split into CIDRs); returns what was stored. */
export async function addPrefixes(state: Q, idOrName: string, items: readonly string[]): Promise<string[]> {
  const org = await getOrg(state, idOrName);
  const cidrs: string[] = [];
  items.forEach((t, i) => {
    const c = rangeToCidrs(t);
    if (!c) throw new SakimoriError('BAD_REQUEST', `not a CIDR or address range: ${t}`, { field: `prefixes.${i}` });
    cidrs.push(...c);
  });
  await state.query('INSERT INTO org_prefixes (org_id, prefix) SELECT $1, unnest($2::cidr[]) ON CONFLICT DO NOTHING', [org.id, cidrs]);
  return cidrs;
}

export async function addAsns(state: Q, idOrName: string, items: readonly string[]): Promise<number[]> {
  const org = await getOrg(state, idOrName);
  const asns = items.map((t, i) => {
    const m = /^(?:AS)?(\d{1,10})$/i.exec(t.trim());
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= 0 && n <= 0xffffffff)) throw new SakimoriError('BAD_REQUEST', `not an AS number: ${t}`, { field: `asns.${i}` });
    return n;
  });
  await state.query('INSERT INTO org_asns (org_id, asn) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [org.id, asns]);
  return asns;
}

export async function addDomains(state: Q, idOrName: string, items: readonly string[]): Promise<string[]> {
  const org = await getOrg(state, idOrName);
  const domains = items.map((t, i) => {
    const d = t.trim().toLowerCase().replace(/\.$/, '');
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d)) throw new SakimoriError('BAD_REQUEST', `not a domain name: ${t}`, { field: `domains.${i}` });
    return d;
  });
  await state.query('INSERT INTO org_domains (org_id, domain) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [org.id, domains]);
  return domains;
}

export async function removeOrg(state: Q, idOrName: string): Promise<void> {
  const org = await getOrg(state, idOrName);
  // Users keep their organisation (the store refuses the delete): say so instead of a failed query.
  const [users] = await state.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE org_id = $1', [org.id]);
  if ((users?.n ?? 0) > 0) throw new SakimoriError('ORG_HAS_USERS', `${org.name} has ${users?.n} user(s)`, { organisation: org.id });
  await state.query('DELETE FROM organisations WHERE id = $1', [org.id]);
}
