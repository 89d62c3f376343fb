import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migrateState } from '../../store/migrate.js';
import { createOrg } from '../../orgs/org-store.js';
import { createUser } from '../../auth/users.js';
import type { Principal } from '../../auth/principal.js';
import { createCollection } from '../taxii/collections.js';
import { putObjects } from '../taxii/object-store.js';
import { nameRedRecipients } from '../policy/red-recipients.js';
import { readEgress } from '../policy/egress-audit.js';
import { TLP2_IDS, type Tlp } from '../stix/tlp.js';
import { indicatorsNaming } from './host-indicators.js';

const T = '2026-12-01T00:00:00.000Z';
const ind = (n: number, pattern: string, tlp: Tlp, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--0b2c4d6e-8f0a-4b2c-8d4e-${n.toString(16).padStart(12, '0')}`, created: T, modified: T,
  pattern, pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z', object_marking_refs: [TLP2_IDS[tlp]], ...extra,
});
const idOf = (n: number): string => `indicator--0b2c4d6e-8f0a-4b2c-8d4e-${n.toString(16).padStart(12, '0')}`;

describe('indicators naming a host, as its viewer may receive them', () => {
  let state: PgliteStateStore;
  let member: Principal, publisher: Principal, outsider: Principal;
  let collection: string;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    const isp = await createOrg(state, { name: 'ISP' });
    const cert = await createOrg(state, { name: 'CERT' });
    const other = await createOrg(state, { name: 'Other' });
    const p = await createUser(state, { username: 'pub', password: 'a long enough password', role: 'org-admin', org: cert.id });
    const m = await createUser(state, { username: 'mem', password: 'a long enough password', role: 'org-member', org: isp.id });
    const o = await createUser(state, { username: 'out', password: 'a long enough password', role: 'org-member', org: other.id });
    const as = (u: { id: string; username: string }, role: Principal['role'], orgId: string): Principal => ({ userId: u.id, username: u.username, role, orgId, via: 'api-key', scopes: ['read'] });
    publisher = as(p, 'org-admin', cert.id);
    member = as(m, 'org-member', isp.id);
    outsider = as(o, 'org-member', other.id);
    collection = (await createCollection(state, { title: 'feed', read: [isp.id, cert.id, other.id], write: [cert.id] }, p.id)).id;
    const r = await putObjects(state, collection, [
      ind(1, "[ipv4-addr:value = '198.51.100.7']", 'green', { confidence: 80, labels: ['scanner'], valid_until: '2027-01-01T00:00:00Z' }),
      ind(2, "[ipv4-addr:value ISSUBSET '198.51.100.0/24']", 'green'),
      ind(3, "[ipv4-addr:value = '198.51.100.7']", 'red'),
      ind(4, "[ipv4-addr:value = '198.51.100.8' OR domain-name:value = 'x.example']", 'green'),
      // Two observations needed: an address alone does not stand for it.
      ind(5, "[ipv4-addr:value = '198.51.100.7'] AND [ipv4-addr:value = '198.51.100.9']", 'green'),
      ind(6, "[network-traffic:dst_ref.value = '198.51.100.7']", 'green'),
      ind(7, "[ipv6-addr:value = '2001:DB8:0:0::7']", 'green'),
    ], { userId: p.id, orgId: cert.id });
    expect(r.failures).toEqual([]);
    await nameRedRecipients(state, idOf(3), T, [m.id], p.id);
  }, 60_000);
  afterAll(async () => { await state.close(); });

  const ids = async (who: Principal, ip = '198.51.100.7'): Promise<string[]> => (await indicatorsNaming(state, ip, who, 'rest')).map((i) => i.id).sort();

  it('a member sees what is shared with its community, CIDRs included, and a RED one only when named', async () => {
    expect(await ids(member)).toEqual([idOf(1), idOf(2), idOf(3), idOf(6)]);
    expect(await ids(outsider), 'not named for the RED one').toEqual([idOf(1), idOf(2), idOf(6)]);
    expect(await ids(publisher), 'its owner').toEqual([idOf(1), idOf(2), idOf(3), idOf(6)]);
    expect(await ids(member, '198.51.100.8')).toEqual([idOf(2), idOf(4)]);
    expect(await ids(member, '2001:db8::7'), 'IPv6 in another spelling').toEqual([idOf(7)]);
    expect(await ids(member, '203.0.113.1')).toEqual([]);
  });

  it('answers the fields the host page shows, and writes what it showed to the egress audit', async () => {
    const [one] = (await indicatorsNaming(state, '198.51.100.7', outsider, 'console')).filter((i) => i.id === idOf(1));
    expect(one).toEqual({ id: idOf(1), collection, tlp: 'green', confidence: 80, validUntil: '2027-01-01T00:00:00Z', revoked: false, labels: ['scanner'] });
    const audit = await readEgress(state, { all: false, orgId: null, userId: outsider.userId }, { path: 'console' });
    expect(audit.entries.map((e) => e.objectId).sort()).toEqual([idOf(1), idOf(2), idOf(6)]);
  });

  it('a collection the viewer may not read shows nothing', async () => {
    const none = await createOrg(state, { name: 'Nobody' });
    const u = await createUser(state, { username: 'nob', password: 'a long enough password', role: 'org-member', org: none.id });
    expect(await ids({ userId: u.id, username: 'nob', role: 'org-member', orgId: none.id, via: 'api-key', scopes: ['read'] })).toEqual([]);
  });
});
