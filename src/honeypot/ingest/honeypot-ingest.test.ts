/**
 * `ingest honeypot` into real embedded stores: the real Cowrie day (gzip too), a file ingested
 * again stores nothing, a run killed between batches (its commit lost, or aborted) stores each
 * event once when run again, anomalies are recorded with the file, bad files fail alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import type { StateStore } from '../../store/types.js';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { ingestHoneypotFiles } from './honeypot-ingest.js';

let s: TempStores;
let dir: string;
beforeAll(async () => {
  s = await tempStores('honeypot-ingest');
  dir = await mkdtemp(join(tmpdir(), 'sakimori-honeypot-files-'));
});
afterAll(async () => {
  await s.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A Cowrie log of `sessions` sessions of 5 events each from one /24 (each test its own). */
function cowrie(sessions: number, net: string, close = true): string {
  const out: string[] = [];
  for (let k = 0; k < sessions; k++) {
    const t = Date.UTC(2026, 10, 30, 10, 0, 0) + k * 1000;
    const base = { sensor: 's1', session: `${net}-${k}`, src_ip: `${net}.${k % 250}` };
    const ts = (d: number): string => new Date(t + d).toISOString();
    out.push(JSON.stringify({ ...base, eventid: 'cowrie.session.connect', timestamp: ts(0), src_port: 40000 + (k % 1000), dst_ip: '192.0.2.1', dst_port: 23, protocol: 'telnet' }));
    out.push(JSON.stringify({ ...base, eventid: 'cowrie.login.failed', timestamp: ts(1), username: 'root', password: 'xc3511' }));
    out.push(JSON.stringify({ ...base, eventid: 'cowrie.login.success', timestamp: ts(2), username: 'root', password: 'vizxv' }));
    out.push(JSON.stringify({ ...base, eventid: 'cowrie.command.input', timestamp: ts(3), input: 'enable' }));
    if (close) out.push(JSON.stringify({ ...base, eventid: 'cowrie.session.closed', timestamp: ts(4), duration: 4 }));
  }
  return `${out.join('\n')}\n`;
}

async function count(net: string): Promise<number> {
  const [r] = await s.events.query<{ n: number }>(`SELECT count() AS n FROM honeypot_events WHERE startsWith(session, {net:String})`, { net: `${net}-` });
  return Number(r?.n ?? 0);
}

