import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StateStore } from '../types.js';
import { PgliteStateStore } from './pglite-store.js';
import { describeStateStore } from './testing/state-store-behaviour.js';

// One in-memory PGlite (about 1.5 s to start) whose public schema is emptied for every test.
let shared: PgliteStateStore | undefined;
afterAll(async () => {
  await shared?.close();
});
describeStateStore('PGlite (in memory)', async (): Promise<StateStore> => {
  shared ??= await PgliteStateStore.open();
  const db = shared;
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  return {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    copyRows: (table, columns, rows) => db.copyRows(table, columns, rows),
    transaction: (fn) => db.transaction(fn),
    close: async () => undefined,
  };
});

describe('PgliteStateStore on a data directory', () => {
  it('keeps its data across a close and a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sakimori-pglite-'));
    try {
      const a = await PgliteStateStore.open(join(dir, 'state'));
      expect(a.kind).toBe('pglite');
      await a.exec('CREATE TABLE kept (v text)');
      await a.transaction((tx) => tx.query('INSERT INTO kept VALUES ($1)', ['still here']));
      await a.close();
      const b = await PgliteStateStore.open(join(dir, 'state'));
      expect(await b.query('SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      await b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
