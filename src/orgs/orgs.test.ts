import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { migrateState } from '../store/migrate.js';
import { createUser } from '../auth/users.js';
import { enricherFromRows } from '../enrich/index.js';
import { addAsns, addDomains, addPrefixes, createOrg, getOrg, listOrgs, removeOrg } from './org-store.js';
import { responsibleFor } from './responsible.js';

describe('organisations and responsibility', () => {
  let state: PgliteStateStore;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    await state.query(`INSERT INTO abuse_contacts (source, resource, prefix, asn, email, via) VALUES
      ('RIPE', '192.0.2.0 - 192.0.2.255', '192.0.2.0/24', NULL, 'abuse@rir-block.example', 'abuse-c:X'),
      ('APNIC', 'AS64502', NULL, 64502, 'abuse@rir-as.example', 'mnt-irt:IRT-Y')`);
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it('keeps an organisation with its constituency and refuses bad input with the field', async () => {
    const isp = await createOrg(state, { name: 'Example ISP', kind: 'isp', country: 'jp', emails: ['abuse@isp.example'] });
    expect(await addPrefixes(state, isp.id, ['198.51.100.0/24', '203.0.113.0 - 203.0.113.127'])).toEqual(['198.51.100.0/24', '203.0.113.0/25']);
    await addAsns(state, 'Example ISP', ['AS64500', '64501']);
    await addDomains(state, isp.id, ['Example.JP.']);
    const got = await getOrg(state, 'Example ISP');
    expect(got).toMatchObject({ kind: 'isp', country: 'JP', constituency: { cidrs: ['198.51.100.0/24', '203.0.113.0/25'], asns: [64500, 64501], domains: ['example.jp'] } });
    await expect(createOrg(state, { name: 'Example ISP' })).rejects.toThrow(/exists/);
    await expect(createOrg(state, { name: 'X', kind: 'pirate' })).rejects.toThrow(/kind/);
    await expect(addPrefixes(state, isp.id, ['300.0.0.0/8'])).rejects.toThrow(/prefixes.0/);
    await expect(addAsns(state, isp.id, ['ASx'])).rejects.toThrow(/not an AS number/);
    await expect(addDomains(state, isp.id, ['no spaces.example'])).rejects.toThrow(/not a domain/);
    await expect(getOrg(state, 'nobody')).rejects.toThrow(/no organisation nobody/);
  });

  it('finds the recipient: prefix, then origin AS, then the RIR contact of the block, then of the AS', async () => {
    const sub = await createOrg(state, { name: 'Enterprise', kind: 'enterprise', emails: ['csirt@ent.example'] });
    await addPrefixes(state, sub.id, ['198.51.100.128/25']);
    const enricher = enricherFromRows({
      asn: [
        { start: '198.51.100.0', end: '198.51.100.255', asn: 64500, org: 'EXAMPLE-ISP-AS' },
        { start: '100.64.0.0', end: '100.64.255.255', asn: 64501, org: 'EXAMPLE-ISP-AS2' },
        { start: '192.0.2.0', end: '192.0.2.255', asn: 64999, org: 'OTHER-AS' },
        { start: '10.9.0.0', end: '10.9.255.255', asn: 64502, org: 'FAR-AS' },
      ],
      country: [],
    });
    const most = await responsibleFor(state, enricher, '198.51.100.200');
    expect(most.recipient).toMatchObject({ kind: 'organisation', name: 'Enterprise', matched: 'prefix', via: '198.51.100.128/25' });
    expect((await responsibleFor(state, enricher, '198.51.100.5')).recipient).toMatchObject({ name: 'Example ISP', matched: 'prefix' });
    const byAs = await responsibleFor(state, enricher, '100.64.3.4');
    expect(byAs.recipient).toMatchObject({ kind: 'organisation', name: 'Example ISP', matched: 'asn', via: 'AS64501' });
    const rir = await responsibleFor(state, enricher, '192.0.2.77');
    expect(rir.recipient).toMatchObject({ kind: 'abuse-contact', email: 'abuse@rir-block.example', name: 'OTHER-AS' });
    expect(rir.steps.map((s) => s.step)).toEqual(['registered organisation by prefix', 'registered organisation by origin AS', 'RIR abuse contact for the address']);
    expect((await responsibleFor(state, enricher, '10.9.1.1')).recipient).toMatchObject({ email: 'abuse@rir-as.example', via: 'AS64502 mnt-irt:IRT-Y' });
    const none = await responsibleFor(state, enricher, '172.16.0.1');
    expect(none.recipient).toBeNull();
    expect(none.steps.at(-1)?.found).toBe('none');
    await expect(responsibleFor(state, enricher, 'x')).rejects.toThrow(/not a valid IP/);
  });

  it('refuses to remove an organisation that still has users, saying so', async () => {
    const u = await createUser(state, { username: 'ent-member', password: 'a password long enough', role: 'org-member', org: 'Enterprise' });
    await expect(removeOrg(state, 'Enterprise')).rejects.toMatchObject({ code: 'ORG_HAS_USERS', status: 409 });
    await state.query('DELETE FROM users WHERE id = $1', [u.id]);
  });

  it('removes an organisation with its constituency', async () => {
    await removeOrg(state, 'Enterprise');
    expect((await listOrgs(state)).map((o) => o.name)).toEqual(['Example ISP']);
    const [n] = await state.query<{ n: number }>("SELECT count(*)::int AS n FROM org_prefixes WHERE prefix = '198.51.100.128/25'");
    expect(n?.n).toBe(0);
  });
});
