/**
 * Raw packets expire a retention after they were STORED, not after they were captured (issue 14,
 * item 2). Real captures from August 2020 (../shared/data), ingested today with a retention of 2
 * days: their raw rows must survive a merge, and the host page lists their ports; rows stored
 * longer ago than the retention (their stored time set back in the test) expire, and the host
 * page, its API and the CLI say so while the aggregates still show the packets and distinct ports.
 *
 * Known truth (tcpdump -nn -r …): nmap-nmap_80_all.pcap (2020-08-02) has 227 packets from
 * 10.87.1.10, 224 to tcp/80 and 3 to tcp/443; tcp-control-one_way_all_flags.pcap (2020-08-19)
 * has 63 packets from 10.0.0.10, all to tcp/80.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDarknetFiles } from '../../src/ingest/darknet-ingest.js';
import { tempApp, type TempApp } from '../../src/api/testing/temp-app.js';
import { tempStores } from '../../src/store/testing/temp-stores.js';
import { applyRetention, currentTtl, retentionTarget } from '../../src/app/retention.js';
import { sharedData } from '../fixtures/shared-data.js';
import { runCli } from '../helpers/cli.js';

const NMAP = { file: sharedData('pcap/nmap-nmap_80_all.pcap'), ip: '10.87.1.10', day: '2020-08-02', packets: 227 };
const FLAGS = { file: sharedData('pcap/tcp-control-one_way_all_flags.pcap'), ip: '10.0.0.10', day: '2020-08-19', packets: 63 };
const RETENTION_DAYS = 2;

/** The packets table's columns but `stored_at`, in order (a copy of rows with another stored time). */
async function packetColumns(t: TempApp): Promise<string> {
  const cols = await t.ctx.events.query<{ name: string }>(
    "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'darknet_packets' AND name != 'stored_at' ORDER BY position",
  );
  return cols.map((c) => c.name).join(', ');
}

