import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../testing/temp-stores.js';
import { MergePause } from './merge-pause.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('merges paused during an ingest', () => {
  let s: TempStores;
  beforeAll(async () => {
    s = await tempStores('merge-pause');
    await s.events.exec('CREATE TABLE mp (k UInt32) ENGINE = MergeTree ORDER BY k');
    // The pause looks at every table: the migrations' own parts (one per migration, merged in
    // the background) must not be what turns merges back on.
    const many = await s.events.query<{ table: string }>(
      'SELECT table FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table HAVING count() > 1');
    for (const t of many) await s.events.exec(`OPTIMIZE TABLE ${t.table} FINAL`);
  }, 60_000);
  afterAll(() => s.dispose());

  const parts = async (): Promise<number> =>
    Number((await s.events.query<{ n: number }>("SELECT count() AS n FROM system.parts WHERE active AND database = currentDatabase() AND table = 'mp'"))[0]?.n ?? 0);

  it('holds parts unmerged until a partition has too many, then merges resume', async () => {
    const pause = new MergePause(s.events, 6, 1);
    await pause.begin();
    try {
      for (let i = 0; i < 5; i++) {
        await s.events.exec(`INSERT INTO mp SELECT number + ${i * 10} FROM numbers(10)`);
        await pause.afterBatch();
      }
      await sleep(1500);
      expect(await parts()).toBe(5);
      await s.events.exec('INSERT INTO mp SELECT number + 100 FROM numbers(10)');
      await pause.afterBatch(); // six parts: merges on again
      let n = await parts();
      for (let t = 0; t < 60 && n > 1; t++) {
        await sleep(500);
        n = await parts();
      }
      expect(n).toBeLessThan(6);
      expect(Number((await s.events.query<{ n: number }>('SELECT count() AS n FROM mp'))[0]?.n)).toBe(60);
    } finally {
      await pause.end();
    }
  }, 60_000);
});
