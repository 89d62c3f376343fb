/**
 * Who serves whom between organisations (an ISP its customers, an ISAC its members, a CERT its
 * constituents): the relation TLP:AMBER follows from an audience organisation to the ones it
 * serves. One hop only, as TLP 2.0 says "its clients", not their clients in turn.
 * Loaded once and kept per state store: every TAXII page asks for it. A change through this
 * module drops the cache at once; a change by another process (a shared PostgreSQL server) is
 * seen within `TTL_MS`.
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { getOrg, orgNames } from '../../orgs/org-store.js';
import type { Community } from './decide.js';

export const SERVE_RELATIONS = ['customer', 'member', 'constituent', 'other'] as const;
export type ServeRelation = (typeof SERVE_RELATIONS)[number];

export interface ServeLink { serverOrgId: string; servedOrgId: string; relation: ServeRelation; createdAt: string }

/** The decision's Community, plus the other direction for the dry run. */
export interface CommunityView extends Community {
  /** Organisations `orgId` serves (its customers, members, constituents). */
  served(orgId: string): ReadonlySet<string>;
  readonly links: readonly ServeLink[];
}

type Q = Pick<StateStore, 'query'>;

const TTL_MS = 5_000;
const EMPTY: ReadonlySet<string> = new Set();
const cache = new WeakMap<object, { at: number; view: Promise<CommunityView> }>();

class Relations implements CommunityView {
  private readonly up = new Map<string, Set<string>>();
  private readonly down = new Map<string, Set<string>>();
  constructor(readonly links: readonly ServeLink[]) {
    for (const l of links) {
      add(this.up, l.servedOrgId, l.serverOrgId);
      add(this.down, l.serverOrgId, l.servedOrgId);
    }
  }
  servers(orgId: string): ReadonlySet<string> { return this.up.get(orgId) ?? EMPTY; }
  served(orgId: string): ReadonlySet<string> { return this.down.get(orgId) ?? EMPTY; }
}

function add(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  if (s) s.add(v);
  else m.set(k, new Set([v]));
}

async function readLinks(state: Q): Promise<ServeLink[]> {
  const rows = await state.query<{ server_org_id: string; served_org_id: string; relation: ServeRelation; created_at: Date }>(
    'SELECT server_org_id, served_org_id, relation, created_at FROM org_serves ORDER BY server_org_id, served_org_id',
  );
  return rows.map((r) => ({ serverOrgId: r.server_org_id, servedOrgId: r.served_org_id, relation: r.relation, createdAt: r.created_at.toISOString() }));
}

/** The community as stored, cached per store (see the module's comment). */
export function loadCommunity(state: Q, now = Date.now()): Promise<CommunityView> {
  const hit = cache.get(state);
  if (hit && now - hit.at < TTL_MS) return hit.view;
  const view = readLinks(state).then((links) => new Relations(links));
  cache.set(state, { at: now, view });
  view.catch(() => cache.delete(state));
  return view;
}

export function invalidateCommunity(state: Q): void {
  cache.delete(state);
}

/** `server` serves each of `served` (ids or names); a link already there keeps its relation unless one is given. */
export async function addServes(state: Q, server: string, served: readonly string[], relation?: string): Promise<ServeLink[]> {
  const rel = relation ?? 'other';
  if (!(SERVE_RELATIONS as readonly string[]).includes(rel)) {
    throw new SakimoriError('BAD_REQUEST', `relation must be one of ${SERVE_RELATIONS.join(', ')}, not "${rel}"`, { field: 'relation' });
  }
  if (served.length === 0) throw new SakimoriError('BAD_REQUEST', 'name at least one organisation it serves', { field: 'orgs' });
  const s = await getOrg(state, server);
  const others = await Promise.all(served.map((o) => getOrg(state, o)));
  others.forEach((o, i) => {
    if (o.id === s.id) throw new SakimoriError('BAD_REQUEST', `${s.name} cannot serve itself`, { field: `orgs.${i}` });
  });
  await state.query(
    `INSERT INTO org_serves (server_org_id, served_org_id, relation) SELECT $1, unnest($2::text[]), $3
     ON CONFLICT (server_org_id, served_org_id) DO UPDATE SET relation = CASE WHEN $4 THEN EXCLUDED.relation ELSE org_serves.relation END`,
    [s.id, others.map((o) => o.id), rel, relation !== undefined],
  );
  invalidateCommunity(state);
  return servesOf(state, s.id);
}

export async function removeServes(state: Q, server: string, served: string): Promise<ServeLink[]> {
  const s = await getOrg(state, server);
  const o = await getOrg(state, served);
  await state.query('DELETE FROM org_serves WHERE server_org_id = $1 AND served_org_id = $2', [s.id, o.id]);
  invalidateCommunity(state);
  return servesOf(state, s.id);
}

/** Links where the organisation is either side. */
export async function servesOf(state: Q, orgId: string): Promise<ServeLink[]> {
  return (await readLinks(state)).filter((l) => l.serverOrgId === orgId || l.servedOrgId === orgId);
}

export interface NamedServeLink extends ServeLink { serverName: string; servedName: string }
export interface OrgServesView { orgId: string; serves: NamedServeLink[]; servedBy: NamedServeLink[] }

/** One organisation's links both ways, with names: what `org serves` prints and its route answers. */
export async function servesView(state: Q, org: string): Promise<OrgServesView> {
  const id = (await getOrg(state, org)).id;
  const links = await servesOf(state, id);
  const names = await orgNames(state, [...new Set(links.flatMap((l) => [l.serverOrgId, l.servedOrgId]))]);
  const named = links.map((l) => ({ ...l, serverName: names.get(l.serverOrgId) ?? '', servedName: names.get(l.servedOrgId) ?? '' }));
  return {
    orgId: id,
    serves: named.filter((l) => l.serverOrgId === id).sort((a, b) => a.servedName.localeCompare(b.servedName)),
    servedBy: named.filter((l) => l.servedOrgId === id).sort((a, b) => a.serverName.localeCompare(b.serverName)),
  };
}
