/**
 * The TAXII client against our own TAXII server over real HTTP: `sakimori taxii pull` from
 * source, killed with SIGKILL in the middle of a paged read, resumes without losing or
 * repeating an object; a newer version at the remote replaces the older one here; `taxii push`
 * sends only what the sharing policy lets the remote receive and writes it to the egress audit.
 * The remote is on loopback, which the client refuses unless `share.remoteAllow` allows it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { createUser } from '../../src/auth/users.js';
import { configSchema } from '../../src/config/schema.js';
import { createOrg } from '../../src/orgs/org-store.js';
import { createCollection, getCollection } from '../../src/share/taxii/collections.js';
import { putObjects, readObjects } from '../../src/share/taxii/object-store.js';
import { TLP2_IDS, type Tlp } from '../../src/share/stix/tlp.js';
import { migrateState } from '../../src/store/migrate.js';
import { STATE_DIR } from '../../src/store/open-stores.js';
import { PgliteStateStore } from '../../src/store/state/pglite-store.js';
import type { StateStore } from '../../src/store/types.js';
import { runCli, startCli } from '../helpers/cli.js';

const PW = 'correct horse battery staple';
const N = 240;

/** An indicator version: distinct ids, `modified` naming the version. */
function indicator(i: number, modified: string, tlp: Tlp = 'green'): Record<string, unknown> {
  const hex = i.toString(16).padStart(12, '0');
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--6b0f3c1e-1c7e-4a5e-9f3a-${hex}`,
    created: '2026-11-01T00:00:00.000Z', modified, name: `scanner ${i}`,
    indicator_types: ['malicious-activity'], pattern: `[ipv4-addr:value = '198.51.100.${i % 250}']`, pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00Z', object_marking_refs: [TLP2_IDS[tlp]],
  };
}

/** The local hub's state store alone: chDB allows one data directory per process, and the remote holds it. */
async function withLocal<T>(dir: string, fn: (ctx: { state: StateStore }) => Promise<T>): Promise<T> {
  const state = await PgliteStateStore.open(join(dir, STATE_DIR));
  try {
    await migrateState(state);
    return await fn({ state });
  } finally {
    await state.close();
  }
}

/** Every stored (id, version) of a local collection, in order of addition. */
async function versions(ctx: { state: StateStore }, collection: string): Promise<string[]> {
  const out: string[] = [];
  for (let after: string | null = null; ;) {
    const page = await readObjects(ctx.state, collection, { addedAfter: after, versions: ['all'], limit: 1000, withBody: false });
    out.push(...page.objects.map((o) => `${o.id}|${o.version}`));
    const last = page.objects.at(-1);
    if (!page.more || !last) return out;
    after = last.dateAdded;
  }
}

describe('TAXII client: pull and push against our own server', () => {
  let remoteDir: string, localDir: string;
  let remote: AppContext;
  let app: FastifyInstance;
  let base: string;
  let remoteCollection: string, inbox: string;
  // The operator's allowance for the loopback remote (share.remoteAllow), given as a configuration file.
  const env: Record<string, string> = { SAKIMORI_TAXII_PASSWORD: PW };

  beforeAll(async () => {
    remoteDir = mkdtempSync(join(tmpdir(), 'sakimori-taxii-remote-'));
    localDir = mkdtempSync(join(tmpdir(), 'sakimori-taxii-local-'));
    env['SAKIMORI_CONFIG'] = join(localDir, 'allow-loopback.json');
    writeFileSync(env['SAKIMORI_CONFIG'], JSON.stringify({ share: { remoteAllow: ['127.0.0.1/32'] } }));
    remote = await openContext(configSchema.parse({ dataDir: remoteDir }));
    app = await buildApp(remote);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const peer = await createOrg(remote.state, { name: 'Peer CERT', kind: 'cert' });
    const feeder = await createUser(remote.state, { username: 'feeder', password: PW, role: 'org-admin', org: 'Peer CERT' });
    remoteCollection = (await createCollection(remote.state, { title: 'scanners', read: [peer.id], write: [peer.id] }, feeder.id)).id;
    inbox = (await createCollection(remote.state, { title: 'inbox', read: [peer.id], write: [peer.id] }, feeder.id)).id;
    const r = await putObjects(remote.state, remoteCollection, Array.from({ length: N }, (_, i) => indicator(i, '2026-11-02T00:00:00.000Z')), { userId: feeder.id, orgId: peer.id });
    expect(r.failures).toEqual([]);
    await withLocal(localDir, async (ctx) => {
      await createOrg(ctx.state, { name: 'Peer CERT', kind: 'cert' });
      await createCollection(ctx.state, { title: 'from peer', alias: 'from-peer', read: [], write: [] }, 'test');
    });
  }, 180_000);

  afterAll(async () => {
    await app.close();
    await remote.close();
    rmSync(remoteDir, { recursive: true, force: true });
    rmSync(localDir, { recursive: true, force: true });
  });

  it('a remote on loopback is refused unless the configuration allows its range', async () => {
    const r = await runCli(['--data', localDir, 'taxii', 'pull', `${base}/taxii2/`, '--collection', remoteCollection, '--into', 'from-peer', '--user', 'feeder'], { env: { SAKIMORI_TAXII_PASSWORD: PW } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refused by policy: 127\.0\.0\.1 is a loopback address; a platform admin can allow a range with share\.remoteAllow/);
  }, 60_000);

  it('a pull killed with SIGKILL mid-way resumes without losing or repeating an object', async () => {
    const args = ['--data', localDir, 'taxii', 'pull', `${base}/taxii2/`, '--collection', remoteCollection, '--into', 'from-peer', '--user', 'feeder', '--limit', '20'];
    const child = startCli(args, env);
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        // Killed once some pages are stored and before the read is over.
        if (/page 3:/.test(err)) { child.kill('SIGKILL'); resolve(); }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode, `the pull ended before it could be killed: ${err}`).toBe('SIGKILL');
    const partial = await withLocal(localDir, async (ctx) => versions(ctx, (await getCollection(ctx.state, 'from-peer')).id));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(N);

    const done = await runCli([...args, '--json'], { env });
    expect(done.code, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout) as { received: number; failed: number; cursor: { next: string | null } };
    expect(summary.failed).toBe(0);
    expect(summary.cursor.next).toBeNull();
    await withLocal(localDir, async (ctx) => {
      const got = await versions(ctx, (await getCollection(ctx.state, 'from-peer')).id);
      expect(new Set(got).size, 'no object version stored twice').toBe(got.length);
      expect(got.length, 'every remote object arrived').toBe(N);
    });
  }, 240_000);

  it('a newer version at the remote replaces the older one on the next pull', async () => {
    const [feeder] = await remote.state.query<{ id: string; org_id: string }>("SELECT id, org_id FROM users WHERE username = 'feeder'");
    await putObjects(remote.state, remoteCollection, [indicator(7, '2026-11-20T00:00:00.000Z')], { userId: feeder?.id ?? '', orgId: feeder?.org_id ?? null });
    const again = await runCli(['--data', localDir, 'taxii', 'pull', `${base}/taxii2/`, '--collection', remoteCollection, '--into', 'from-peer', '--user', 'feeder', '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { received: number }).received, 'only what was added since the last pull').toBe(1);
    await withLocal(localDir, async (ctx) => {
      const id = (await getCollection(ctx.state, 'from-peer')).id;
      const latest = await readObjects(ctx.state, id, { ids: [indicator(7, '').id as string], versions: ['last'], limit: 10 });
      expect(latest.objects.map((o) => o.version)).toEqual(['2026-11-20T00:00:00.000Z']);
    });
  }, 120_000);

  it('a push sends only what the policy lets the remote receive, and audits it', async () => {
    await withLocal(localDir, async (ctx) => {
      const mine = await createCollection(ctx.state, { title: 'ours', alias: 'ours', read: [], write: [] }, 'test');
      const r = await putObjects(ctx.state, mine.id, [
        indicator(1001, '2026-11-03T00:00:00.000Z', 'clear'), indicator(1002, '2026-11-03T00:00:00.000Z', 'green'),
        indicator(1003, '2026-11-03T00:00:00.000Z', 'amber'), indicator(1004, '2026-11-03T00:00:00.000Z', 'red'),
      ], { userId: 'test', orgId: null });
      expect(r.failures).toEqual([]);
    });
    const push = (extra: string[]) => runCli(['--data', localDir, 'taxii', 'push', `${base}/taxii2/`, '--collection', inbox, '--from', 'ours', '--user', 'feeder', '--json', ...extra], { env });
    const anonymous = await push([]);
    expect(anonymous.code, anonymous.stderr).toBe(0);
    expect((JSON.parse(anonymous.stdout) as { sent: number }).sent, 'without --to only TLP:CLEAR leaves').toBe(1);
    const asPeer = await push(['--to', 'Peer CERT']);
    expect(asPeer.code, asPeer.stderr).toBe(0);
    const s = JSON.parse(asPeer.stdout) as { sent: number; succeeded: number; withheld: Record<string, number> };
    // GREEN goes to a community member; AMBER only to the collection's readers (none here); RED to named users only.
    expect(s.sent).toBe(2);
    expect(Object.values(s.withheld).reduce((a, b) => a + b, 0)).toBe(2);
    const atRemote = await readObjects(remote.state, inbox, { limit: 100, withBody: false });
    expect(atRemote.objects.map((o) => o.id).sort()).toEqual([indicator(1001, '').id, indicator(1002, '').id].sort());
    await withLocal(localDir, async (ctx) => {
      const rows = await ctx.state.query<{ object_id: string }>("SELECT object_id FROM share_egress WHERE path = 'taxii'");
      expect(rows.length, 'every object sent is in the egress audit').toBe(3);
    });
  }, 180_000);
});
