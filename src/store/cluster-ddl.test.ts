import { query } from 'chdb';
import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { clusterDdl } from './cluster-ddl.js';
import { migrationChecksum, renderEngines, type Migration } from './migrate.js';

const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** ClickHouse's own parser (in chDB) on one statement; throws on a syntax error. */
function format(sql: string): string {
  return query(`SELECT formatQuery(${lit(sql)})`, 'TabSeparatedRaw');
}

// Representative of the events schema: Null ingest table fanned out by materialized views into
// a raw table with TTL and partitions and into aggregates.
const TEST_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'base',
    statements: [
      `CREATE TABLE IF NOT EXISTS pkt_ingest (ts DateTime64(6, 'UTC'), src IPv6, dst IPv6, dport UInt16, cls UInt8) ENGINE = Null`,
      `CREATE TABLE IF NOT EXISTS pkt_raw (
         ts DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)), src IPv6, dst IPv6, dport UInt16, cls UInt8,
         INDEX src_bloom src TYPE bloom_filter GRANULARITY 2
       ) ENGINE = {engine:MergeTree}
       PARTITION BY toYYYYMMDD(ts)
       ORDER BY (src, ts)
       TTL toDateTime(ts) + INTERVAL 90 DAY
       SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS pkt_raw_mv TO pkt_raw AS SELECT * FROM pkt_ingest`,
      `CREATE TABLE IF NOT EXISTS port_hour (
         hour DateTime('UTC'), port UInt16,
         packets SimpleAggregateFunction(sum, UInt64),
         sources AggregateFunction(uniqCombined64(14), IPv6)
       ) ENGINE = {engine:AggregatingMergeTree} PARTITION BY toYYYYMM(hour) ORDER BY (hour, port)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS port_hour_mv TO port_hour AS
       SELECT toStartOfHour(ts) AS hour, dport AS port, count() AS packets, uniqCombined64State(14)(src) AS sources
       FROM pkt_ingest WHERE cls = 1 GROUP BY hour, port`,
    ],
  },
  {
    id: 2,
    name: 'more',
    sharding: { daily: 'toYYYYMMDD(day)' },
    statements: [
      `CREATE TABLE IF NOT EXISTS daily (day Date, cls UInt8, packets UInt64) ENGINE = {engine:SummingMergeTree((packets))} ORDER BY (day, cls)`,
      `CREATE TABLE IF NOT EXISTS host_info (src IPv6, version UInt64, asn UInt32) ENGINE = {engine:ReplacingMergeTree(version)} ORDER BY src`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS cls_count ENGINE = {engine:SummingMergeTree} ORDER BY cls AS SELECT cls, count() AS n FROM pkt_ingest GROUP BY cls`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS daily_mv TO daily AS SELECT toDate(i.ts) AS day, i.cls, count() AS packets FROM pkt_ingest AS i LEFT JOIN host_info AS h ON h.src = i.src GROUP BY day, i.cls`,
      `ALTER TABLE pkt_raw ADD COLUMN IF NOT EXISTS ttl UInt8 DEFAULT 0`,
      `ALTER TABLE pkt_raw MODIFY TTL toDateTime(ts) + INTERVAL 30 DAY`,
      `CREATE VIEW IF NOT EXISTS top_ports AS SELECT port, sum(packets) AS p FROM port_hour GROUP BY port ORDER BY p DESC LIMIT 10`,
      `DROP TABLE IF EXISTS host_info`,
    ],
  },
];