describe('ingestHoneypotFiles', () => {
  it('ingests the real Cowrie day gzip-compressed, by content, and records its counts with the file', async () => {
    const file = join(dir, 'cowrie.json.2018-05-06.gz');
    await writeFile(file, gzipSync(await readFile(sharedData('honeypot/cowrie.json.2018-05-06'))));
    const run = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file]);
    expect(run.files[0]).toMatchObject({ status: 'ingested', format: 'cowrie', gzip: true, lines: 211, records: 208, newRecords: 208, skipped: { "ignored:cowrie.log.open": 2, "merged:cowrie.command.failed": 1 }, anomalies: {} });
    const [k] = await s.events.query<{ sessions: number; logins: number; ok: number }>(
      "SELECT uniqExact(session) AS sessions, countIf(kind = 'login') AS logins, countIf(kind = 'login' AND success = 1) AS ok FROM honeypot_events WHERE sensor = '920497a79896'");
    expect(k).toEqual({ sessions: 64, logins: 4, ok: 2 });
    const [f] = await s.state.query<{ status: string; records: string; skipped: Record<string, number>; format: string }>("SELECT status, records, skipped, format FROM honeypot_files WHERE name = $1", [file]);
    expect(f).toMatchObject({ status: 'complete', format: 'cowrie', skipped: { 'ignored:cowrie.log.open': 2 } });
    expect(Number(f?.records)).toBe(208);
  });

  it('stores a file once: again, it is already ingested and nothing is added', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, cowrie(300, '10.1.1'));
    const run = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file], { batchSize: 400 });
    expect(run.files[0]).toMatchObject({ status: 'ingested', records: 1500, newRecords: 1500, batches: 4 });
    const again = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file], { batchSize: 400 });
    expect(again.files[0]).toMatchObject({ status: 'already-ingested', records: 1500, newRecords: 0, duplicateRecords: 1500 });
    expect(await count('10.1.1')).toBe(1500);
  });

  it('a run killed between a batch\'s insert and its commit, run again, stores each event once', async () => {
    const file = join(dir, 'b.json');
    await writeFile(file, cowrie(500, '10.2.2'));
    let commits = 0;
    const dying: StateStore = {
      ...s.state,
      query: async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
        if (sql.startsWith('UPDATE honeypot_batches SET committed') && ++commits === 2) throw new Error('killed');
        return s.state.query<T>(sql, params);
      },
    };
    const killed = await ingestHoneypotFiles({ events: s.events, state: dying }, [file], { batchSize: 1000 });
    expect(killed.files[0]).toMatchObject({ status: 'failed', newRecords: 1000, error: { message: 'killed' } });
    expect(await count('10.2.2')).toBe(2000); // the second batch is in, uncommitted
    const resumed = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file], { batchSize: 50 });
    // A resumed file keeps the batch size it began with, so its batches match.
    expect(resumed.files[0]).toMatchObject({ status: 'ingested', records: 2500, duplicateRecords: 1000, newRecords: 1500, batches: 3 });
    expect(await count('10.2.2')).toBe(2500);
  });

  it('an aborted run (stopped between batches), run again, stores each event once', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, cowrie(400, '10.3.3'));
    const stop = new AbortController();
    const run = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file], {
      batchSize: 300, onProgress: (p) => { if (p.records >= 600) stop.abort(); }, signal: stop.signal,
    });
    expect(run.files[0]).toMatchObject({ status: 'failed', newRecords: 600, error: { code: 'INGEST_INTERRUPTED' } });
    expect(await count('10.3.3')).toBe(600);
    const resumed = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file]);
    expect(resumed.files[0]).toMatchObject({ status: 'ingested', records: 2000, duplicateRecords: 600, newRecords: 1400 });
    expect(await count('10.3.3')).toBe(2000);
  });

  it('records anomalies with the file and says what is wrong with a file it cannot read, going on with the next', async () => {
    const open = join(dir, 'd.json');
    await writeFile(open, `${cowrie(3, '10.4.4', false)}{"eventid": "cowrie.login.fa\n`);
    const bad = join(dir, 'e.txt');
    await writeFile(bad, 'hello world\n');
    const run = await ingestHoneypotFiles({ events: s.events, state: s.state }, [open, bad, join(dir, 'missing.json')]);
    expect(run.files.map((f) => [f.status, f.error?.code])).toEqual([['ingested', undefined], ['failed', 'IMPORT_BAD_FORMAT'], ['failed', 'INPUT_NOT_FOUND']]);
    expect(run.files[0]).toMatchObject({ records: 12, anomalies: { 'session-without-close': 3 }, skipped: { 'json-invalid': 1 }, firstLine: { 'json-invalid': 13, 'session-without-close': 1 } });
    const [f] = await s.state.query<{ anomalies: Record<string, number> }>('SELECT anomalies FROM honeypot_files WHERE name = $1', [open]);
    expect(f?.anomalies).toEqual({ 'session-without-close': 3 });
    expect(run.anomalies).toEqual({ 'session-without-close': 3 });
  });

  it('folds a command\'s outcome into its line\'s row wherever the batch was encoded, and only within the batch', async () => {
    // Rows are encoded 4,096 at a time as a batch fills: outcomes right after lines 4,096 and
    // 8,192 (each the last row of an encoded part), and one right after a batch's last row.
    const t0 = Date.UTC(2026, 10, 30, 12, 0, 0);
    const lines: string[] = [];
    const row = (o: Record<string, unknown>): void => { lines.push(JSON.stringify({ sensor: 's9', src_ip: '198.51.100.9', timestamp: new Date(t0 + lines.length).toISOString(), ...o })); };
    row({ eventid: 'cowrie.session.connect', session: 'seal-a', src_port: 4000, dst_ip: '192.0.2.1', dst_port: 23, protocol: 'telnet' });
    while (lines.length < 4095) row({ eventid: 'cowrie.login.failed', session: 'seal-a', username: 'root', password: String(lines.length) });
    row({ eventid: 'cowrie.command.input', session: 'seal-a', input: 'enable' });
    row({ eventid: 'cowrie.command.failed', session: 'seal-a', input: 'enable' });
    while (lines.length < 8192) row({ eventid: 'cowrie.login.failed', session: 'seal-a', username: 'root', password: String(lines.length) });
    row({ eventid: 'cowrie.command.input', session: 'seal-a', input: 'shell' });
    row({ eventid: 'cowrie.command.success', session: 'seal-a', input: 'shell' });
    while (lines.length < 10000) row({ eventid: 'cowrie.login.failed', session: 'seal-a', username: 'root', password: String(lines.length) });
    row({ eventid: 'cowrie.command.input', session: 'seal-a', input: 'sh' });
    row({ eventid: 'cowrie.command.failed', session: 'seal-a', input: 'sh' });
    row({ eventid: 'cowrie.session.closed', session: 'seal-a', duration: 9 });
    const file = join(dir, 'seal.json');
    await writeFile(file, `${lines.join('\n')}\n`);
    // Batches of 9,999 rows: `sh` is a batch's last row, its outcome the next batch's first line.
    const run = await ingestHoneypotFiles({ events: s.events, state: s.state }, [file], { batchSize: 9_999 });
    expect(run.files[0]).toMatchObject({ status: 'ingested', records: lines.length - 2, batches: 2, skipped: { 'merged:cowrie.command.failed': 1, 'merged:cowrie.command.success': 1 } });
    const got = await s.events.query<{ input: string; success: number }>("SELECT input, success FROM honeypot_events WHERE session = 'seal-a' AND kind = 'command' ORDER BY ts");
    expect(got).toEqual([{ input: 'enable', success: 0 }, { input: 'shell', success: 1 }, { input: 'sh', success: -1 }, { input: 'sh', success: 0 }]);
    expect(await s.events.query<{ n: number }>("SELECT count() AS n FROM honeypot_events WHERE session = 'seal-a' AND kind = 'login' AND success = -1")).toEqual([{ n: 0 }]);
  });
});
