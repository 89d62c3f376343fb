/**
 * Numbered schema migrations per store, applied in order at start and recorded in a
 * `schema_migrations` table (id, name, checksum, applied_at) inside each store.
 *
 * A migration is a TypeScript module (so the build copies no SQL files):
 *
 *   export const migration = { id: 1, name: 'darknet', statements: ['CREATE TABLE …', …] };
 *
 * under `migrations/events/NNN-name.ts` (ClickHouse SQL) or `migrations/state/NNN-name.ts`
 * (PostgreSQL SQL), listed in order by the folder's `index.ts`. Rules:
 *
 * - Ids start at 1 and increase by one; an applied migration is never edited (its checksum is
 *   recorded and a changed checksum stops the start with STORE_MIGRATION_FAILED). Whitespace
 *   changes do not count as changes. To change a schema, add a migration.
 * - State migrations run in one transaction under an advisory lock: all pending ones apply or
 *   none does, and two processes starting at once do not race.
 * - ClickHouse has no transactional DDL: an events migration is recorded after its last
 *   statement succeeded, and re-run from its first statement if the process died in between, so
 *   every events statement must be idempotent (`CREATE TABLE IF NOT EXISTS`, `ADD COLUMN IF NOT
 *   EXISTS` …).
 * - Events `CREATE TABLE` statements name MergeTree-family engines through a placeholder,
 *   `ENGINE = {engine:MergeTree}`, `{engine:AggregatingMergeTree}`, `{engine:SummingMergeTree}`,
 *   `{engine:ReplacingMergeTree}`, optionally with the engine's own arguments
 *   (`{engine:ReplacingMergeTree(version)}`, `{engine:SummingMergeTree((packets, bytes))}`).
 *   On one server or chDB it becomes the plain engine; `cluster-ddl.ts` turns it into
 *   `Replicated…MergeTree` with a ZooKeeper path. See `cluster-ddl.ts` for the other rules.
 */
import { createHash } from 'node:crypto';
import { SakimoriError, isSakimoriError, messageOf } from '../errors.js';
import type { EventsStore, StateStore } from './types.js';
import { EVENTS_MIGRATIONS } from './migrations/events/index.js';
import { STATE_MIGRATIONS } from './migrations/state/index.js';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly statements: readonly string[];
  /**
   * Events only, optional: the sharding key of a table's Distributed table in the cluster DDL,
   * by table name (default: `cityHash64(src)` when the table has a `src` column, else `rand()`).
   */
  readonly sharding?: Readonly<Record<string, string>>;
}

export type StoreName = 'events' | 'state';

export interface MigrationReport {
  readonly store: StoreName;
  /** Migrations applied by this call, in order. */
  readonly applied: readonly { id: number; name: string }[];
  /** Id of the newest migration now recorded in the store (0: none). */
  readonly version: number;
}

export interface MigrateOptions {
  /** Defaults to the store's own list (`migrations/<store>/index.ts`). */
  readonly migrations?: readonly Migration[];
  /** Apply nothing: check that every migration is applied and unchanged, or throw. */
  readonly verifyOnly?: boolean;
}

interface AppliedRow {
  id: number;
  name: string;
  checksum: string;
}

/** `{engine:Name}` or `{engine:Name(args)}`; args may nest one level of parentheses. */
export const ENGINE_PLACEHOLDER = /\{engine:([A-Za-z]*MergeTree)(\((?:[^()]|\([^()]*\))*\))?\}/g;

/** Replaces the engine placeholders with the plain engines (one server, chDB). */
export function renderEngines(sql: string): string {
  return sql.replace(ENGINE_PLACEHOLDER, (_m, engine: string, args: string | undefined) => `${engine}${args ?? ''}`);
}

/** sha256 over the statements with runs of whitespace collapsed (placeholders kept as written). */
export function migrationChecksum(m: Migration): string {
  const h = createHash('sha256');
  for (const s of m.statements) h.update(s.trim().replace(/\s+/g, ' ')).update('\n;\n');
  return h.digest('hex');
}

/** Throws unless ids are 1, 2, 3 … in order and every migration has statements. */
export function checkMigrationList(store: StoreName, list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.id !== i + 1) {
      throw new SakimoriError('STORE_MIGRATION_FAILED', `migration list out of order: position ${i + 1} holds id ${m.id}`, { store, migration: m.id });
    }
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(m.name) || m.statements.length === 0) {
      throw new SakimoriError('STORE_MIGRATION_FAILED', `migration ${m.id} needs a lower-case name and at least one statement`, { store, migration: m.id });
    }
  });
}

/** Compares the store's records with the code's list; returns what is still to apply. */
export function pendingMigrations(store: StoreName, list: readonly Migration[], applied: readonly AppliedRow[]): Migration[] {
  checkMigrationList(store, list);
  const byId = new Map(list.map((m) => [m.id, m]));
  const seen = new Set<number>();
  for (const row of applied) {
    const id = Number(row.id);
    seen.add(id);
    const m = byId.get(id);
    if (!m) {
      throw new SakimoriError(
        'STORE_MIGRATION_FAILED',
        `the store has migration ${id} (${row.name}) that this version does not know: it was written by a newer version of sakimori`,
        { store, migration: id },
      );
    }
    const sum = migrationChecksum(m);
    if (row.checksum !== sum) {
      throw new SakimoriError(
        'STORE_MIGRATION_FAILED',
        `migration ${id} (${m.name}) was changed after it was applied (recorded checksum ${row.checksum.slice(0, 12)}…, now ${sum.slice(0, 12)}…); add a new migration instead of editing an applied one`,
        { store, migration: id },
      );
    }
  }
  return list.filter((m) => !seen.has(m.id));
}

