/**
 * The events store on a ClickHouse server, when CLICKHOUSE_URL is set
 * (`http://user:password@host:8123/database`; the user must be allowed to create and drop a
 * database: the suite works in a fresh `sakimori_test_<random>` database and drops it).
 * The same behaviour suite runs on embedded chDB first, as the reference.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ChdbEventsStore } from '../../src/store/events/chdb-store.js';
import { ClickHouseEventsStore } from '../../src/store/events/clickhouse-store.js';
import { describeEventsStore } from './events-behaviour.js';

const url = process.env.CLICKHOUSE_URL;

let chdbDir: string | undefined;
describeEventsStore(
  'chDB (reference)',
  async () => {
    chdbDir = await mkdtemp(join(tmpdir(), 'sakimori-chdb-'));
    return new ChdbEventsStore(join(chdbDir, 'events'));
  },
  async () => {
    if (chdbDir) await rm(chdbDir, { recursive: true, force: true });
  },
);

if (url) {
  const database = `sakimori_test_${randomBytes(4).toString('hex')}`;
  const admin = new ClickHouseEventsStore(url);
  describeEventsStore(
    `ClickHouse server (${new URL(url).host})`,
    async () => {
      await admin.exec(`CREATE DATABASE IF NOT EXISTS ${database}`);
      const u = new URL(url);
      u.pathname = `/${database}`;
      return new ClickHouseEventsStore(u.toString());
    },
    async () => {
      await admin.exec(`DROP DATABASE IF EXISTS ${database} SYNC`).catch(() => undefined);
      await admin.close();
    },
  );
} else {
  describe('ClickHouse server', () => {
    it.skip('skipped: set CLICKHOUSE_URL=http://user:password@host:8123/database to run the events store against a ClickHouse server', () => undefined);
  });
  console.warn('[servers] ClickHouse server suite skipped: CLICKHOUSE_URL is not set (e.g. http://default:@127.0.0.1:8123/default)');
}
