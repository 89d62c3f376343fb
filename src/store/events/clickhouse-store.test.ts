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
        res.setHeader('X-ClickHouse-Exception-Code', '60');
        res.end("Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE) (version 26.7.1.1)\n");
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
});
