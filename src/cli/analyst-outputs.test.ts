/**
 * What the CLI tells an analyst on a new data directory: why effects are empty and what to run,
 * "unknown" instead of AS0 and an empty country (with one hint how to import the tables),
 * organisation names in `user list`, and --facets refused with --export.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { openStores } from '../store/open-stores.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { createEnricher } from '../enrich/index.js';

describe('CLI outputs on a data directory without enrichment tables or notified cases', () => {
  let dir: string;
  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli(['--data', dir, ...args]);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-analyst-cli-'));
    const stores = await openStores({ dataDir: dir });
    try {
      await writeServices(stores.events, createEnricher({}), [serviceRow({ ip: '192.0.2.7', port: 23, transport: 'tcp', service: 'telnet' }, '2026-11-01T00:00:00Z')], { dedupToken: 'one' });
    } finally {
      await stores.close();
    }
  }, 60_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('effects says why there is nothing to measure and what to run', async () => {
    const none = await cli('effects');
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/^no effects to measure: there are no cases yet\. Run `sakimori cases build`.*`sakimori notify round --send`/);
    const stores = await openStores({ dataDir: dir });
    try {
      await stores.state.query("INSERT INTO cases (recipient, recipient_name, ip, kind, detail, first_seen, last_seen) VALUES ('org:a', 'ISP A', '192.0.2.7', 'default_credential', '{}', now(), now())");
    } finally {
      await stores.close();
    }
    const unnotified = await cli('effects');
    expect(unnotified.stdout).toMatch(/^no effects to measure: none of the 1 cases \(new 1\) has been notified yet\. Run `sakimori notify round` and `sakimori notify send`/);
  }, 60_000);

  it('shows an unknown AS and country as unknown, and hints once how to import the tables', async () => {
    const host = await cli('host', '192.0.2.7');
    expect(host.code, host.stderr).toBe(0);
    expect(host.stdout.split('\n')[0]).toBe('192.0.2.7  AS unknown  country unknown');
    const search = await cli('search', 'port:23', '--facets', 'country');
    expect(search.stdout).toMatch(/192\.0\.2\.7\s+tcp\/23\s+telnet\s+country unknown AS unknown/);
    expect(search.stdout).toMatch(/country:\n {2}none known\n$/);
    for (const r of [host, search]) {
      expect(r.stderr.match(/hint: /g)).toHaveLength(1);
      expect(r.stderr).toMatch(/hint: no IP → AS and IP → country table is imported.*`sakimori enrich import <file>`/);
    }
    expect((await cli('search', 'port:23', '--json')).stderr).toBe('');
  }, 60_000);

  it('refuses --facets with --export instead of ignoring it', async () => {
    const r = await cli('search', 'port:23', '--facets', 'country', '--export', 'csv');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error BAD_REQUEST: invalid request: --facets cannot be combined with --export/);
  }, 30_000);

  it('user list shows the organisation by name', async () => {
    expect((await cli('org', 'add', 'ISP Alpha', '--email', 'abuse@alpha.example')).code).toBe(0);
    const add = await runCli(['--data', dir, 'user', 'add', 'alice', '--role', 'org-admin', '--org', 'ISP Alpha'], { input: Buffer.from('a long enough password\n') });
    expect(add.stdout).toMatch(/user alice \(org-admin, organisation ISP Alpha\) created/);
    expect((await cli('user', 'list')).stdout).toBe('alice  org-admin  ISP Alpha\n');
  }, 60_000);
});
