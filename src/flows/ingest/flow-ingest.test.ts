/**
 * `ingest flows` with the real decoders on every real capture, in one command; and exactly once
 * with a small CSV reader (collect/testing/csv-test-reader.ts) whose files are easy to write: a file ingested again stores nothing, a run killed
 * between a batch's insert and its commit stores each record once when run again, the
 * aggregates count once too, and retention is stamped as configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import type { StateStore } from '../../store/types.js';
import { CidrSet } from '../../net/cidr-set.js';
import { readCsvForTests } from '../collect/testing/csv-test-reader.js';
import { testFlowDecoding } from '../collect/testing/netflow5-test-decoder.js';
import type { FlowDecoding } from '../flow-decoding.js';
import { ingestFlowFiles, type FlowIngestOptions } from './flow-ingest.js';
import { makeFlowDecoding } from '../decoders.js';
import { sharedData } from '../../../test/fixtures/shared-data.js';

let s: TempStores;
let dir: string;
beforeAll(async () => {
  s = await tempStores('flow-ingest');
  dir = await mkdtemp(join(tmpdir(), 'sakimori-flow-files-'));
});
afterAll(async () => {
  await s.dispose();
  await rm(dir, { recursive: true, force: true });
});

const decoding = (): FlowDecoding => ({ ...testFlowDecoding(), readers: { 'nfdump-csv': readCsvForTests } });
const OPTS: FlowIngestOptions = { keepDays: 3, aggregateKeepDays: 30, batchSize: 1000, internal: new CidrSet(['10.0.0.0/8']) };

function csv(n: number, server: string, bad = 0): string {
  const lines = ['ts,te,sa,da,sp,dp,pr,ipkt,ibyt'];
  for (let k = 0; k < n; k++) {
    const t = Date.UTC(2026, 10, 30, 23, 59, 0) + k * 100;
    lines.push(`${new Date(t).toISOString()},${new Date(t + 50).toISOString()},10.1.${k >> 8 & 255}.${k & 255},${server},${30000 + k % 20000},8080,6,4,${200 + k}`);
    if (k < bad) lines.push('not,a,flow');
  }
  return `${lines.join('\n')}\n`;
}

async function count(table: string, server: string): Promise<number> {
  const col = table === 'flows_raw' ? 'count()' : table === 'flow_server_hour' ? 'sum(flows)' : 'sum(records)';
  const where = table === 'flow_exporter_hour' ? "kind = 7 AND hour >= '2026-11-30 23:00:00'" : `server = toIPv6('${server}')`;
  const [r] = await s.events.query<{ n: number }>(`SELECT ${col} AS n FROM ${table} WHERE ${where}`);
  return Number(r?.n ?? 0);
}

describe('ingestFlowFiles', () => {
  it('ingests every real capture in one command with the real decoders: v5, v9 (template then data), sFlow and IPFIX, by content', async () => {
    const files = ['akvorado-nfv5.pcap', 'akvorado-nfv9-template.pcap', 'akvorado-nfv9-data.pcap', 'akvorado-sflow-data-1140.pcap', 'pmacct-100-ipfix-cisco.pcap'].map((f) => sharedData(`flows/${f}`));
    const run = await ingestFlowFiles({ events: s.events, state: s.state, decoding: makeFlowDecoding(null, () => Date.UTC(2026, 0, 1)) }, files, { ...OPTS, format: 'pcap' });
    expect(run.files.map((f) => f.newRecords)).toEqual([29, 0, 4, 5, 12]);
    const kinds = await s.events.query<{ kind: number; n: number }>('SELECT kind, count() AS n FROM flows_raw WHERE kind IN (1, 2, 3, 4) GROUP BY kind ORDER BY kind');
    expect(kinds).toEqual([{ kind: 1, n: 29 }, { kind: 2, n: 4 }, { kind: 3, n: 12 }, { kind: 4, n: 5 }]);
    expect(run.exporters.map((e) => e.protocol).sort()).toEqual(expect.arrayContaining(['ipfix', 'netflow5', 'netflow9', 'sflow5']));
  });

  it('stores a file once: again, it is already ingested and nothing is added', async () => {
    const file = join(dir, 'a.csv.gz');
    await writeFile(file, gzipSync(csv(2500, '203.0.113.10', 3)));
    const run = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [file], OPTS);
    expect(run.files[0]).toMatchObject({ status: 'ingested', format: 'nfdump-csv', gzip: true, records: 2500, newRecords: 2500, batches: 3, skipped: { 'line-malformed': 3 } });
    expect(run.skipped).toEqual({ 'line-malformed': 3 });
    const again = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [file], OPTS);
    expect(again.files[0]).toMatchObject({ status: 'already-ingested', records: 2500, newRecords: 0, duplicateRecords: 2500 });
    expect(await count('flows_raw', '203.0.113.10')).toBe(2500);
    expect(await count('flow_server_hour', '203.0.113.10')).toBe(2500);
  });

  it('a run killed between a batch\'s insert and its commit, run again, stores each record once (aggregates too)', async () => {
    const file = join(dir, 'b.csv');
    await writeFile(file, csv(2500, '203.0.113.20'));
    let commits = 0;
    // The second batch's commit never happens: the process "dies" right after its insert.
    const dying: StateStore = {
      ...s.state,
      query: async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> => {
        if (sql.startsWith('UPDATE flow_batches SET committed') && ++commits === 2) throw new Error('killed');
        return s.state.query<T>(sql, params);
      },
    };
    const killed = await ingestFlowFiles({ events: s.events, state: dying, decoding: decoding() }, [file], OPTS);
    expect(killed.files[0]).toMatchObject({ status: 'failed', newRecords: 1000, error: { message: 'killed' } });
    expect(await count('flows_raw', '203.0.113.20')).toBe(2000); // the second batch is in, uncommitted

    const resumed = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [file], OPTS);
    expect(resumed.files[0]).toMatchObject({ status: 'ingested', records: 2500, duplicateRecords: 1000, newRecords: 1500 });
    expect(await count('flows_raw', '203.0.113.20')).toBe(2500);
    expect(await count('flow_server_hour', '203.0.113.20')).toBe(2500);
    const again = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [file], OPTS);
    expect(again.files[0]?.status).toBe('already-ingested');
    expect(await count('flows_raw', '203.0.113.20')).toBe(2500);
    expect(await count('flow_exporter_hour', '')).toBe(5000);
  });

  it('stamps the configured retention on raw flows and on both aggregates', async () => {
    const raw = await s.events.query<{ keep: number; agg: number }>("SELECT DISTINCT keep_days AS keep, agg_keep_days AS agg FROM flows_raw WHERE server = toIPv6('203.0.113.10')");
    expect(raw).toEqual([{ keep: 3, agg: 30 }]);
    const [hour] = await s.events.query<{ keep: number; stored: string }>("SELECT max(keep_days) AS keep, toString(max(stored_at)) AS stored FROM flow_server_hour WHERE server = toIPv6('203.0.113.10')");
    expect(hour?.keep).toBe(30);
    expect(Math.abs(Date.parse(`${hour?.stored ?? ''}Z`.replace(' ', 'T')) - Date.now())).toBeLessThan(10 * 60_000);
    const [exp] = await s.events.query<{ keep: number }>('SELECT max(keep_days) AS keep FROM flow_exporter_hour WHERE kind = 7');
    expect(exp?.keep).toBe(30);
    // The hours of the flows' own times, split at the hour (23:59 … 00:03).
    const hours = await s.events.query<{ h: string }>("SELECT DISTINCT toString(hour) AS h FROM flow_server_hour WHERE server = toIPv6('203.0.113.10') ORDER BY h");
    expect(hours.map((r) => r.h)).toEqual(['2026-11-30 23:00:00', '2026-12-01 00:00:00']);
  });

  it('says what is wrong with a file it cannot read and goes on with the next', async () => {
    const bad = join(dir, 'c.txt');
    await writeFile(bad, 'hello world\n');
    const good = join(dir, 'd.csv');
    await writeFile(good, csv(10, '203.0.113.30'));
    const run = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [bad, join(dir, 'missing.csv'), good], OPTS);
    expect(run.files.map((f) => [f.status, f.error?.code])).toEqual([['failed', 'IMPORT_BAD_FORMAT'], ['failed', 'INPUT_NOT_FOUND'], ['ingested', undefined]]);
    expect(run.newRecords).toBe(10);
    const other = join(dir, 'e.csv');
    await writeFile(other, csv(5, '203.0.113.31'));
    const zeek = await ingestFlowFiles({ events: s.events, state: s.state, decoding: decoding() }, [other], { ...OPTS, format: 'zeek' });
    expect(zeek.files[0]?.error?.message).toContain('no zeek reader');
  });

  it('reads an export capture already stored again when a later file may need its templates, storing nothing from it', async () => {
    const a = join(dir, 'f.csv');
    const b = join(dir, 'g.csv');
    await writeFile(a, csv(20, '203.0.113.40'));
    await writeFile(b, csv(30, '203.0.113.41'));
    const read: string[] = [];
    // The CSV reader stands in for the pcap reader (the template cache is the decoding's).
    const asPcap = (): FlowDecoding => ({ ...testFlowDecoding(), readers: { pcap: async (input, o) => { read.push(o.name); return readCsvForTests(input, o); } } });
    await ingestFlowFiles({ events: s.events, state: s.state, decoding: asPcap() }, [a], { ...OPTS, format: 'pcap' });
    read.length = 0;
    const run = await ingestFlowFiles({ events: s.events, state: s.state, decoding: asPcap() }, [a, b], { ...OPTS, format: 'pcap' });
    expect(run.files.map((f) => [f.status, f.newRecords])).toEqual([['already-ingested', 0], ['ingested', 30]]);
    expect(read).toEqual([a, b]);
    expect(await count('flows_raw', '203.0.113.40')).toBe(20);
    // Last in the command, nothing follows that could need it: not read at all.
    read.length = 0;
    await ingestFlowFiles({ events: s.events, state: s.state, decoding: asPcap() }, [b, a], { ...OPTS, format: 'pcap' });
    expect(read).toEqual([b]);
  });
});
