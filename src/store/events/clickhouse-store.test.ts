/**
 * ClickHouseEventsStore against a fake ClickHouse HTTP endpoint: checks what goes over the wire
 * (parameters, settings, the RowBinary staging table and its cleanup). The real server is
 * exercised by test/servers/clickhouse.test.ts when CLICKHOUSE_URL is set.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SakimoriError } from '../../errors.js';
import { ClickHouseEventsStore } from './clickhouse-store.js';
import { withQueryContext } from './query-context.js';

interface Seen {
  sql: string;
  search: URLSearchParams;
  body: Buffer;
  auth: string | undefined;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let failOn: RegExp | undefined;
let failWith = { code: '60', text: "Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE) (version 26.7.1.1)\n" };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readBody(req);
      const inUrl = url.searchParams.get('query');
      const sql = inUrl ?? body.toString('utf8');
      const auth = req.headers.authorization;
      seen.push({ sql, search: url.searchParams, body: inUrl ? body : Buffer.alloc(0), auth });
      res.setHeader('X-ClickHouse-Summary', '{"read_rows":"0","written_rows":"0"}');
      if (failOn?.test(sql)) {
        res.statusCode = 500;
        res.setHeader('X-ClickHouse-Exception-Code', failWith.code);
        res.end(failWith.text);
        return;
      }
      if (/FORMAT RowBinary\s*$/.test(sql)) {
        res.end(Buffer.from([1, 2, 3, 4]));
        return;
      }
      if (/FORMAT JSONEachRow\s*$/.test(sql)) {
        res.setHeader('Content-Type', 'application/x-ndjson');
        res.end('{"n":1,"big":18446744073709551615}\n{"n":2,"big":3}\n');
        return;
      }
      res.end('');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen = [];
  failOn = undefined;
  failWith = { code: '60', text: "Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE) (version 26.7.1.1)\n" };
});

function store(): ClickHouseEventsStore {
  return new ClickHouseEventsStore(`${base.replace('http://', 'http://writer:s3cret@')}/telescope`);
}

describe('ClickHouseEventsStore (wire format)', () => {
  it('sends user, password and database from the URL, and binds query parameters server-side', async () => {
    const s = store();
    const rows = await s.query<{ n: number }>('SELECT {a:UInt32} AS n, {ips:Array(String)} AS x;', { a: 7, ips: ['192.0.2.1', "o'k"] });
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
    const q = seen[0] as Seen;
    expect(q.sql).toMatch(/^SELECT \{a:UInt32\} AS n, \{ips:Array\(String\)\} AS x\s+FORMAT JSONEachRow$/);
    expect(q.search.get('param_a')).toBe('7');
    expect(q.search.get('param_ips')).toBe("['192.0.2.1','o\\'k']");
    expect(q.search.get('database')).toBe('telescope');
    expect(q.search.get('output_format_json_quote_64bit_integers')).toBe('0');
    expect(Buffer.from((q.auth ?? '').replace(/^Basic /, ''), 'base64').toString()).toBe('writer:s3cret');
    await s.close();
  });

  it('reads RowBinary results as bytes, with parameters bound server-side and the read limits', async () => {
    const bytes = await store().queryRowBinary('SELECT toInt64({t:Int64}) AS t;', { t: 5 });
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    const q = seen[0] as Seen;
    expect(q.sql).toMatch(/^SELECT toInt64\(\{t:Int64\}\) AS t FORMAT RowBinary$/);
    expect(q.search.get('param_t')).toBe('5');
    expect(q.search.get('max_execution_time')).not.toBeNull();
  });

  it('passes exec settings as ClickHouse settings', async () => {
    const s = store();
    await s.exec('INSERT INTO t SELECT * FROM u', { d: '2024-01-01' }, { insert_deduplication_token: 'abc', max_threads: 2 });
    const q = seen[0] as Seen;
    expect(q.sql).toBe('INSERT INTO t SELECT * FROM u');
    expect(q.search.get('insert_deduplication_token')).toBe('abc');
    expect(q.search.get('max_threads')).toBe('2');
    expect(q.search.get('param_d')).toBe('2024-01-01');
    await s.close();
  });

  it('stages RowBinary data in a Memory table for fn and drops it afterwards', async () => {
    const s = store();
    const data = new Uint8Array([1, 0, 0, 0, 2, 0x68, 0x69, 0xff]);
    const out = await s.withRowBinary('a UInt32, s String', data.subarray(0, 7), async (source) => {
      await s.exec(`INSERT INTO dst SELECT * FROM ${source}`);
      return source;
    });
    expect(out).toMatch(/^_sakimori_stage_\d+_[0-9a-f]{16}$/);
    expect(seen.map((q) => q.sql)).toEqual([
      `CREATE TABLE ${out} (a UInt32, s String) ENGINE = Memory`,
      `INSERT INTO ${out} FORMAT RowBinary`,
      `INSERT INTO dst SELECT * FROM ${out}`,
      `DROP TABLE IF EXISTS ${out} SYNC`,
    ]);
    expect([...(seen[1] as Seen).body]).toEqual([1, 0, 0, 0, 2, 0x68, 0x69]);
    await s.close();
  });

  it('drops the staging table when fn throws, and passes the error on', async () => {
    const s = store();
    const boom = new Error('boom');
    await expect(s.withRowBinary('a UInt8', new Uint8Array([1]), async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(seen.at(-1)?.sql).toMatch(/^DROP TABLE IF EXISTS _sakimori_stage_/);
    await s.close();
  });

  it('reports server errors as STORE_QUERY_FAILED with the ClickHouse message', async () => {
    const s = store();
    failOn = /nope/;
    const e = await s.query('SELECT * FROM nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SakimoriError);
    expect((e as SakimoriError).code).toBe('STORE_QUERY_FAILED');
    expect((e as SakimoriError).message).toContain('UNKNOWN_TABLE');
    expect((e as SakimoriError).where).toMatchObject({ store: 'clickhouse', chcode: '60' });
    await expect(s.exec('DROP TABLE nope')).rejects.toMatchObject({ code: 'STORE_QUERY_FAILED' });
    await s.close();
  });

  it('sends the time and memory limits with every read, the background one outside requests, none with writes', async () => {
    const s = store();
    await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => s.query('SELECT 1 AS n'));
    await s.query('SELECT 2 AS n');
    await s.exec('INSERT INTO t SELECT * FROM u');
    const [request, background, write] = seen as [Seen, Seen, Seen];
    expect(request.search.get('max_execution_time')).toBe('30');
    expect(request.search.get('max_memory_usage')).toBe(String(4 * 2 ** 30));
    // A server's own thread count is left to it unless configured.
    expect(request.search.get('max_threads')).toBeNull();
    expect(background.search.get('max_execution_time')).toBe('600');
    expect(write.search.get('max_execution_time')).toBeNull();
    expect(write.search.get('max_memory_usage')).toBeNull();
    s.setQueryLimits({ maxExecutionSeconds: 5, backgroundMaxExecutionSeconds: 0, maxMemoryBytes: 0, heavyMaxThreads: 3, cheapConcurrency: 1, heavyConcurrency: 1 });
    await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => s.query('SELECT 1 AS n'));
    await s.query('SELECT 2 AS n');
    const [request2, background2] = seen.slice(3) as [Seen, Seen];
    expect(request2.search.get('max_execution_time')).toBe('5');
    expect(request2.search.get('max_threads')).toBe('3');
    expect(request2.search.get('max_memory_usage')).toBeNull();
    expect(background2.search.get('max_execution_time')).toBeNull();
    await s.close();
  });

  it('says which limit stopped a query', async () => {
    const s = store();
    failOn = /sipHash64/;
    failWith = { code: '159', text: 'Code: 159. DB::Exception: Timeout exceeded: elapsed 30001.2 ms, maximum: 30000 ms. (TIMEOUT_EXCEEDED) (version 26.7.1.1)\n' };
    const e = await withQueryContext({ principal: 'user:a', cost: 'heavy' }, () => s.query('SELECT count() FROM numbers(1e12) WHERE sipHash64(number) = 0')).catch((x: unknown) => x);
    expect((e as SakimoriError).code).toBe('QUERY_LIMIT_EXCEEDED');
    expect((e as SakimoriError).message).toMatch(/stopped after 30 s \(max_execution_time\)/);
    expect((e as SakimoriError).where).toMatchObject({ store: 'clickhouse', chcode: '159', limit: 'max_execution_time' });
    await s.close();
  });
});
