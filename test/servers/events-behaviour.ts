/**
 * The behaviour every EventsStore must show, written once: run against embedded chDB (the
 * reference) and against a ClickHouse server when CLICKHOUSE_URL is set (clickhouse.test.ts).
 * `open()` returns a store on an empty database; it is opened once per suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SakimoriError } from '../../src/errors.js';
import { migrateEvents, type Migration } from '../../src/store/migrate.js';
import type { EventsStore } from '../../src/store/types.js';

/** RowBinary of (a UInt32, s String, ip IPv6) rows. */
export function rowBinary(rows: readonly { a: number; s: string; ip: number[] }[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const r of rows) {
    const a = Buffer.alloc(4);
    a.writeUInt32LE(r.a);
    const s = Buffer.from(r.s, 'utf8');
    if (s.length > 127) throw new Error('short strings only');
    parts.push(a, Buffer.from([s.length]), s, Buffer.from(r.ip));
  }
  return new Uint8Array(Buffer.concat(parts));
}

const V4 = (a: number, b: number, c: number, d: number): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d];

export function describeEventsStore(label: string, open: () => Promise<EventsStore>, closeAll?: () => Promise<void>): void {
  describe(`EventsStore behaviour: ${label}`, () => {
    let s: EventsStore;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(async () => {
      await s?.close();
      await closeAll?.();
    });

    it('returns rows as RowBinary bytes, parameters bound as for query', async () => {
      const bytes = Buffer.from(await s.queryRowBinary(
        'SELECT toInt64({t:Int64}) AS t, toUInt32(number) AS k FROM numbers(2) ORDER BY k',
        { t: 1_700_000_000_123_456 },
      ));
      expect(bytes.length).toBe(24);
      expect([bytes.readBigInt64LE(0), bytes.readUInt32LE(8), bytes.readBigInt64LE(12), bytes.readUInt32LE(20)]).toEqual([1_700_000_000_123_456n, 0, 1_700_000_000_123_456n, 1]);
    });

    it('binds parameters server-side and returns 64-bit integers as numbers', async () => {
      const rows = await s.query<Record<string, unknown>>(
        `SELECT {n:UInt32} + 1 AS n, {s:String} AS s, length({xs:Array(String)}) AS len, toUInt64(12345678901) AS big,
                toInt64(-5) AS neg, toIPv6({ip:String}) AS ip, {b:Bool} AS b`,
        { n: 41, s: "it's", xs: ['a', "b'c"], ip: '192.0.2.7', b: true },
      );
      expect(rows).toEqual([{ n: 42, s: "it's", len: 2, big: 12345678901, neg: -5, ip: '::ffff:192.0.2.7', b: true }]);
    });

    it('exec passes settings (insert deduplication by token)', async () => {
      await s.exec(
        'CREATE TABLE IF NOT EXISTS b_dedup (a UInt32) ENGINE = MergeTree ORDER BY a SETTINGS non_replicated_deduplication_window = 100',
      );
      for (const _ of [1, 2]) {
        await s.exec('INSERT INTO b_dedup SELECT number FROM numbers(10)', undefined, { insert_deduplication_token: 'tok-1' });
      }
      await s.exec('INSERT INTO b_dedup SELECT number FROM numbers({n:UInt32})', { n: 5 }, { insert_deduplication_token: 'tok-2' });
      expect(await s.query('SELECT count() AS c FROM b_dedup')).toEqual([{ c: 15 }]);
    });

    it('makes RowBinary data readable for the duration of fn, then removes it', async () => {
      await s.exec('CREATE TABLE IF NOT EXISTS b_rows (a UInt32, s String, ip IPv6) ENGINE = MergeTree ORDER BY a');
      const data = rowBinary([
        { a: 1, s: 'mirai', ip: V4(192, 0, 2, 1) },
        { a: 2, s: 'ゼロ', ip: V4(198, 51, 100, 9) },
      ]);
      let seen = '';
      const out = await s.withRowBinary('a UInt32, s String, ip IPv6', data, async (source) => {
        seen = source;
        await s.exec(`INSERT INTO b_rows SELECT * FROM ${source}`);
        return s.query<{ a: number; s: string; ip: string }>(`SELECT a, s, ip FROM ${source} ORDER BY a`);
      });
      expect(out).toEqual([
        { a: 1, s: 'mirai', ip: '::ffff:192.0.2.1' },
        { a: 2, s: 'ゼロ', ip: '::ffff:198.51.100.9' },
      ]);
      expect(await s.query('SELECT sum(a) AS t FROM b_rows')).toEqual([{ t: 3 }]);
      await expect(s.query(`SELECT count() FROM ${seen}`)).rejects.toBeInstanceOf(SakimoriError);
      // Also removed when fn throws.
      const boom = new Error('boom');
      await expect(s.withRowBinary('a UInt32, s String, ip IPv6', data, async (src) => {
        seen = src;
        throw boom;
      })).rejects.toBe(boom);
      await expect(s.query(`SELECT count() FROM ${seen}`)).rejects.toBeInstanceOf(SakimoriError);
    });

    it('reports failures as STORE_QUERY_FAILED', async () => {
      const e = await s.query('SELECT * FROM b_no_such_table').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SakimoriError);
      expect((e as SakimoriError).code).toBe('STORE_QUERY_FAILED');
      await expect(s.exec('CREATE TABLE b_bad (a NoSuchType) ENGINE = Memory')).rejects.toMatchObject({ code: 'STORE_QUERY_FAILED' });
    });

    it('runs events migrations once, with engine placeholders', async () => {
      const m: Migration = {
        id: 1,
        name: 'probe',
        statements: [
          'CREATE TABLE IF NOT EXISTS b_mig_in (src IPv6, v UInt32) ENGINE = Null',
          'CREATE TABLE IF NOT EXISTS b_mig_agg (src IPv6, n SimpleAggregateFunction(sum, UInt64), u AggregateFunction(uniq, UInt32)) ENGINE = {engine:AggregatingMergeTree} ORDER BY src',
          'CREATE MATERIALIZED VIEW IF NOT EXISTS b_mig_mv TO b_mig_agg AS SELECT src, toUInt64(sum(v)) AS n, uniqState(v) AS u FROM b_mig_in GROUP BY src',
        ],
      };
      expect((await migrateEvents(s, { migrations: [m] })).applied).toEqual([{ id: 1, name: 'probe' }]);
      expect((await migrateEvents(s, { migrations: [m] })).applied).toEqual([]);
      await s.exec("INSERT INTO b_mig_in VALUES ('::1', 2), ('::1', 3), ('::2', 3)");
      expect(await s.query('SELECT src, sum(n) AS n, uniqMerge(u) AS u FROM b_mig_agg GROUP BY src ORDER BY src')).toEqual([
        { src: '::1', n: 5, u: 2 },
        { src: '::2', n: 3, u: 1 },
      ]);
    });
  });
}
