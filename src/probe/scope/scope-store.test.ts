import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../store/migrate.js';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { addExclusion, createScope, getScope, listExclusions, listScopes, loadGuard, removeExclusion, removeScope } from './scope-store.js';

describe('scope store on PGlite', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
  });
  afterAll(async () => s.close());

  const base = { owner: 'JPCERT lab', legalBasis: 'MIC ordinance art. 7', validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' };

  it('creates, lists, finds by name or id, and builds a guard with exclusions', async () => {
    const sc = await createScope(s, { ...base, name: 'lab', cidrs: ['10.1.0.0/16', '2001:DB8::/48'] });
    expect(sc.cidrs).toEqual(['10.1.0.0/16', '2001:db8::/48']);
    expect(sc.credentialChecks).toBe(false);
    expect((await getScope(s, sc.id)).name).toBe('lab');
    expect((await listScopes(s)).map((x) => x.name)).toContain('lab');
    await addExclusion(s, 'lab', { cidr: '10.1.2.0/24', reason: 'hospital' });
    const g = await addExclusion(s, null, { cidr: '10.1.3.3', reason: 'opt-out' });
    expect(g.cidr).toBe('10.1.3.3/32');
    expect(await listExclusions(s, sc.id)).toHaveLength(2);
    const guard = await loadGuard(s, 'lab');
    const now = Date.parse('2026-05-01T00:00:00Z');
    expect(guard.checkTarget('10.1.1.1', now)).toBeUndefined();
    expect(guard.checkTarget('10.1.2.9', now)?.message).toMatch(/hospital/);
    expect(guard.checkTarget('10.1.3.3', now)?.message).toMatch(/global exclusion.*opt-out/);
    expect(await removeExclusion(s, g.id ?? -1)).toBe(true);
    expect((await loadGuard(s, 'lab')).checkTarget('10.1.3.3', now)).toBeUndefined();
  });

  it('refuses bad scopes with the field named', async () => {
    await expect(createScope(s, { ...base, name: 'x', cidrs: ['10.0.0.1/8'] })).rejects.toMatchObject({ code: 'SCOPE_INVALID', where: { field: 'cidrs.0' } });
    await expect(createScope(s, { ...base, name: 'y', cidrs: [] })).rejects.toMatchObject({ code: 'SCOPE_INVALID', where: { field: 'cidrs' } });
    await expect(createScope(s, { ...base, name: 'z', cidrs: ['10.0.0.0/8'], validTo: '2025-01-01' })).rejects.toMatchObject({ where: { field: 'validTo' } });
    await expect(createScope(s, { ...base, name: 'w', cidrs: ['10.0.0.0/8'], validFrom: 'tomorrow' })).rejects.toMatchObject({ code: 'SCOPE_INVALID' });
    await expect(createScope(s, { ...base, name: 'lab', cidrs: ['10.0.0.0/16'] })).rejects.toThrow(/already exists/);
    await expect(getScope(s, 'nope')).rejects.toMatchObject({ code: 'SCOPE_NOT_FOUND' });
  });

  it('says what is wrong with a CIDR once, naming the field', async () => {
    const e = await createScope(s, { ...base, name: 'once', cidrs: ['192.0.2.0/24', 'nonsense'] }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SCOPE_INVALID', where: { field: 'cidrs.1', cidr: 'nonsense' } });
    expect((e as Error).message).toBe('invalid scope: not an IP network: "nonsense" (cidr=nonsense)');
  });

  it('refuses more than a /16 or a /48 unless confirmed, saying how many addresses', async () => {
    const all = await createScope(s, { ...base, name: 'all', cidrs: ['0.0.0.0/0'] }).catch((x: unknown) => x);
    expect(all).toMatchObject({ code: 'SCOPE_TOO_LARGE', status: 400, where: { field: 'cidrs' } });
    expect((all as Error).message).toMatch(/"all" covers 4,294,967,296 IPv4 addresses; .*--confirm-large/);
    // Two /16s are 131,072 addresses in all (overlaps counted once); a /48 of IPv6 is the most without confirming.
    await expect(createScope(s, { ...base, name: 'two', cidrs: ['10.0.0.0/16', '10.1.0.0/16', '10.1.0.0/17'] })).rejects.toThrow(/131,072 IPv4 addresses/);
    await expect(createScope(s, { ...base, name: 'v6', cidrs: ['2001:db8::/47'] })).rejects.toThrow(/2\^81 IPv6 addresses/);
    expect((await createScope(s, { ...base, name: 'one16', cidrs: ['10.2.0.0/16', '2001:db8:1::/48'] })).cidrs).toHaveLength(2);
    expect((await createScope(s, { ...base, name: 'all', cidrs: ['0.0.0.0/0'], confirmLarge: true })).cidrs).toEqual(['0.0.0.0/0']);
  });

  it('removes a scope without runs, keeps one with runs', async () => {
    const a = await createScope(s, { ...base, name: 'tmp', cidrs: ['192.0.2.0/24'] });
    await removeScope(s, 'tmp');
    await expect(getScope(s, a.id)).rejects.toMatchObject({ code: 'SCOPE_NOT_FOUND' });
    const b = await createScope(s, { ...base, name: 'kept', cidrs: ['192.0.2.0/24'] });
    await s.query(`INSERT INTO survey_runs (id, scope_id) VALUES ('r-kept', $1)`, [b.id]);
    await expect(removeScope(s, 'kept')).rejects.toThrow(/kept for the record/);
  });
});
