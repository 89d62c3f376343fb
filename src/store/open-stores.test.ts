import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { LOCK_FILE, readLock } from './lock.js';
import { EVENTS_MIGRATIONS } from './migrations/events/index.js';
import { STATE_MIGRATIONS } from './migrations/state/index.js';
import { openStores } from './open-stores.js';

const root = await mkdtemp(join(tmpdir(), 'sakimori-open-'));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('openStores (embedded)', () => {
  const dataDir = join(root, 'data');

  it('refuses a read-only open of a data directory that was never migrated, and releases the lock', async () => {
    const e = await openStores({ dataDir, readOnly: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SakimoriError);
    expect((e as SakimoriError).code).toBe('STORE_MIGRATION_FAILED');
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('creates the directories, locks them and migrates both stores', async () => {
    const stores = await openStores({ dataDir });
    try {
      expect(stores.events.kind).toBe('chdb');
      expect(stores.state.kind).toBe('pglite');
      expect(existsSync(join(dataDir, 'events'))).toBe(true);
      expect(existsSync(join(dataDir, 'state'))).toBe(true);
      expect((await readLock(dataDir))?.pid).toBe(process.pid);
      // A new state directory may start from the build's template, which holds the schema-only
      // migrations already (store/state/pglite-template.ts): what counts is that all are recorded.
      const recorded = await stores.state.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(recorded.map((m) => m.id)).toEqual(STATE_MIGRATIONS.map((m) => m.id));
      expect(stores.migrations.events.applied.map((m) => m.id)).toEqual(EVENTS_MIGRATIONS.map((m) => m.id));
      expect(await stores.state.query('SELECT count(*)::int AS n FROM ingest_files')).toEqual([{ n: 0 }]);
      expect(await stores.events.query<{ n: number }>('SELECT count() AS n FROM schema_migrations')).toEqual([{ n: EVENTS_MIGRATIONS.length }]);

      // A second opener of the same directory gets STORE_LOCKED with the holder's pid.
      const e = await openStores({ dataDir }).catch((x: unknown) => x);
      expect((e as SakimoriError).code).toBe('STORE_LOCKED');
      expect((e as SakimoriError).where.pid).toBe(process.pid);
    } finally {
      await stores.close();
      await stores.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('applies nothing on the next start, and opens read-only once migrated', async () => {
    const again = await openStores({ dataDir });
    try {
      expect(again.migrations.state.applied).toEqual([]);
      expect(again.migrations.events.applied).toEqual([]);
    } finally {
      await again.close();
    }
    const ro = await openStores({ dataDir, readOnly: true });
    await ro.close();
  });
});
