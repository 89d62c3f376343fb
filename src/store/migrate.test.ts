import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { ChdbEventsStore } from './events/chdb-store.js';
import { migrateEvents, migrationChecksum, pendingMigrations, renderEngines, type Migration } from './migrate.js';

describe('migration helpers', () => {
  it('checksums ignore whitespace but not content', () => {
    const a: Migration = { id: 1, name: 'a', statements: ['CREATE TABLE t (a int)'] };
    expect(migrationChecksum({ ...a, statements: ['  CREATE TABLE t\n\t(a int)  '] })).toBe(migrationChecksum(a));
    expect(migrationChecksum({ ...a, statements: ['CREATE TABLE t (a bigint)'] })).not.toBe(migrationChecksum(a));
    expect(migrationChecksum({ ...a, statements: ['CREATE TABLE t (a int)', ''] })).not.toBe(migrationChecksum(a));
  });

  it('renders engine placeholders for one server', () => {
    expect(renderEngines('ENGINE = {engine:MergeTree} ORDER BY a')).toBe('ENGINE = MergeTree ORDER BY a');
    expect(renderEngines('ENGINE = {engine:ReplacingMergeTree(ver)}')).toBe('ENGINE = ReplacingMergeTree(ver)');
    expect(renderEngines('WHERE x = {engine:String}')).toBe('WHERE x = {engine:String}');
  });

  it('lists what is pending and refuses changed or unknown migrations', () => {
    const m1: Migration = { id: 1, name: 'one', statements: ['A'] };
    const m2: Migration = { id: 2, name: 'two', statements: ['B'] };
    expect(pendingMigrations('state', [m1, m2], [{ id: 1, name: 'one', checksum: migrationChecksum(m1) }])).toEqual([m2]);
    expect(() => pendingMigrations('state', [m1, m2], [{ id: 1, name: 'one', checksum: 'x' }])).toThrow(/was changed/);
    expect(() => pendingMigrations('state', [m1], [{ id: 3, name: 'x', checksum: 'x' }])).toThrow(/newer version/);
    expect(() => pendingMigrations('state', [m2, m1], [])).toThrow(/out of order/);
  });
});

describe('events migrations on chDB', () => {
  let dir: string;
  let store: ChdbEventsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-migrate-'));
    store = new ChdbEventsStore(join(dir, 'events'));
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const m1: Migration = {
    id: 1,
    name: 'raw',
    statements: [
      'CREATE TABLE IF NOT EXISTS ev_ingest (ts DateTime, src IPv6, n UInt32) ENGINE = Null',
      'CREATE TABLE IF NOT EXISTS ev_raw (ts DateTime, src IPv6, n UInt32) ENGINE = {engine:MergeTree} ORDER BY (src, ts) TTL ts + INTERVAL 1 DAY',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS ev_raw_mv TO ev_raw AS SELECT * FROM ev_ingest',
    ],
  };
  const m2: Migration = {
    id: 2,
    name: 'sums',
    statements: [
      'CREATE TABLE IF NOT EXISTS ev_sum (src IPv6, n UInt64) ENGINE = {engine:SummingMergeTree((n))} ORDER BY src',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS ev_sum_mv TO ev_sum AS SELECT src, toUInt64(sum(n)) AS n FROM ev_ingest GROUP BY src',
    ],
  };

  it('applies migrations in order, records them, and applies nothing the second time', async () => {
    const first = await migrateEvents(store, { migrations: [m1] });
    expect(first.applied).toEqual([{ id: 1, name: 'raw' }]);
    const second = await migrateEvents(store, { migrations: [m1, m2] });
    expect(second.applied).toEqual([{ id: 2, name: 'sums' }]);
    expect((await migrateEvents(store, { migrations: [m1, m2] })).applied).toEqual([]);

    const engines = await store.query<{ name: string; engine_full: string }>(
      "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN ('ev_raw', 'ev_sum') ORDER BY name",
    );
    expect(engines[0]?.engine_full).toMatch(/^MergeTree ORDER BY \(src, ts\)/);
    expect(engines[1]?.engine_full).toMatch(/^SummingMergeTree\(\(n\)\)/);
    const recorded = await store.query<{ id: number; name: string; checksum: string }>('SELECT id, name, checksum FROM schema_migrations ORDER BY id');
    expect(recorded).toEqual([
      { id: 1, name: 'raw', checksum: migrationChecksum(m1) },
      { id: 2, name: 'sums', checksum: migrationChecksum(m2) },
    ]);
    // The views work: one insert reaches both tables.
    await store.exec("INSERT INTO ev_ingest VALUES (now(), '::ffff:192.0.2.1', 3), (now(), '::ffff:192.0.2.1', 4)");
    expect(await store.query('SELECT count() AS c FROM ev_raw')).toEqual([{ c: 2 }]);
    expect(await store.query('SELECT toUInt64(sum(n)) AS n FROM ev_sum')).toEqual([{ n: 7 }]);
  });

  it('refuses an applied migration whose statements changed', async () => {
    const changed: Migration = { ...m2, statements: [...m2.statements, 'SELECT 1'] };
    const e = await migrateEvents(store, { migrations: [m1, changed] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SakimoriError);
    expect((e as SakimoriError).code).toBe('STORE_MIGRATION_FAILED');
    expect((e as SakimoriError).message).toMatch(/migration 2 \(sums\) was changed/);
  });

  it('stops at a failing statement without recording the migration, and resumes once fixed', async () => {
    const bad: Migration = { id: 3, name: 'bad', statements: ['CREATE TABLE IF NOT EXISTS ev_x (a UInt8) ENGINE = Memory', 'CREATE TABLE ev_y (a NoSuchType) ENGINE = Memory'] };
    const e = await migrateEvents(store, { migrations: [m1, m2, bad] }).catch((x: unknown) => x);
    expect((e as SakimoriError).code).toBe('STORE_MIGRATION_FAILED');
    expect((e as SakimoriError).where).toMatchObject({ store: 'events', migration: 3, statement: 2 });
    expect(await store.query('SELECT max(id) AS v FROM schema_migrations')).toEqual([{ v: 2 }]);
    const fixed: Migration = { ...bad, statements: [bad.statements[0] as string, 'CREATE TABLE IF NOT EXISTS ev_y (a UInt8) ENGINE = Memory'] };
    expect((await migrateEvents(store, { migrations: [m1, m2, fixed] })).applied).toEqual([{ id: 3, name: 'bad' }]);
    await expect(migrateEvents(store, { migrations: [m1, m2, fixed], verifyOnly: true })).resolves.toMatchObject({ applied: [] });
    await expect(migrateEvents(store, { migrations: [m1, m2, fixed, { id: 4, name: 'next', statements: ['SELECT 1'] }], verifyOnly: true })).rejects.toThrow(/not applied/);
  });
});
