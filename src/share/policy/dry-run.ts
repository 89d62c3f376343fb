/**
 * Before anything is published: who would receive each object (organisations, and users beyond
 * them: named TLP:RED recipients, the hub's operators), with the policy's reason, and which
 * victim-identifying fields it carries and what release would need. Asks `decide()` itself for
 * every organisation and every user, so the answer cannot drift from what the paths out do.
 * A collection's selection is the same call: its stored versions (`StoredVersion`) and its
 * reader organisations as the audience.
 */
import type { StateStore } from '../../store/types.js';
import type { Role } from '../../auth/principal.js';
import type { StixObject } from '../stix/types.js';
import type { Tlp } from '../stix/tlp.js';
import type { VictimField } from './classify.js';
import { decide, DEFAULT_TLP, type PolicyRecipient } from './decide.js';
import { loadCommunity } from './community.js';
import { subjectsFor, type StoredVersion } from './subjects.js';

export interface DryRunInput {
  /** Objects as they would be published, owned by `owner`; or stored versions (a collection's selection). */
  readonly objects?: readonly unknown[];
  readonly versions?: readonly StoredVersion[];
  readonly owner?: { readonly orgId: string | null; readonly userId: string };
  /** Organisation ids addressed (a collection's readers). */
  readonly audience: readonly string[];
  /** User ids that would be named for the TLP:RED objects among `objects`. */
  readonly redRecipients?: readonly string[];
  readonly anonymous?: ReadonlySet<string>;
}

export interface DryRunResult {
  id: string;
  version: string;
  type: string;
  tlp: Tlp;
  heldForConsent: boolean;
  victimFields: VictimField[];
  organisations: { orgId: string; name: string; reason: string }[];
  users: { userId: string; username: string; orgId: string | null; reason: string }[];
  otherOrganisations: number;
  problems: { path: string; message: string }[];
}

type Q = Pick<StateStore, 'query'>;

/** The object's version as TAXII names it: modified, else created (SCOs have neither: unversioned). */
export function versionOf(o: StixObject): string {
  return typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : 'unversioned';
}

function asObject(v: unknown, i: number): { object: StixObject | null; problem?: { path: string; message: string } } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { object: null, problem: { path: `objects.${i}`, message: 'not a JSON object' } };
  const o = v as Record<string, unknown>;
  if (typeof o['type'] !== 'string' || typeof o['id'] !== 'string') return { object: null, problem: { path: `objects.${i}`, message: 'a STIX object needs a type and an id (text)' } };
  return { object: v as StixObject };
}

export async function dryRun(state: Q, input: DryRunInput): Promise<DryRunResult[]> {
  const problems = new Map<number, { path: string; message: string }>();
  const versions: StoredVersion[] = input.versions ? [...input.versions] : (input.objects ?? []).map((v, i) => {
    const { object, problem } = asObject(v, i);
    if (problem) problems.set(i, problem);
    const o = object ?? ({ type: 'unknown', id: `objects.${i}` } as StixObject);
    return { id: o.id, version: versionOf(o), ownerOrgId: input.owner?.orgId ?? null, ownerUserId: input.owner?.userId ?? null, body: object ? o : 'unreadable' };
  });
  const [subjects, community, orgs, users] = await Promise.all([
    subjectsFor(state, versions, { audience: new Set(input.audience), anonymous: input.anonymous }),
    loadCommunity(state),
    state.query<{ id: string; name: string }>('SELECT id, name FROM organisations ORDER BY name'),
    state.query<{ id: string; username: string; role: Role; org_id: string | null }>('SELECT id, username, role, org_id FROM users WHERE NOT disabled ORDER BY username'),
  ]);
  const red = new Set(input.redRecipients ?? []);
  return subjects.map((s0, i) => {
    // Namings that would be made with the publication are the owner's.
    const s = input.objects && s0.tlp === 'red' ? { ...s0, namedRecipients: new Set([...s0.namedRecipients, ...red]) } : s0;
    const organisations = orgs.flatMap((o) => {
      // Any member of the organisation (no user of that id exists: nobody named, not the publisher).
      const d = decide(s, { userId: '\u0000member', orgId: o.id, role: 'org-member' }, community);
      return d.allowed ? [{ orgId: o.id, name: o.name, reason: d.reason }] : [];
    });
    const reached = new Set(organisations.map((o) => o.orgId));
    const extra = users.flatMap((u) => {
      if (u.org_id !== null && reached.has(u.org_id)) return [];
      const to: PolicyRecipient = { userId: u.id, orgId: u.org_id, role: u.role };
      const d = decide(s, to, community);
      return d.allowed ? [{ userId: u.id, username: u.username, orgId: u.org_id, reason: d.reason }] : [];
    });
    const problem = problems.get(i);
    return {
      id: s.id, version: s.version, type: s.object?.type ?? 'unknown', tlp: s.tlp ?? DEFAULT_TLP, heldForConsent: s.heldForConsent,
      victimFields: [...s.victimFields], organisations, users: extra, otherOrganisations: 0, problems: problem ? [problem] : [],
    };
  });
}

/** What a member of `orgId` may learn of a dry run: its own organisation and users, the rest counted. */
export function restrictDryRun(r: DryRunResult, orgId: string | null, userId: string): DryRunResult {
  const own = r.organisations.filter((o) => o.orgId === orgId);
  const others = new Set(r.organisations.filter((o) => o.orgId !== orgId).map((o) => o.orgId));
  // Named TLP:RED recipients elsewhere are not counted: the count would tell a user who exists
  // outside the caller's need-to-know from a name that matches nobody.
  for (const u of r.users) if (u.orgId !== null && u.orgId !== orgId && u.reason !== 'red-named') others.add(u.orgId);
  return { ...r, organisations: own, users: r.users.filter((u) => u.orgId === orgId || u.userId === userId), otherOrganisations: others.size };
}
