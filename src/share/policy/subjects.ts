/**
 * From stored object versions to what `decide()` needs, for a whole page at once (three queries,
 * whatever the page's size): the strictest TLP anywhere on the object, the RED recipients its
 * owner named, and whether it carries victim-identifying fields without its owner's consent.
 * Every path out builds its subjects here, so none can forget the victims' rule.
 */
import type { StateStore } from '../../store/types.js';
import type { JsonValue, StixObject } from '../stix/types.js';
import { type Tlp, tlpOfMarkings } from '../stix/tlp.js';
import { victimFields, type VictimField } from './classify.js';
import { consentsFor } from './consent.js';
import type { PolicySubject } from './decide.js';
import { namingsFor } from './red-recipients.js';
import { knownVictimRefs } from './victim-refs.js';

/** A stored object version as the object store returns it (`body`: the JSON text as posted, or parsed). */
export interface StoredVersion {
  readonly id: string;
  readonly version: string;
  readonly ownerOrgId: string | null;
  readonly ownerUserId: string | null;
  readonly body: string | StixObject;
  /** What the store worked out on the way in; the stricter of it and the body's markings is used. */
  readonly tlp?: Tlp | null;
}

export interface SubjectOptions {
  /** Organisations the objects are addressed to: the collection's readers, a case's organisation. */
  readonly audience: ReadonlySet<string>;
  /** Identities that name no victim (the hub's own). */
  readonly anonymous?: ReadonlySet<string>;
}

export interface PolicySubjectOf extends PolicySubject {
  readonly id: string;
  readonly version: string;
  readonly object: StixObject | null;
  readonly victimFields: readonly VictimField[];
  readonly consented: boolean;
}

const STRICT: readonly Tlp[] = ['red', 'amber+strict', 'amber', 'green', 'clear'];

/** The strictest TLP on the object and on any of its parts (granular markings): the hub releases objects whole. */
export function tlpOfObject(o: StixObject): Tlp | null {
  const refs = [...(o.object_marking_refs ?? [])];
  const g = o['granular_markings'];
  if (Array.isArray(g)) {
    for (const m of g as readonly JsonValue[]) {
      if (m && typeof m === 'object' && !Array.isArray(m)) {
        const r = (m as Record<string, JsonValue>)['marking_ref'];
        if (typeof r === 'string') refs.push(r);
      }
    }
  }
  return tlpOfMarkings(refs);
}

export function stricter(a: Tlp | null, b: Tlp | null): Tlp | null {
  if (a === null) return b;
  if (b === null) return a;
  return STRICT.indexOf(a) <= STRICT.indexOf(b) ? a : b;
}

function parse(body: string | StixObject): StixObject | null {
  if (typeof body !== 'string') return body;
  try {
    const o: unknown = JSON.parse(body);
    return o && typeof o === 'object' && !Array.isArray(o) && typeof (o as { type?: unknown }).type === 'string' ? (o as StixObject) : null;
  } catch {
    return null;
  }
}

type Q = Pick<StateStore, 'query'>;

export async function subjectsFor(state: Q, versions: readonly StoredVersion[], opts: SubjectOptions): Promise<PolicySubjectOf[]> {
  // Classify first: consents matter only for versions with victim-identifying fields and named
  // recipients only for RED ones, so a page of ordinary indicators costs one query, not three.
  const byRef = await knownVictimRefs(state, versions.map((v) => v.id));
  const facts = versions.map((v) => {
    const object = parse(v.body);
    // A body that does not parse cannot be classified: held back like a victim's.
    const fields = object ? victimFields(object, { byReference: byRef.get(v.id), anonymous: opts.anonymous }) : [{ path: '', why: 'the stored text is not a STIX object', action: 'withhold' as const }];
    return { v, object, fields, tlp: stricter(v.tlp ?? null, object ? tlpOfObject(object) : 'red') };
  });
  const withFields = facts.filter((f) => f.fields.length > 0).map((f) => f.v);
  const red = facts.filter((f) => f.tlp === 'red').map((f) => f.v);
  const [consents, namings] = await Promise.all([consentsFor(state, withFields), namingsFor(state, red)]);
  return facts.map(({ v, object, fields, tlp }) => {
    const key = `${v.id}|${v.version}`;
    const consented = v.ownerOrgId !== null && consents.get(key) === v.ownerOrgId;
    const named = (namings.get(key) ?? []).filter((n) => n.namedBy === v.ownerUserId || (n.namedByOrg !== null && n.namedByOrg === v.ownerOrgId));
    return {
      id: v.id, version: v.version, object, victimFields: fields, consented, tlp,
      audience: opts.audience,
      namedRecipients: new Set(named.map((n) => n.userId)),
      ownerOrgId: v.ownerOrgId, ownerUserId: v.ownerUserId,
      heldForConsent: fields.length > 0 && !consented,
    };
  });
}