describe('raw packets are kept a retention after they were stored, whenever they were captured', () => {
  let t: TempApp;
  const rawCount = async (ip: string): Promise<number> =>
    Number((await t.ctx.events.query<{ n: number }>('SELECT count() AS n FROM darknet_packets WHERE src = toIPv6({ip:String})', { ip }))[0]?.n);
  // An hour of the nmap capture: a window that is not whole days, counted from the hour sets,
  // which do not expire with the raw packets (the store was written with them: rawPackets absent).
  const hourReport = async (): Promise<{ topPorts: { proto: string; port: number; packets: number; sources: number }[]; rawPackets?: unknown }> => {
    const r = await t.inject(`/api/v1/darknet/report?from=${NMAP.day}T05:00:00Z&to=${NMAP.day}T06:00:00Z`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const host = async (ip: string): Promise<Record<string, unknown>> => {
    const r = await t.inject(`/api/v1/hosts/${ip}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await tempApp('raw-retention', { darknet: { retentionDays: RETENTION_DAYS } });
    const results = await ingestDarknetFiles(
      { events: t.ctx.events, state: t.ctx.state, enricher: t.ctx.enricher, fingerprinter: t.ctx.fingerprinter, classify: t.ctx.config.darknet },
      [NMAP.file, FLAGS.file],
      { sensor: t.ctx.config.sensor, batchSize: 1000 },
    );
    expect(results.map((r) => r.status)).toEqual(['ingested', 'ingested']);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('keeps the raw packets of captures from 2020 through a merge, and the host page lists their ports', async () => {
    await t.ctx.events.exec('OPTIMIZE TABLE darknet_packets FINAL');
    expect(await rawCount(NMAP.ip)).toBe(NMAP.packets);
    expect(await rawCount(FLAGS.ip)).toBe(FLAGS.packets);
    const h = await host(NMAP.ip);
    expect(h['ports']).toEqual([{ proto: 'tcp', port: 80, packets: 224 }, { proto: 'tcp', port: 443, packets: 3 }]);
    expect(h['distinctPorts']).toBe(2);
    expect(h['rawPackets']).toEqual({ status: 'kept', kept: NMAP.packets, retentionDays: RETENTION_DAYS });
    const report = await hourReport();
    expect(report.topPorts[0]).toMatchObject({ proto: 'tcp', port: 80, packets: 224, sources: 1 });
    expect(report.rawPackets).toBeUndefined();
  });

  it('drops rows stored longer ago than the retention; the host page says so and keeps the aggregates', async () => {
    // Stored three days ago: the same rows again with that stored time, the originals deleted.
    const cols = await packetColumns(t);
    await t.ctx.events.exec(
      `INSERT INTO darknet_packets (${cols}, stored_at) SETTINGS insert_allow_materialized_columns = 1
       SELECT ${cols}, now() - INTERVAL 3 DAY FROM darknet_packets WHERE toDate(ts) = {day:Date}`,
      { day: NMAP.day },
    );
    await t.ctx.events.exec('ALTER TABLE darknet_packets DELETE WHERE toDate(ts) = {day:Date} AND stored_at > now() - INTERVAL 1 DAY',
      { day: NMAP.day }, { mutations_sync: 1 });
    await t.ctx.events.exec('OPTIMIZE TABLE darknet_packets FINAL');

    expect(await rawCount(NMAP.ip)).toBe(0);
    expect(await rawCount(FLAGS.ip)).toBe(FLAGS.packets);
    const gone = await host(NMAP.ip);
    expect(gone['rawPackets']).toEqual({ status: 'expired', kept: 0, retentionDays: RETENTION_DAYS });
    expect(gone['ports']).toEqual([]);
    expect(gone['packets']).toBe(NMAP.packets);
    expect(gone['distinctPorts']).toBe(2);
    const kept = await host(FLAGS.ip);
    expect(kept['rawPackets']).toEqual({ status: 'kept', kept: FLAGS.packets, retentionDays: RETENTION_DAYS });
    expect(kept['ports']).toEqual([{ proto: 'tcp', port: 80, packets: FLAGS.packets }]);
    // The report of a part of that day needs no raw packets: its sources are still counted.
    const report = await hourReport();
    expect(report.topPorts[0]).toMatchObject({ proto: 'tcp', port: 80, packets: 224, sources: 1 });
    expect(report.rawPackets).toBeUndefined();
  });

  it('the CLI says which raw packets expired, for a host and a report, and lists the ports of the others', async () => {
    await t.app.close();
    await t.ctx.close();
    const config = join(t.dir, 'sakimori.json');
    writeFileSync(config, JSON.stringify({ darknet: { retentionDays: RETENTION_DAYS } }));
    const gone = await runCli(['host', NMAP.ip, '--data', t.dir, '--config', config]);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stdout).toContain(`ports: raw packets expired (raw packets are kept ${RETENTION_DAYS} days after they were stored); 2 distinct ports were seen`);
    const kept = await runCli(['host', FLAGS.ip, '--data', t.dir, '--config', config]);
    expect(kept.stdout).toContain('ports: tcp/80 63');
    const report = await runCli(['report', 'darknet', '--from', `${NMAP.day}T05:00:00Z`, '--to', `${NMAP.day}T06:00:00Z`, '--data', t.dir, '--config', config]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/tcp\/80 +224 packets +1 sources/);
    expect(report.stdout).not.toContain('raw packets');
  }, 60_000);
});

describe('the retention at start and in the cluster DDL', () => {
  it('replaces a capture-time TTL by the stored-time one with the configured days, once', async () => {
    const s = await tempStores('retention-ttl');
    try {
      const ttl = async (table: string): Promise<string> =>
        currentTtl((await s.events.query<{ q: string }>('SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {t:String}', { t: table }))[0]?.q ?? '');
      expect(await ttl('darknet_packets')).toBe('stored_at + toIntervalDay(90)');
      await s.events.exec('ALTER TABLE darknet_packets MODIFY TTL toDateTime(ts) + INTERVAL 30 DAY');
      await applyRetention(s.events, 30);
      expect(await ttl('darknet_packets')).toBe('stored_at + toIntervalDay(30)');
      await applyRetention(s.events, 400);
      expect(await ttl('darknet_packets')).toBe('stored_at + toIntervalDay(400)');
    } finally {
      await s.dispose();
    }
  });

  it('on a cluster, alters the local table behind the Distributed one', () => {
    expect(retentionTarget({ name: 'darknet_packets', engine: 'MergeTree', engine_full: 'MergeTree PARTITION BY toYYYYMMDD(ts)' })).toEqual({ table: 'darknet_packets' });
    expect(retentionTarget({
      name: 'darknet_packets', engine: 'Distributed',
      engine_full: "Distributed('sakimori', 'default', 'darknet_packets_local', cityHash64(src))",
    })).toEqual({ table: 'darknet_packets_local', onCluster: 'sakimori' });
    expect(currentTtl('CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x TTL stored_at + toIntervalDay(7) SETTINGS index_granularity = 8192'))
      .toBe('stored_at + toIntervalDay(7)');
  });

  it('sakimori store cluster-ddl counts the configured retention from the stored time, on the local tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-cluster-retention-'));
    try {
      const config = join(dir, 'sakimori.json');
      writeFileSync(config, JSON.stringify({ darknet: { retentionDays: 30 } }));
      const r = await runCli(['store', 'cluster-ddl', '--config', config]);
      expect(r.code, r.stderr).toBe(0);
      const statements = r.stdout.split(';\n\n').map((x) => x.trim());
      expect(statements).toContain("ALTER TABLE darknet_packets_local ON CLUSTER '{cluster}' MATERIALIZE COLUMN stored_at SETTINGS mutations_sync = 1");
      // The last TTL given to the raw packets is the one that holds.
      const ttls = statements.filter((x) => /^ALTER TABLE darknet_packets_local .*MODIFY TTL/.test(x));
      expect(ttls.at(-1)).toBe("ALTER TABLE darknet_packets_local ON CLUSTER '{cluster}' MODIFY TTL stored_at + INTERVAL 30 DAY");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
