import { describe, expect, it } from 'vitest';
import { decide, type Community, type PolicyRecipient, type PolicySubject } from './decide.js';
import { TLP1_IDS, TLP2_IDS, tlpOfMarkings, type Tlp } from '../stix/tlp.js';

// An ISP (isp) serves its customer (cust); the collection is addressed to the ISP.
const community: Community = { servers: (o) => new Set(o === 'cust' ? ['isp'] : []) };
const subject = (tlp: Tlp | null, over: Partial<PolicySubject> = {}): PolicySubject => ({
  tlp, audience: new Set(['isp']), namedRecipients: new Set(['named']), ownerOrgId: 'owner', ownerUserId: 'pub', heldForConsent: false, ...over,
});
const member = (userId: string, orgId: string): PolicyRecipient => ({ userId, orgId, role: 'org-member' });
const WHO = {
  publisher: { userId: 'pub', orgId: 'owner', role: 'org-member' } as PolicyRecipient,
  colleague: member('col', 'owner'),
  audience: member('a', 'isp'),
  customer: member('c', 'cust'),
  stranger: member('s', 'other'),
  named: member('named', 'other'),
  operator: { userId: 'op', orgId: null, role: 'platform-admin' } as PolicyRecipient,
  analyst: { userId: 'an', orgId: null, role: 'analyst' } as PolicyRecipient,
};

/** Who receives each level (TLP 2.0 definitions, docs/sharing.md "Policy"). */
const EXPECTED: Record<Tlp, (keyof typeof WHO)[]> = {
  clear: ['publisher', 'colleague', 'audience', 'customer', 'stranger', 'named', 'operator', 'analyst'],
  green: ['publisher', 'colleague', 'audience', 'customer', 'stranger', 'named', 'operator', 'analyst'],
  amber: ['publisher', 'colleague', 'audience', 'customer', 'operator', 'analyst'],
  'amber+strict': ['publisher', 'colleague', 'audience', 'operator', 'analyst'],
  red: ['publisher', 'colleague', 'named'],
};

describe('the sharing decision', () => {
  for (const [tlp, allowed] of Object.entries(EXPECTED) as [Tlp, (keyof typeof WHO)[]][]) {
    it(`TLP:${tlp.toUpperCase()} reaches ${allowed.join(', ')} and nobody else`, () => {
      const got = (Object.keys(WHO) as (keyof typeof WHO)[]).filter((w) => decide(subject(tlp), WHO[w], community).allowed);
      expect(got).toEqual(allowed);
    });
  }

  it('gives its reason', () => {
    expect(decide(subject('amber'), WHO.customer, community)).toEqual({ allowed: true, reason: 'amber-served' });
    expect(decide(subject('amber+strict'), WHO.customer, community)).toEqual({ allowed: false, reason: 'not-in-audience' });
    expect(decide(subject('red'), WHO.operator, community)).toEqual({ allowed: false, reason: 'not-named' });
    expect(decide(subject('green'), WHO.publisher, community).reason).toBe('owner');
  });

  it('an unmarked object is AMBER; AMBER is one hop (the customer of a customer gets nothing)', () => {
    expect(decide(subject(null), WHO.customer, community).allowed).toBe(true);
    expect(decide(subject(null), WHO.stranger, community).allowed).toBe(false);
    const chain: Community = { servers: (o) => new Set(o === 'sub' ? ['cust'] : o === 'cust' ? ['isp'] : []) };
    expect(decide(subject('amber'), member('x', 'sub'), chain)).toEqual({ allowed: false, reason: 'not-in-audience' });
  });

  it('victim-identifying fields without consent stay with the owner, whatever the TLP and the role', () => {
    for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
      const held = subject(tlp, { heldForConsent: true });
      expect((Object.keys(WHO) as (keyof typeof WHO)[]).filter((w) => decide(held, WHO[w], community).allowed)).toEqual(['publisher', 'colleague']);
      expect(decide(held, WHO.operator, community).reason).toBe('victim-no-consent');
    }
  });

  it('reads TLP 1.0 ids as 2.0 and takes the strictest of several', () => {
    expect(tlpOfMarkings([TLP1_IDS.white])).toBe('clear');
    expect(tlpOfMarkings([TLP1_IDS.green, TLP2_IDS.amber])).toBe('amber');
    expect(tlpOfMarkings([TLP2_IDS.clear, TLP1_IDS.red])).toBe('red');
    expect(tlpOfMarkings(['marking-definition--00000000-0000-4000-8000-000000000000'])).toBeNull();
  });
});
