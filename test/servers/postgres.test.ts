/**
 * The state store on a real PostgreSQL server (Debian's `postgresql`, started here): the same
 * behaviour suite PGlite passes, plus migrations, transactions on one connection and a unix
 * socket URL. Needs `apt-get install -y postgresql`; see README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../src/store/migrate.js';
import { STATE_MIGRATIONS } from '../../src/store/migrations/state/index.js';
import { PostgresStateStore } from '../../src/store/state/postgres-store.js';
import { describeStateStore } from '../../src/store/state/testing/state-store-behaviour.js';
import { INSTALL_HINT, findPgBin, startPostgres, type PgServer } from './pg-server.js';

let server: PgServer | undefined;
let startError: unknown;
let dbCount = 0;

// A missing or failing server is reported by every test (counted as failures, not skips).
beforeAll(async () => {
  try {
    if (!findPgBin()) throw new Error(INSTALL_HINT);
    server = await startPostgres();
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await server?.stop();
});

function running(): PgServer {
  if (!server) throw startError instanceof Error ? startError : new Error(`PostgreSQL did not start. ${INSTALL_HINT}`);
  return server;
}

async function freshStore(): Promise<PostgresStateStore> {
  const url = await running().createDatabase(`sakimori_t${++dbCount}`);
  return new PostgresStateStore(url, { max: 4 });
}

describe('PostgreSQL server', () => {
  it('starts from the installed postgresql package', () => {
    expect(running().version).toMatch(/^\d+/);
  });

  it('is Debian PostgreSQL, reachable by URL', async () => {
    const s = await freshStore();
    try {
      expect(s.kind).toBe('postgres');
      const [row] = await s.query<{ v: string }>('SELECT version() AS v');
      expect(row?.v).toMatch(/^PostgreSQL \d+/);
    } finally {
      await s.close();
    }
  });

  it('runs the state migrations, then nothing on a second start', async () => {
    const url = await running().createDatabase('sakimori_migrate');
    const a = new PostgresStateStore(url);
    expect((await migrateState(a)).applied.map((m) => m.id)).toEqual(STATE_MIGRATIONS.map((m) => m.id));
    await a.close();
    const b = new PostgresStateStore(url);
    try {
      expect((await migrateState(b)).applied).toEqual([]);
      const tables = await b.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      // Every table the migrations create, and nothing else.
      const created = STATE_MIGRATIONS.flatMap((m) => m.statements).flatMap((st) => [...st.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)].map((x) => x[1] as string));
      expect(tables.map((r) => r.t)).toEqual([...new Set([...created, 'schema_migrations'])].sort());
    } finally {
      await b.close();
    }
  });

  it('keeps a transaction on one connection and rolls it back on error', async () => {
    const s = await freshStore();
    try {
      await migrateState(s);
      const boom = new Error('fail after insert');
      await expect(
        s.transaction(async (tx) => {
          const [a] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await tx.query("INSERT INTO ingest_files (source_key, name, sensor, status) VALUES ($1, 'f', 's', 'running')", ['k1']);
          await tx.exec('SET LOCAL statement_timeout = 5000');
          const [b] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          expect(b?.pid).toBe(a?.pid);
          // The pool's other connections do not see the row yet.
          expect(await s.query('SELECT 1 FROM ingest_files WHERE source_key = $1', ['k1'])).toEqual([]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await s.query('SELECT source_key FROM ingest_files')).toEqual([]);
      // Concurrent transactions each get their own connection.
      await Promise.all(
        [1, 2, 3].map((i) =>
          s.transaction(async (tx) => {
            await tx.query("INSERT INTO ingest_files (source_key, name, sensor, status) VALUES ($1, 'f', 's', 'running')", [`c${i}`]);
            await tx.query('SELECT pg_sleep(0.05)');
          }),
        ),
      );
      expect(await s.query('SELECT count(*)::int AS n FROM ingest_files')).toEqual([{ n: 3 }]);
    } finally {
      await s.close();
    }
  });

  it('connects through the unix socket too', async () => {
    const srv = running();
    await srv.createDatabase('sakimori_socket');
    const s = new PostgresStateStore(`postgres://postgres@/sakimori_socket?host=${encodeURIComponent(srv.socketDir)}&port=${srv.port}`);
    try {
      expect(await s.query("SELECT current_database() AS db, inet_server_addr() IS NULL AS unix")).toEqual([
        { db: 'sakimori_socket', unix: true },
      ]);
    } finally {
      await s.close();
    }
  });
});

describeStateStore('PostgreSQL server', freshStore);
