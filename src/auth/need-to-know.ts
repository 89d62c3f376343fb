/**
 * Which restriction a principal's queries carry (store/need-to-know.ts builds the filters):
 * platform admins and analysts see everything, organisation roles their constituency.
 */
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { seesEverything, type Principal } from './principal.js';
import { constituencyOf } from '../orgs/org-store.js';
import { UNRESTRICTED, type Restriction } from '../store/need-to-know.js';

/**
 * The restriction of a principal (the API resolves it once per request, auth-plugin.ts). Only
 * the operator's own commands on the stores pass UNRESTRICTED directly; nothing defaults to it.
 */
export async function restrictionFor(state: Pick<StateStore, 'query'>, p: Principal): Promise<Restriction> {
  if (seesEverything(p)) return UNRESTRICTED;
  if (!p.orgId) throw new SakimoriError('FORBIDDEN', 'an organisation role without an organisation sees nothing');
  // A constituency is read once per few seconds per organisation, not on every request: a
  // change of prefixes applies within CACHE_MS.
  const hit = cache.get(p.orgId);
  if (hit && Date.now() - hit.at < CACHE_MS && hit.state === state) return hit.r;
  const c = await constituencyOf(state, p.orgId);
  const r: Restriction = { kind: 'constituency', orgId: p.orgId, cidrs: c.cidrs, asns: c.asns };
  cache.set(p.orgId, { r, at: Date.now(), state });
  return r;
}

const CACHE_MS = 5000;
const cache = new Map<string, { r: Restriction; at: number; state: Pick<StateStore, 'query'> }>();
