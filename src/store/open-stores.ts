import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ClickHouseEventsStore } from './events/clickhouse-store.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { migrateEvents, migrateState, type MigrationReport } from './migrate.js';
import { PgliteStateStore } from './state/pglite-store.js';
import { PostgresStateStore } from './state/postgres-store.js';
import type { EventsStore, StateStore } from './types.js';

export interface OpenStoresOptions {
  /** The data directory: embedded stores in `<dataDir>/events` (chDB) and `<dataDir>/state` (PGlite). */
  readonly dataDir: string;
  /** Events on a ClickHouse server instead of chDB (`http://user:password@host:8123/database`). */
  readonly clickhouseUrl?: string | undefined;
  /** State on a PostgreSQL server instead of PGlite (`postgres://user:password@host:5432/database`). */
  readonly postgresUrl?: string | undefined;
  /**
   * Apply no migration: check that both stores are at this version's schema (STORE_MIGRATION_FAILED
   * otherwise). The embedded stores are still locked: chDB and PGlite cannot share a directory.
   */
  readonly readOnly?: boolean | undefined;
}

export interface Stores {
  readonly events: EventsStore;
  readonly state: StateStore;
  /** What the start applied to each store. */
  readonly migrations: { readonly events: MigrationReport; readonly state: MigrationReport };
  /** Closes both stores and releases the data-directory lock. Idempotent. */
  close(): Promise<void>;
}

export const EVENTS_DIR = 'events';
export const STATE_DIR = 'state';

/**
 * Opens the events and state stores for a command: embedded by default, servers when URLs are
 * given. Embedded stores take the data-directory lock (STORE_LOCKED if another process holds
 * it) and both stores are migrated to this version's schema before they are returned.
 */
export async function openStores(opts: OpenStoresOptions): Promise<Stores> {
  const dataDir = resolve(opts.dataDir);
  const embedded = !opts.clickhouseUrl || !opts.postgresUrl;
  await mkdir(dataDir, { recursive: true });

  let lock: DataDirLock | undefined;
  let events: EventsStore | undefined;
  let state: StateStore | undefined;
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const s of [events, state]) {
      try {
        await s?.close();
      } catch (e) {
        errors.push(e);
      }
    }
    events = undefined;
    state = undefined;
    await lock?.release();
    lock = undefined;
    if (errors.length > 0) throw errors[0];
  };

  let opening: Promise<StateStore> | undefined;
  try {
    if (embedded) lock = await lockDataDir(dataDir);
    const verifyOnly = opts.readOnly ?? false;
    // The two stores open side by side: PGlite reads its files and compiles its WebAssembly in
    // the background while chDB loads its library, and chDB migrates on its own threads while
    // PGlite starts.
    opening = opts.postgresUrl ? Promise.resolve(new PostgresStateStore(opts.postgresUrl)) : PgliteStateStore.open(join(dataDir, STATE_DIR));
    opening.catch(() => undefined);
    if (opts.clickhouseUrl) {
      events = new ClickHouseEventsStore(opts.clickhouseUrl);
    } else {
      const dir = join(dataDir, EVENTS_DIR);
      await mkdir(dir, { recursive: true });
      // Loaded only when used: the library is large, and commands that talk to a server skip it.
      const { ChdbEventsStore } = await import('./events/chdb-store.js');
      events = new ChdbEventsStore(dir);
    }
    const eventsMigrated = migrateEvents(events, { verifyOnly });
    eventsMigrated.catch(() => undefined);
    state = await opening;
    const stateReport = await migrateState(state, { verifyOnly });
    const migrations = { events: await eventsMigrated, state: stateReport };
    const ev = events;
    const st = state;
    return { events: ev, state: st, migrations, close: closeAll };
  } catch (e) {
    // A state store still opening when the events side failed is closed too.
    state ??= await opening?.catch(() => undefined);
    await closeAll().catch(() => undefined);
    throw e;
  }
}