function pendingError(store: StoreName, pending: readonly Migration[]): SakimoriError {
  return new SakimoriError(
    'STORE_MIGRATION_FAILED',
    `${pending.length} migration(s) not applied (${pending.map((m) => `${m.id}-${m.name}`).join(', ')}); open the stores for writing once to apply them`,
    { store },
  );
}

function statementError(store: StoreName, m: Migration, index: number, e: unknown): SakimoriError {
  const cause = isSakimoriError(e) ? e.message : messageOf(e);
  return new SakimoriError('STORE_MIGRATION_FAILED', `migration ${m.id} (${m.name}), statement ${index + 1}: ${cause}`.slice(0, 2000), {
    store,
    migration: m.id,
    statement: index + 1,
  });
}

// ---------------------------------------------------------------------------------------------
// events (ClickHouse SQL)

export const EVENTS_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree ORDER BY id`;

/** The statement recording an applied events migration (also used by the cluster DDL). */
export function eventsRecordSql(m: Migration): string {
  const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `INSERT INTO schema_migrations (id, name, checksum, applied_at) SELECT ${m.id}, ${lit(m.name)}, ${lit(migrationChecksum(m))}, now64(3)`;
}

export async function migrateEvents(store: EventsStore, opts: MigrateOptions = {}): Promise<MigrationReport> {
  const list = opts.migrations ?? EVENTS_MIGRATIONS;
  checkMigrationList('events', list);
  let applied: AppliedRow[];
  if (opts.verifyOnly) {
    const exists = await store.query<{ n: number }>(
      "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
    );
    applied = (exists[0]?.n ?? 0) > 0 ? await readEventsApplied(store) : [];
  } else {
    await store.exec(EVENTS_MIGRATIONS_TABLE_DDL);
    applied = await readEventsApplied(store);
  }
  const pending = pendingMigrations('events', list, applied);
  if (opts.verifyOnly) {
    if (pending.length > 0) throw pendingError('events', pending);
    return { store: 'events', applied: [], version: list.length };
  }
  const done: { id: number; name: string }[] = [];
  for (const m of pending) {
    // On chDB a migration's statements go in one call: chDB runs them on its own thread without
    // waiting for this one between statements (a new store's forty statements took a second
    // longer while PGlite started beside them). A failure is run again statement by statement
    // to name the one that fails: migrations are written to be run again.
    const together = store.kind === 'chdb' && m.statements.length > 1
      ? await store.exec([...m.statements.map(renderEngines), eventsRecordSql(m)].join(';\n')).then(() => true, () => false)
      : false;
    if (!together) {
      for (const [i, sql] of m.statements.entries()) {
        try {
          await store.exec(renderEngines(sql));
        } catch (e) {
          throw statementError('events', m, i, e);
        }
      }
      await store.exec(eventsRecordSql(m));
    }
    done.push({ id: m.id, name: m.name });
  }
  return { store: 'events', applied: done, version: list.length };
}

async function readEventsApplied(store: EventsStore): Promise<AppliedRow[]> {
  // A record written twice (crash between two runs on a server) is harmless: take one per id.
  return store.query<AppliedRow>(
    'SELECT id, any(name) AS name, any(checksum) AS checksum FROM schema_migrations GROUP BY id ORDER BY id',
  );
}

// ---------------------------------------------------------------------------------------------
// state (PostgreSQL SQL)

/** Key of the transaction-scoped advisory lock held while state migrations run. */
export const STATE_MIGRATION_LOCK = 7_305_111_202;

export const STATE_MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export async function migrateState(store: StateStore, opts: MigrateOptions = {}): Promise<MigrationReport> {
  const list = opts.migrations ?? STATE_MIGRATIONS;
  checkMigrationList('state', list);
  if (opts.verifyOnly) {
    const [t] = await store.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
    const applied = t?.t ? await store.query<AppliedRow>('SELECT id, name, checksum FROM schema_migrations ORDER BY id') : [];
    const pending = pendingMigrations('state', list, applied);
    if (pending.length > 0) throw pendingError('state', pending);
    return { store: 'state', applied: [], version: list.length };
  }
  return store.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${STATE_MIGRATION_LOCK})`);
    await tx.exec(STATE_MIGRATIONS_TABLE_DDL);
    const applied = await tx.query<AppliedRow>('SELECT id, name, checksum FROM schema_migrations ORDER BY id');
    const pending = pendingMigrations('state', list, applied);
    const done: { id: number; name: string }[] = [];
    for (const m of pending) {
      for (const [i, sql] of m.statements.entries()) {
        try {
          await tx.exec(sql);
        } catch (e) {
          throw statementError('state', m, i, e);
        }
      }
      await tx.query('INSERT INTO schema_migrations (id, name, checksum) VALUES ($1, $2, $3)', [m.id, m.name, migrationChecksum(m)]);
      done.push({ id: m.id, name: m.name });
    }
    return { store: 'state' as const, applied: done, version: list.length };
  });
}
