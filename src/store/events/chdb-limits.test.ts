/**
 * The embedded store's limits and lanes on real chDB: a query past its time limit stops with an
 * error that names the limit, a request's cheap query runs while a heavy one is still running,
 * and parameters written into the SQL give what chDB's own binding gives. No timing is asserted
 * beyond "stopped long before it would have finished".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from 'chdb';
import { SakimoriError } from '../../errors.js';
import { ChdbEventsStore } from './chdb-store.js';
import { withQueryContext } from './query-context.js';
import { DEFAULT_QUERY_LIMITS } from './query-limits.js';
import { inlineParams } from './inline-params.js';

/** Hours of work for one core; stopped by the limit long before. */
const ENDLESS = 'SELECT count() AS n FROM numbers(100000000000) WHERE sipHash64(number) = 0';
/** Sleeps 0.2 s per row, one row per block (so the time limit is checked between rows): 4 s. */
const SLOW = 'SELECT sum(sleepEachRow(0.2)) AS n FROM numbers(20) SETTINGS max_block_size = 1';

describe('ChdbEventsStore limits and lanes', () => {
  let dir: string;
  let store: ChdbEventsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-chdb-limits-'));
    store = new ChdbEventsStore(join(dir, 'events'));
    store.setQueryLimits({ ...DEFAULT_QUERY_LIMITS, maxExecutionSeconds: 0.5, backgroundMaxExecutionSeconds: 1 });
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops a request query at max_execution_time with an error that says so', async () => {
    const t = performance.now();
    const e = await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => store.query(ENDLESS)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SakimoriError);
    expect((e as SakimoriError).code).toBe('QUERY_LIMIT_EXCEEDED');
    expect((e as SakimoriError).where).toMatchObject({ store: 'chdb', limit: 'max_execution_time' });
    expect((e as SakimoriError).message).toMatch(/stopped after 0\.5 s \(max_execution_time\)/);
    // Stopped, not run on: far below the hours the query needs.
    expect(performance.now() - t).toBeLessThan(60_000);
    // The lane is free again.
    expect(await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => store.query<{ x: number }>('SELECT 1 AS x'))).toEqual([{ x: 1 }]);
  }, 120_000);

  it('gives background reads their own, longer limit, and writes none', async () => {
    const e = await store.query(ENDLESS).catch((x: unknown) => x);
    expect((e as SakimoriError).where).toMatchObject({ limit: 'max_execution_time' });
    expect((e as SakimoriError).message).toMatch(/stopped after 1 s/);
    // A write longer than both limits completes.
    await store.exec('CREATE TABLE slow (n UInt64) ENGINE = MergeTree ORDER BY n');
    await store.exec('INSERT INTO slow SELECT sleepEachRow(0.25) + number FROM numbers(8) SETTINGS max_block_size = 1');
    expect(await store.query<{ n: number }>('SELECT count() AS n FROM slow')).toEqual([{ n: 8 }]);
  }, 120_000);

  it('stops a query past max_memory_usage with an error that says so', async () => {
    store.setQueryLimits({ ...DEFAULT_QUERY_LIMITS, maxMemoryBytes: 50_000_000 });
    try {
      const e = await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => store.query('SELECT groupArray(number) AS a FROM numbers(100000000)')).catch((x: unknown) => x);
      expect((e as SakimoriError).where).toMatchObject({ limit: 'max_memory_usage' });
      expect((e as SakimoriError).message).toMatch(/max_memory_usage/);
    } finally {
      store.setQueryLimits({ ...DEFAULT_QUERY_LIMITS, maxExecutionSeconds: 0.5, backgroundMaxExecutionSeconds: 1 });
    }
  }, 120_000);

  it('answers a cheap request query while a heavy one runs on another lane', async () => {
    store.setQueryLimits({ ...DEFAULT_QUERY_LIMITS, maxExecutionSeconds: 30 });
    try {
      const done: string[] = [];
      const heavy = withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => store.query(SLOW)).then(() => done.push('heavy'));
      // Until the heavy query is on its lane.
      while (store.schedulerStats()?.running.heavy !== 1) await new Promise((r) => setTimeout(r, 5));
      const rows = await withQueryContext({ principal: 'user:b', cost: 'cheap' }, () => store.query<{ ip: string }>('SELECT {ip:IPv6} AS ip', { ip: '192.0.2.1' }));
      done.push('cheap');
      expect(rows).toEqual([{ ip: '::ffff:192.0.2.1' }]);
      await heavy;
      expect(done).toEqual(['cheap', 'heavy']);
    } finally {
      store.setQueryLimits({ ...DEFAULT_QUERY_LIMITS, maxExecutionSeconds: 0.5, backgroundMaxExecutionSeconds: 1 });
    }
  }, 120_000);

  it('writes parameters into the SQL with the values chDB binding gives', async () => {
    const cases: { type: string; value: string | number | boolean | readonly (string | number)[] }[] = [
      { type: 'String', value: "o'k \\ \n\t\0 ✓ {x:String} -- " },
      { type: 'String', value: "\\' OR 1=1 --" },
      { type: 'UInt8', value: 255 },
      { type: 'UInt32', value: 4_000_000_000 },
      { type: 'UInt64', value: '18446744073709551615' },
      { type: 'Int64', value: -9_007_199_254_740_991 },
      { type: 'Float64', value: 0.1 },
      { type: 'IPv6', value: '192.0.2.1' },
      { type: 'IPv6', value: '2001:db8::1' },
      { type: 'DateTime64(6)', value: '2024-01-02 03:04:05.123456' },
      { type: 'Date', value: '2024-02-29' },
      { type: 'Array(String)', value: ['a', "b'c", ''] },
      { type: 'Array(UInt16)', value: [] },
      { type: 'Array(UInt32)', value: [1, 2, 4_000_000_000] },
      { type: 'Array(UInt64)', value: [3, 9_007_199_254_740_991] },
    ];
    const session = new Session(join(dir, 'events'));
    try {
      for (const c of cases) {
        const sql = `SELECT {v:${c.type}} AS v, toTypeName({v:${c.type}}) AS t`;
        const bound = (await session.queryBindAsync(sql, { v: c.value }, { format: 'JSONEachRow' })).text();
        const inlined = (await session.queryAsync(inlineParams(sql, { v: c.value }), { format: 'JSONEachRow' })).text();
        expect({ type: c.type, out: inlined }).toEqual({ type: c.type, out: bound });
      }
    } finally {
      session.close();
    }
  }, 120_000);
});
