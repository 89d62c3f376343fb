import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migrateState } from '../../store/migrate.js';
import { createOrg } from '../../orgs/org-store.js';
import { addServes, invalidateCommunity, loadCommunity, removeServes, servesOf } from './community.js';

describe('who serves whom', () => {
  let state: PgliteStateStore;
  let isp: string, cust: string, isac: string;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    isp = (await createOrg(state, { name: 'ISP', kind: 'isp' })).id;
    cust = (await createOrg(state, { name: 'Customer', kind: 'enterprise' })).id;
    isac = (await createOrg(state, { name: 'ISAC', kind: 'other' })).id;
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it('stores relations both ways and the cache follows a change at once', async () => {
    expect((await loadCommunity(state)).servers(cust).size).toBe(0);
    await addServes(state, 'ISP', ['Customer'], 'customer');
    await addServes(state, isac, [isp, cust], 'member');
    const c = await loadCommunity(state);
    expect([...c.servers(cust)].sort()).toEqual([isp, isac].sort());
    expect([...c.served(isac)].sort()).toEqual([isp, cust].sort());
    expect(c.servers(isac).size).toBe(0);
    // Adding again without a relation keeps the one given before.
    await addServes(state, isp, [cust]);
    expect((await servesOf(state, isp)).find((l) => l.servedOrgId === cust)?.relation).toBe('customer');
    await removeServes(state, 'ISAC', 'Customer');
    expect([...(await loadCommunity(state)).servers(cust)]).toEqual([isp]);
  });

  it('caches per store and reloads after the time to live', async () => {
    invalidateCommunity(state);
    const a = loadCommunity(state, 1_000_000);
    expect(loadCommunity(state, 1_000_001)).toBe(a);
    expect(loadCommunity(state, 1_010_000)).not.toBe(a);
    invalidateCommunity(state);
  });

  it('refuses bad input with the field', async () => {
    await expect(addServes(state, isp, [isp])).rejects.toMatchObject({ code: 'BAD_REQUEST', where: { field: 'orgs.0' } });
    await expect(addServes(state, isp, [cust], 'owner')).rejects.toMatchObject({ where: { field: 'relation' } });
    await expect(addServes(state, isp, [])).rejects.toMatchObject({ where: { field: 'orgs' } });
    await expect(addServes(state, isp, ['nobody'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
