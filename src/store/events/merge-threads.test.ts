/**
 * Background merges leave a core to the queries (issue 14, item 7): right after an ingest a host
 * page shared the cores with up to 16 merge threads. The embedded engine gets one merge thread
 * fewer than the cores (at least one), niced where the process may.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbEventsStore } from './chdb-store.js';

describe('embedded store merge threads', () => {
  let dir: string;
  let store: ChdbEventsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-merge-threads-'));
    store = new ChdbEventsStore(join(dir, 'events'));
  });
  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs merges on one thread fewer than the cores, at a lower priority than queries', async () => {
    const rows = await store.query<{ name: string; value: string }>(
      "SELECT name, value FROM system.server_settings WHERE name IN ('background_pool_size', 'os_threads_nice_value_merge_mutate') ORDER BY name",
    );
    expect(rows).toEqual([
      { name: 'background_pool_size', value: String(Math.max(1, availableParallelism() - 1)) },
      { name: 'os_threads_nice_value_merge_mutate', value: '10' },
    ]);
  });

  it('still runs mutations (they share the merge threads)', async () => {
    await store.exec('CREATE TABLE t (x UInt64, y UInt64) ENGINE = MergeTree ORDER BY x');
    await store.exec('INSERT INTO t SELECT number, 1 FROM numbers(1000)');
    await store.exec('INSERT INTO t SELECT number, 1 FROM numbers(1000, 1000)');
    await store.exec('ALTER TABLE t UPDATE y = 2 WHERE x % 2 = 0', undefined, { mutations_sync: 1 });
    expect(await store.query<{ y: number; n: number }>('SELECT y, count() AS n FROM t GROUP BY y ORDER BY y')).toEqual([{ y: 1, n: 1000 }, { y: 2, n: 1000 }]);
  });
});
