/**
 * The indicators naming one address, for its host page (`sakimori host IP --json`, the console):
 * in every collection the viewer may read, the newest version of each indicator the sharing
 * policy lets the viewer receive (`release()`, audited as delivered) whose pattern names the
 * address, CIDRs included, through the STIX pattern matcher (pattern-addresses.ts).
 *
 * A text pre-filter keeps the scan small: an IPv4 address written in the pattern, or a block
 * (ISSUBSET); for IPv6, whose addresses have many spellings, every IPv6 or traffic pattern.
 */
import type { StateStore } from '../../store/types.js';
import { normalizeIp, parseIpBigint } from '../../net/ip.js';
import type { Principal } from '../../auth/principal.js';
import { auditReleased, release, type Released } from '../policy/release.js';
import type { EgressPath } from '../policy/egress-audit.js';
import { collectionAccess, listCollections } from '../taxii/collections.js';
import { compareTimestamps } from '../stix/timestamps.js';
import type { Tlp } from '../stix/tlp.js';
import { namesAddress } from './pattern-addresses.js';

export interface HostIndicator {
  readonly id: string;
  readonly collection: string;
  readonly tlp: Tlp | null;
  readonly confidence: number | null;
  readonly validUntil: string | null;
  readonly revoked: boolean;
  readonly labels: string[];
}

type Q = Pick<StateStore, 'query'>;
type Viewer = Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>;

interface Row {
  collection_id: string; stix_id: string; version_text: string; date_added: Date; tlp: Tlp | null;
  owner_org_id: string | null; owner_user_id: string | null; body: string;
}

/** Candidates read at most: a host named by more indicators than this shows the first ones. */
const MAX_CANDIDATES = 20_000;

export async function indicatorsNaming(state: Q, ipText: string, viewer: Viewer, path: EgressPath): Promise<HostIndicator[]> {
  const ip = normalizeIp(ipText);
  const bip = ip ? parseIpBigint(ip) : undefined;
  if (!ip || !bip) return [];
  const collections = (await listCollections(state)).filter((c) => collectionAccess(c, viewer).canRead);
  if (collections.length === 0) return [];
  const prefilter = bip.family === 4
    ? `(position($2 in body) > 0 OR position('ISSUBSET' in body) > 0)`
    : `(position('ipv6-addr' in body) > 0 OR position('network-traffic' in body) > 0 OR position('ISSUBSET' in body) > 0)`;
  const rows = await state.query<Row>(
    `SELECT collection_id, stix_id, version_text, date_added, tlp, owner_org_id, owner_user_id, body FROM share_objects
     WHERE collection_id = ANY ($1::uuid[]) AND type = 'indicator' AND ${prefilter}
     ORDER BY date_added LIMIT ${MAX_CANDIDATES}`,
    [collections.map((c) => c.id), ...(bip.family === 4 ? [ip] : [])],
  );
  const named = rows.filter((r) => namesAddress(patternOf(r.body), bip));
  const to = { userId: viewer.userId, orgId: viewer.orgId, role: viewer.role };
  const shown: Released<Version>[] = [];
  for (const c of collections) {
    const versions: Version[] = named.filter((r) => r.collection_id === c.id).map((r) => ({
      id: r.stix_id, version: r.version_text, ownerOrgId: r.owner_org_id, ownerUserId: r.owner_user_id, body: r.body, tlp: r.tlp, collectionId: c.id,
    }));
    if (versions.length === 0) continue;
    const opts = { audience: new Set(c.read), to, path, collectionId: c.id };
    // The newest version the viewer may receive, per indicator; only those are delivered (audited).
    const newest = new Map<string, Released<Version>>();
    for (const r of await release(state, versions, { ...opts, audit: false })) {
      const prev = newest.get(r.object.id);
      if (!prev || compareTimestamps(r.object.version, prev.object.version) > 0) newest.set(r.object.id, r);
    }
    await auditReleased(state, [...newest.values()], opts);
    shown.push(...newest.values());
  }
  return shown.map(({ object: v }) => summary(v));
}

interface Version {
  readonly id: string; readonly version: string; readonly ownerOrgId: string | null; readonly ownerUserId: string | null;
  readonly body: string; readonly tlp: Tlp | null; readonly collectionId: string;
}

function patternOf(body: string): string {
  try {
    const o = JSON.parse(body) as Record<string, unknown>;
    return (o['pattern_type'] === undefined || o['pattern_type'] === 'stix') && typeof o['pattern'] === 'string' ? o['pattern'] : '';
  } catch {
    return '';
  }
}

function summary(v: Version): HostIndicator {
  let o: Record<string, unknown> = {};
  try {
    o = JSON.parse(v.body) as Record<string, unknown>;
  } catch {
    // Released bodies parse (a body that does not is RED and held back); an empty summary otherwise.
  }
  const labels = Array.isArray(o['labels']) ? o['labels'].filter((l): l is string => typeof l === 'string') : [];
  return {
    id: v.id, collection: v.collectionId, tlp: v.tlp, confidence: typeof o['confidence'] === 'number' ? o['confidence'] : null,
    validUntil: typeof o['valid_until'] === 'string' ? o['valid_until'] : null, revoked: o['revoked'] === true, labels,
  };
}
