/**
 * The behaviour every StateStore must show, written once and run against PGlite
 * (`../pglite-store.test.ts`) and a real PostgreSQL server (`test/servers/postgres.test.ts`).
 * `fresh()` must return a store on an empty database each time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SakimoriError } from '../../../errors.js';
import { migrateState, type Migration } from '../../migrate.js';
import { STATE_MIGRATIONS } from '../../migrations/state/index.js';
import type { StateStore } from '../../types.js';

export function describeStateStore(label: string, fresh: () => Promise<StateStore>): void {
  describe(`StateStore behaviour: ${label}`, () => {
    const open: StateStore[] = [];
    const store = async (): Promise<StateStore> => {
      const s = await fresh();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    it('binds $n parameters and returns PostgreSQL values the same way on every backend', async () => {
      const s = await store();
      const [row] = await s.query<{ n: number; big: number; t: Date; j: unknown; nul: null; arr: string[]; b: boolean; num: string }>(
        `SELECT $1::int AS n, $2::bigint AS big, $3::timestamptz AS t, $4::jsonb AS j, NULL AS nul,
                $5::text[] AS arr, $6::boolean AS b, 1.5::numeric AS num`,
        [42, 9_007_199_254_740_991, '2024-03-01T12:34:56.789Z', JSON.stringify({ a: [1, 'x'] }), ['p', 'q'], true],
      );
      expect(row).toEqual({
        n: 42,
        big: 9_007_199_254_740_991,
        t: new Date('2024-03-01T12:34:56.789Z'),
        j: { a: [1, 'x'] },
        nul: null,
        arr: ['p', 'q'],
        b: true,
        num: '1.5',
      });
    });

    it('exec runs several statements; query returns [] for statements without rows', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, $$a$$); INSERT INTO t VALUES (2, $$b$$);');
      expect(await s.query('UPDATE t SET v = $1 WHERE id = $2', ['c', 2])).toEqual([]);
      expect(await s.query<{ id: number; v: string }>('SELECT id, v FROM t ORDER BY id')).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: 'c' },
      ]);
    });

    it('commits a transaction and returns its value', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY)');
      const out = await s.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1), ($2)', [1, 2]);
        await tx.exec('INSERT INTO t VALUES (3)');
        return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0]?.n;
      });
      expect(out).toBe(3);
      expect(await s.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    });

    it('rolls a transaction back when fn throws, and rethrows that same error', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)');
      const boom = new Error('boom');
      await expect(
        s.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES ($1)', [2]);
          await tx.exec('DELETE FROM t WHERE id = 1');
          expect(await tx.query('SELECT id FROM t')).toEqual([{ id: 2 }]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await s.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }]);
      // The store is usable afterwards.
      await s.transaction((tx) => tx.query('INSERT INTO t VALUES (5)'));
      expect(await s.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 5 }]);
    });

    it('rolls back when a statement failed even if fn caught its error', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY)');
      await expect(
        s.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          await tx.query('INSERT INTO t VALUES (1)').catch(() => undefined);
          return 'done';
        }),
      ).rejects.toBeInstanceOf(Error);
      expect(await s.query('SELECT id FROM t')).toEqual([]);
    });

    it('does not show uncommitted rows outside the transaction', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY)');
      let outside: Promise<unknown[]> | undefined;
      await expect(
        s.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          // Not awaited here: on PGlite it waits for the transaction, on a server it runs now.
          outside = s.query('SELECT id FROM t');
          outside.catch(() => undefined);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await outside).toEqual([]);
    });

    it('copyRows loads text exactly (tabs, newlines, backslashes, quotes, NULL, non-ASCII), in and out of a transaction', async () => {
      const s = await store();
      await s.exec('CREATE TABLE staged (a text, b text)');
      const tricky = ['tab\there', 'line\nbreak\r\n', 'back\\slash \\N', '"quoted" {"json": "x\\u0041"}', '防人 ✓', ''];
      await s.copyRows('staged', ['a', 'b'], tricky.map((t, i) => [String(i), t]));
      await s.copyRows('staged', ['b'], [[null]]);
      await s.transaction((tx) => tx.copyRows('staged', ['a', 'b'], [['in-tx', 'kept']]));
      const rows = await s.query<{ a: string | null; b: string | null }>('SELECT a, b FROM staged');
      expect(rows.filter((r) => r.a !== null && r.a !== 'in-tx').sort((x, y) => Number(x.a) - Number(y.a)).map((r) => r.b)).toEqual(tricky);
      expect(rows.filter((r) => r.a === null)).toEqual([{ a: null, b: null }]);
      expect(rows.filter((r) => r.a === 'in-tx')).toEqual([{ a: 'in-tx', b: 'kept' }]);
    });

    it('reports failed queries as STORE_QUERY_FAILED with the SQLSTATE', async () => {
      const s = await store();
      await s.exec('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)');
      const dup = await s.query('INSERT INTO t VALUES ($1)', [1]).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(SakimoriError);
      expect((dup as SakimoriError).code).toBe('STORE_QUERY_FAILED');
      expect((dup as SakimoriError).where.sqlstate).toBe('23505');
      const syntax = await s.exec('SELEC nonsense').catch((e: unknown) => e);
      expect((syntax as SakimoriError).code).toBe('STORE_QUERY_FAILED');
      expect((syntax as SakimoriError).where.sqlstate).toBe('42601');
    });

    it('applies the state migrations once, and the ingest statements work on them', async () => {
      const s = await store();
      const first = await migrateState(s);
      expect(first.applied.map((m) => m.id)).toEqual(STATE_MIGRATIONS.map((m) => m.id));
      const second = await migrateState(s);
      expect(second.applied).toEqual([]);
      expect(second.version).toBe(STATE_MIGRATIONS.length);
      const recorded = await s.query<{ id: number; name: string; checksum: string; applied_at: Date }>(
        'SELECT id, name, checksum, applied_at FROM schema_migrations ORDER BY id',
      );
      expect(recorded.map((r) => r.id)).toEqual(STATE_MIGRATIONS.map((m) => m.id));
      expect(recorded[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(recorded[0]?.applied_at).toBeInstanceOf(Date);

      // The statements of ingest/darknet-ingest.ts, as it runs them.
      const upsert = `INSERT INTO ingest_files (source_key, name, sensor, status, started_at) VALUES ($1, $2, $3, 'running', now())
        ON CONFLICT (source_key) DO UPDATE SET status = 'running', started_at = now()`;
      await s.query(upsert, ['sha256:abc', 'a.pcap', 'tokyo']);
      await s.query(upsert, ['sha256:abc', 'a.pcap', 'tokyo']);
      // A batch begun, found by its time range, then committed (ingest/overlap.ts).
      const begin = `INSERT INTO ingest_batches (token, source_key, seq, packets, committed_at, sensor, ts_min, ts_max, committed)
        VALUES ($1, $2, $3, $4, now(), $5, $6, $7, false) ON CONFLICT (token) DO UPDATE SET token = EXCLUDED.token RETURNING committed`;
      expect(await s.query(begin, ['tok1', 'sha256:abc', 0, 1000, 'tokyo', 1_700_000_000_000_000, 1_700_000_060_000_000])).toEqual([{ committed: false }]);
      await s.query(
        'UPDATE ingest_batches SET committed = true, committed_at = now(), keys_until = now() + make_interval(days => $2) WHERE token = $1',
        ['tok1', 90],
      );
      expect(await s.query(begin, ['tok1', 'sha256:abc', 0, 1000, 'tokyo', 1_700_000_000_000_000, 1_700_000_060_000_000])).toEqual([{ committed: true }]);
      const overlap = await s.query<{ token: string; keyed: boolean; ts_min: number }>(
        `SELECT token, ts_min, (keys_until > now() + make_interval(days => $5) AND committed_at + make_interval(days => $4) > now() + make_interval(days => $5)) AS keyed
           FROM ingest_batches WHERE sensor = $1 AND ts_max >= $2 AND ts_min <= $3`,
        ['tokyo', 1_700_000_050_000_000, 1_700_000_070_000_000, 90, 1],
      );
      expect(overlap).toEqual([{ token: 'tok1', ts_min: 1_700_000_000_000_000, keyed: true }]);
      await s.query(
        `UPDATE ingest_files SET status = $2, packets = $3, records = $4, bytes = $5, skipped = $6, truncated = $7, finished_at = now()
         WHERE source_key = $1`,
        ['sha256:abc', 'complete', 1000, 1001, 123_456, JSON.stringify({ 'bad-ip': 1 }), null],
      );
      const [file] = await s.query<Record<string, unknown>>('SELECT * FROM ingest_files');
      expect(file).toMatchObject({ status: 'complete', packets: 1000, records: 1001, bytes: 123_456, skipped: { 'bad-ip': 1 }, truncated: null });
      expect(file?.finished_at).toBeInstanceOf(Date);
      await s.query('INSERT INTO audit_log (actor, action, target_type, target_id, detail) VALUES ($1, $2, $3, $4, $5)', [
        'cli',
        'ingest',
        'file',
        'sha256:abc',
        JSON.stringify({ packets: 1000 }),
      ]);
      expect(await s.query('SELECT id, actor, detail FROM audit_log')).toEqual([{ id: 1, actor: 'cli', detail: { packets: 1000 } }]);
    });

    it('applies migrations in order, and only the new ones on a later start', async () => {
      const s = await store();
      const m1: Migration = { id: 1, name: 'one', statements: ['CREATE TABLE a (id int PRIMARY KEY)'] };
      const m2: Migration = { id: 2, name: 'two', statements: ['CREATE TABLE b (a int REFERENCES a (id))', 'INSERT INTO a VALUES (7)'] };
      const m3: Migration = { id: 3, name: 'three', statements: ['INSERT INTO b VALUES (7)'] };
      expect((await migrateState(s, { migrations: [m1, m2] })).applied).toEqual([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ]);
      expect((await migrateState(s, { migrations: [m1, m2, m3] })).applied).toEqual([{ id: 3, name: 'three' }]);
      expect((await migrateState(s, { migrations: [m1, m2, m3] })).applied).toEqual([]);
      expect(await s.query('SELECT a FROM b')).toEqual([{ a: 7 }]);
      // Whitespace is not a change.
      const m1b: Migration = { ...m1, statements: ['  CREATE TABLE a\n  (id int PRIMARY KEY)\n'] };
      expect((await migrateState(s, { migrations: [m1b, m2, m3] })).applied).toEqual([]);
    });

    it('refuses a migration changed after it was applied, and applies nothing', async () => {
      const s = await store();
      const m1: Migration = { id: 1, name: 'one', statements: ['CREATE TABLE a (id int)'] };
      await migrateState(s, { migrations: [m1] });
      const changed: Migration = { id: 1, name: 'one', statements: ['CREATE TABLE a (id bigint)'] };
      const m2: Migration = { id: 2, name: 'two', statements: ['CREATE TABLE b (id int)'] };
      const err = await migrateState(s, { migrations: [changed, m2] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SakimoriError);
      expect((err as SakimoriError).code).toBe('STORE_MIGRATION_FAILED');
      expect((err as SakimoriError).message).toMatch(/migration 1 \(one\) was changed/);
      expect(await s.query("SELECT to_regclass('b')::text AS t")).toEqual([{ t: null }]);
    });

    it('refuses a store that has migrations this version does not know', async () => {
      const s = await store();
      const m1: Migration = { id: 1, name: 'one', statements: ['CREATE TABLE a (id int)'] };
      const m2: Migration = { id: 2, name: 'two', statements: ['CREATE TABLE b (id int)'] };
      await migrateState(s, { migrations: [m1, m2] });
      await expect(migrateState(s, { migrations: [m1] })).rejects.toThrow(/newer version/);
    });

    it('rolls back every pending migration when one fails', async () => {
      const s = await store();
      const m1: Migration = { id: 1, name: 'one', statements: ['CREATE TABLE a (id int)'] };
      const bad: Migration = { id: 2, name: 'two', statements: ['CREATE TABLE b (id int)', 'CREATE TABLE c (id nosuchtype)'] };
      const err = await migrateState(s, { migrations: [m1, bad] }).catch((e: unknown) => e);
      expect((err as SakimoriError).code).toBe('STORE_MIGRATION_FAILED');
      expect((err as SakimoriError).where).toMatchObject({ store: 'state', migration: 2, statement: 2 });
      expect(await s.query("SELECT to_regclass('a')::text AS a, to_regclass('b')::text AS b")).toEqual([{ a: null, b: null }]);
      expect(await s.query("SELECT to_regclass('schema_migrations')::text AS t")).toEqual([{ t: null }]);
      // Fixed, it applies from the start.
      const good: Migration = { ...bad, statements: ['CREATE TABLE b (id int)'] };
      expect((await migrateState(s, { migrations: [m1, good] })).applied.map((m) => m.id)).toEqual([1, 2]);
    });

    it('rejects a badly numbered migration list', async () => {
      const s = await store();
      const m: Migration = { id: 2, name: 'two', statements: ['SELECT 1'] };
      await expect(migrateState(s, { migrations: [m] })).rejects.toThrow(/out of order/);
    });

    it('verifyOnly applies nothing and fails while migrations are pending', async () => {
      const s = await store();
      await expect(migrateState(s, { verifyOnly: true })).rejects.toThrow(/not applied/);
      expect(await s.query("SELECT to_regclass('ingest_files')::text AS t")).toEqual([{ t: null }]);
      await migrateState(s);
      expect((await migrateState(s, { verifyOnly: true })).applied).toEqual([]);
    });

    it('lets concurrent starts apply each migration once', async () => {
      const s = await store();
      const reports = await Promise.all([migrateState(s), migrateState(s), migrateState(s)]);
      expect(reports.flatMap((r) => r.applied).map((m) => m.id)).toEqual(STATE_MIGRATIONS.map((m) => m.id));
    });
  });
}
