import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migrateState } from '../../store/migrate.js';
import { readEgress, recordEgress, type EgressEntry } from './egress-audit.js';

const entry = (i: number, over: Partial<EgressEntry> = {}): EgressEntry => ({
  userId: `u${i % 3}`, orgId: i % 3 === 0 ? null : `org-${i % 3}`, objectId: `indicator--${i}`, version: '2026-12-01T00:00:00.000Z',
  ownerOrgId: 'org-owner', collectionId: 'c1', path: 'taxii', reason: 'green-community', ...over,
});

describe('egress audit', () => {
  let state: PgliteStateStore;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it('records a page of deliveries in one call and reads them back newest first, paged', async () => {
    await recordEgress(state, Array.from({ length: 25 }, (_, i) => entry(i)), new Date('2026-12-01T10:00:00Z'));
    await recordEgress(state, [entry(99, { path: 'export', orgId: 'org-x', ownerOrgId: 'org-y', userId: 'ux' })], new Date('2026-12-02T10:00:00Z'));
    const first = await readEgress(state, { all: true }, { limit: 10 });
    expect(first.entries).toHaveLength(10);
    expect(first.entries[0]).toMatchObject({ objectId: 'indicator--99', path: 'export', at: '2026-12-02T10:00:00.000Z' });
    let all = [...first.entries];
    for (let next = first.next; next !== null;) {
      const p = await readEgress(state, { all: true }, { limit: 10, before: next });
      all = all.concat(p.entries);
      next = p.next;
    }
    expect(all).toHaveLength(26);
    expect(new Set(all.map((e) => e.id)).size).toBe(26);
  });

  it('an organisation reads only what went to it, or (its admins) came from it; a user without one what went to itself', async () => {
    const x = await readEgress(state, { all: false, orgId: 'org-x' });
    expect(x.entries.map((e) => e.objectId)).toEqual(['indicator--99']);
    const y = await readEgress(state, { all: false, orgId: 'org-y', asOwner: true });
    expect(y.entries.map((e) => e.objectId)).toEqual(['indicator--99']);
    expect((await readEgress(state, { all: false, orgId: 'org-y' })).entries, 'not a recipient, and not reading as the owner').toEqual([]);
    expect((await readEgress(state, { all: false, orgId: null, userId: 'ux' })).entries.map((e) => e.objectId)).toEqual(['indicator--99']);
    expect((await readEgress(state, { all: false, orgId: null })).entries).toEqual([]);
    const one = await readEgress(state, { all: false, orgId: 'org-1', asOwner: true }, { limit: 1000 });
    expect(one.entries.every((e) => e.orgId === 'org-1' || e.ownerOrgId === 'org-1')).toBe(true);
    expect(one.entries).toHaveLength(8);
    expect((await readEgress(state, { all: true }, { path: 'export' })).entries).toHaveLength(1);
    expect((await readEgress(state, { all: true }, { since: new Date('2026-12-02T00:00:00Z') })).entries).toHaveLength(1);
  });

  it('refuses an unknown path with where it is', async () => {
    await expect(recordEgress(state, [entry(1), { ...entry(2), path: 'carrier-pigeon' as 'taxii' }])).rejects.toMatchObject({ where: { field: 'entries.1.path' } });
  });
});
