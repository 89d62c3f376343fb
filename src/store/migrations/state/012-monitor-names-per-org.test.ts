import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../migrate.js';
import { PgliteStateStore } from '../../state/pglite-store.js';
import { STATE_MIGRATIONS } from './index.js';

describe('state migration 12 (monitor names per organisation) on PGlite', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s, { migrations: STATE_MIGRATIONS.filter((m) => m.id < 12) });
  });
  afterAll(async () => s.close());

  const add = (id: string, name: string, org: string | null): Promise<unknown> =>
    s.query(`INSERT INTO monitors (id, name, org_id, query, cidrs, kinds) VALUES ($1, $2, $3, '', '{192.0.2.0/24}', '{service}')`, [id, name, org]);

  it('keeps the monitors of a release before it, and makes names unique per organisation instead of globally', async () => {
    await add('m1', 'web', 'org-a');
    await add('m2', 'platform', null);
    await expect(add('m3', 'web', 'org-b')).rejects.toThrow();
    await migrateState(s);
    expect((await s.query<{ id: string }>('SELECT id FROM monitors ORDER BY id')).map((r) => r.id)).toEqual(['m1', 'm2']);
    await add('m3', 'web', 'org-b');
    await add('m4', 'web', null);
    await expect(add('m5', 'web', 'org-a')).rejects.toThrow();
    await expect(add('m6', 'platform', null)).rejects.toThrow();
  });
});