describe('cluster DDL', () => {
  const ddl = clusterDdl({ migrations: TEST_MIGRATIONS });

  it('parses in ClickHouse, statement by statement', () => {
    expect(ddl.length).toBeGreaterThan(15);
    for (const sql of ddl) {
      expect(sql).not.toContain('{engine:');
      expect(() => format(sql), sql).not.toThrow();
    }
  });

  it('gives every table a replicated local table and a Distributed table under its own name', () => {
    const find = (re: RegExp): string => ddl.find((s) => re.test(s)) ?? '';
    const rawLocal = find(/^CREATE TABLE IF NOT EXISTS pkt_raw_local ON CLUSTER '\{cluster\}'/);
    expect(rawLocal).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/pkt_raw', '{replica}')");
    expect(rawLocal).toContain('TTL toDateTime(ts) + INTERVAL 90 DAY');
    expect(rawLocal).toContain('PARTITION BY toYYYYMMDD(ts)');
    expect(rawLocal).toContain('replicated_deduplication_window = 1000');
    expect(rawLocal).not.toContain('non_replicated');
    expect(find(/^CREATE TABLE IF NOT EXISTS pkt_raw ON/)).toBe(
      "CREATE TABLE IF NOT EXISTS pkt_raw ON CLUSTER '{cluster}' AS pkt_raw_local\nENGINE = Distributed('{cluster}', currentDatabase(), pkt_raw_local, cityHash64(src))",
    );
    expect(find(/^CREATE TABLE IF NOT EXISTS pkt_ingest_local /)).toMatch(/ENGINE = Null$/);
    expect(find(/^CREATE TABLE IF NOT EXISTS pkt_ingest ON/)).toContain('pkt_ingest_local, cityHash64(src))');
    expect(find(/^CREATE TABLE IF NOT EXISTS port_hour_local /)).toContain(
      "ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/port_hour', '{replica}')",
    );
    expect(find(/^CREATE TABLE IF NOT EXISTS port_hour ON/)).toContain('port_hour_local, rand())');
    expect(find(/^CREATE TABLE IF NOT EXISTS daily_local /)).toContain(
      "ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/daily', '{replica}', (packets))",
    );
    expect(find(/^CREATE TABLE IF NOT EXISTS daily ON/)).toContain('daily_local, toYYYYMMDD(day))');
    expect(find(/^CREATE TABLE IF NOT EXISTS host_info_local /)).toContain("'{replica}', version)");
  });

  it('points materialized views at the local tables', () => {
    const mv = ddl.find((s) => s.startsWith('CREATE MATERIALIZED VIEW IF NOT EXISTS port_hour_mv ')) ?? '';
    expect(mv).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS port_hour_mv ON CLUSTER '\{cluster\}' TO port_hour_local AS/);
    expect(mv).toContain('FROM pkt_ingest_local WHERE');
    const join = ddl.find((s) => s.includes('daily_mv')) ?? '';
    expect(join).toContain('TO daily_local');
    expect(join).toContain('FROM pkt_ingest_local AS i LEFT JOIN host_info_local AS h');
    const inner = ddl.find((s) => s.includes('cls_count_local ON')) ?? '';
    expect(inner).toContain("ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/cls_count', '{replica}')");
    expect(inner).toContain('FROM pkt_ingest_local GROUP BY');
    expect(ddl).toContain(
      "CREATE TABLE IF NOT EXISTS cls_count ON CLUSTER '{cluster}' AS cls_count_local\nENGINE = Distributed('{cluster}', currentDatabase(), cls_count_local, rand())",
    );
    // A plain view reads the Distributed tables.
    expect(ddl.find((s) => s.includes('top_ports'))).toMatch(/^CREATE VIEW IF NOT EXISTS top_ports ON CLUSTER '\{cluster\}' AS SELECT .* FROM port_hour GROUP/);
  });

  it('runs column changes on both tables, other ALTERs and DROPs as fits', () => {
    expect(ddl).toContain("ALTER TABLE pkt_raw_local ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS ttl UInt8 DEFAULT 0");
    expect(ddl).toContain("ALTER TABLE pkt_raw ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS ttl UInt8 DEFAULT 0");
    expect(ddl).toContain("ALTER TABLE pkt_raw_local ON CLUSTER '{cluster}' MODIFY TTL toDateTime(ts) + INTERVAL 30 DAY");
    expect(ddl.filter((s) => s.includes('MODIFY TTL'))).toHaveLength(1);
    expect(ddl).toContain("DROP TABLE IF EXISTS host_info ON CLUSTER '{cluster}'");
    expect(ddl).toContain("DROP TABLE IF EXISTS host_info_local ON CLUSTER '{cluster}'");
  });

  it('ends with a replicated schema_migrations table and the records migrate.ts expects', () => {
    const tail = ddl.slice(-3);
    expect(tail[0]).toContain("ReplicatedMergeTree('/clickhouse/tables/{database}/schema_migrations', '{replica}')");
    for (const m of TEST_MIGRATIONS) {
      expect(ddl).toContain(
        `INSERT INTO schema_migrations (id, name, checksum, applied_at) SELECT ${m.id}, '${m.name}', '${migrationChecksum(m)}', now64(3) WHERE ${m.id} NOT IN (SELECT id FROM schema_migrations)`,
      );
    }
  });

  it('takes another cluster name', () => {
    const named = clusterDdl({ migrations: TEST_MIGRATIONS, cluster: 'telescope' });
    expect(named.every((s) => !s.includes('{cluster}'))).toBe(true);
    expect(named.find((s) => s.includes('Distributed'))).toContain("Distributed('telescope', currentDatabase()");
    for (const s of named) format(s);
  });

  it('refuses a MergeTree engine written without the placeholder, and statements it cannot distribute', () => {
    const literal: Migration = { id: 1, name: 'x', statements: ['CREATE TABLE t (a UInt8) ENGINE = ReplacingMergeTree ORDER BY a'] };
    expect(() => clusterDdl({ migrations: [literal] })).toThrow(SakimoriError);
    expect(() => clusterDdl({ migrations: [literal] })).toThrow(/\{engine:/);
    const optimize: Migration = { id: 1, name: 'x', statements: ['OPTIMIZE TABLE t FINAL'] };
    expect(() => clusterDdl({ migrations: [optimize] })).toThrow(/no cluster form/);
  });

  it('renders the same migrations for one server, and those parse too', () => {
    for (const m of TEST_MIGRATIONS) for (const s of m.statements) format(renderEngines(s));
    expect(renderEngines('ENGINE = {engine:SummingMergeTree((a, b))} ORDER BY x')).toBe('ENGINE = SummingMergeTree((a, b)) ORDER BY x');
  });

  it('generates parseable DDL for the project events migrations', () => {
    for (const s of clusterDdl()) format(s);
  });
});
