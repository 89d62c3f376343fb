/**
 * The one sharing decision: may this recipient receive this object? TLP 2.0 combined with our
 * organisations (docs/sharing.md "Policy"). Every path out (TAXII, REST, exports, digests,
 * reports, console) asks this function and nothing else, so the rule lives in one place.
 * Pure and allocation-free on the hot path: a page of 1,000 objects × recipients is decided
 * inside the request.
 */
import type { Role } from '../../auth/principal.js';
import type { Tlp } from '../stix/tlp.js';

/** The sharing facts of one stored object version. */
export interface PolicySubject {
  /** The strictest TLP marking; null (unmarked) is treated as the hub's default, `defaultTlp`. */
  readonly tlp: Tlp | null;
  /** Organisations the object is addressed to (a collection's readers, a case's organisation). */
  readonly audience: ReadonlySet<string>;
  /** TLP:RED: the users named as recipients. */
  readonly namedRecipients: ReadonlySet<string>;
  /** The organisation and user that published it: they always see their own. */
  readonly ownerOrgId: string | null;
  readonly ownerUserId: string | null;
  /**
   * It carries victim-identifying fields (classify.ts) and its owner organisation has not
   * consented to their release for this version: nobody beyond the owner receives it, whatever
   * its TLP. `subjectsFor` (subjects.ts) works it out from the stored object.
   */
  readonly heldForConsent: boolean;
}

export interface PolicyRecipient {
  readonly userId: string;
  readonly orgId: string | null;
  readonly role: Role;
}

/** Organisation relations the decision needs: who serves whom (an ISP its customers, an ISAC its members). */
export interface Community {
  /** Organisations that serve `orgId` (its parents), or an empty set. */
  servers(orgId: string): ReadonlySet<string>;
}

export type PolicyReason =
  | 'owner' | 'clear' | 'green-community' | 'amber-audience' | 'amber-served' | 'strict-audience'
  | 'red-named' | 'operator'
  | 'not-named' | 'not-in-audience' | 'not-in-community' | 'victim-no-consent';

export interface PolicyDecision { readonly allowed: boolean; readonly reason: PolicyReason }

export const DEFAULT_TLP: Tlp = 'amber';

// One frozen answer per reason, made once: deciding allocates nothing.
const answers = (allowed: boolean, reasons: readonly PolicyReason[]): Partial<Record<PolicyReason, PolicyDecision>> =>
  Object.fromEntries(reasons.map((reason) => [reason, Object.freeze({ allowed, reason })]));
const ALLOWED = answers(true, ['owner', 'clear', 'green-community', 'amber-audience', 'amber-served', 'strict-audience', 'red-named', 'operator']);
const DENIED = answers(false, ['not-named', 'not-in-audience', 'not-in-community', 'victim-no-consent']);
const ALLOW = (reason: PolicyReason): PolicyDecision => ALLOWED[reason] ?? { allowed: true, reason };
const DENY = (reason: PolicyReason): PolicyDecision => DENIED[reason] ?? { allowed: false, reason };

export function decide(subject: PolicySubject, to: PolicyRecipient, community: Community): PolicyDecision {
  if (subject.ownerUserId === to.userId || (to.orgId !== null && subject.ownerOrgId === to.orgId)) return ALLOW('owner');
  // Before TLP, and for the operators too: a victim's details leave its organisation only with its consent.
  if (subject.heldForConsent) return DENY('victim-no-consent');
  const tlp = subject.tlp ?? DEFAULT_TLP;
  switch (tlp) {
    case 'clear':
      return ALLOW('clear');
    case 'red':
      return subject.namedRecipients.has(to.userId) ? ALLOW('red-named') : DENY('not-named');
    default:
      break;
  }
  // Platform admins and analysts run the hub: they see everything below RED.
  if (to.role === 'platform-admin' || to.role === 'analyst') return ALLOW('operator');
  if (to.orgId === null) return DENY('not-in-community');
  if (tlp === 'green') return ALLOW('green-community');
  if (subject.audience.has(to.orgId)) return ALLOW(tlp === 'amber' ? 'amber-audience' : 'strict-audience');
  if (tlp === 'amber') {
    for (const s of community.servers(to.orgId)) if (subject.audience.has(s)) return ALLOW('amber-served');
  }
  return DENY('not-in-audience');
}
