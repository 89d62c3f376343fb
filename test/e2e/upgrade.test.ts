/**
 * Upgrade from the previous release: a data directory written by sakimori 0.1.0 (commit 56a50a9,
 * state migrations 1–11, events 1–6; test/fixtures/README.md says how it was made) is opened by
 * the current code, which migrates it in place; every figure the release recorded must still be
 * there, and opening it again must change nothing.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, type AppContext } from '../../src/app/context.js';
import { configSchema } from '../../src/config/schema.js';
import { darknetReport } from '../../src/analyze/darknet-report.js';
import { hostProfile } from '../../src/analyze/host.js';
import { search } from '../../src/search/search.js';
import { restrictionFor } from '../../src/auth/need-to-know.js';
import { UNRESTRICTED } from '../../src/store/need-to-know.js';
import { login } from '../../src/auth/sessions.js';
import { getOrg } from '../../src/orgs/org-store.js';
import { caseCounts } from '../../src/cases/case-store.js';
import { EVENTS_MIGRATIONS } from '../../src/store/migrations/events/index.js';
import { STATE_MIGRATIONS } from '../../src/store/migrations/state/index.js';
import { releaseDataCopy } from '../fixtures/release-data.js';

/** What release 0.1.0 reported about the data it wrote (test/fixtures/README.md). */
const RELEASE = {
  version: '0.1.0',
  stateMigrations: 11,
  eventsMigrations: 6,
  day: { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') },
  packets: 5000,
  sources: 932,
  classes: { other: 99, scan: 4252, backscatter: 649 },
  tags: { mirai: { packets: 1708, sources: 457 }, masscan: { packets: 499, sources: 5 }, zmap: { packets: 0, sources: 0 } },
  // A source tagged masscan by 0.1.0: 222 packets, all matching.
  masscanSource: { ip: '80.22.230.26', packets: 222 },
  services: 310,
  orgServices: 120,
  org: {
    id: '9a6b16d3-6c38-4ba7-ba7d-7c482b6aa358',
    name: 'Fixture ISP',
    kind: 'isp',
    country: 'JP',
    emails: ['abuse@fixture-isp.example'],
    language: 'en',
    constituency: { cidrs: ['198.51.100.0/24'], asns: [64500], domains: ['fixture-isp.example'] },
  },
  user: { username: 'analyst1', password: 'fixture-password-0.1.0', role: 'org-admin' },
  cases: 497,
  orgCases: 30,
  casesByKind: { default_credential: 14, mirai_infection: 457, no_authentication: 13, vulnerable_firmware: 13 },
  monitor: 'Fixture watch',
} as const;

let dataDir: string;
let ctx: AppContext;

// The fixture was written with a 10-year raw-packet retention (its day must not age out of the test).
const config = (): ReturnType<typeof configSchema.parse> => configSchema.parse({ dataDir, darknet: { retentionDays: 3650 } });

beforeAll(async () => {
  dataDir = await releaseDataCopy(RELEASE.version);
  ctx = await openContext(config());
});

afterAll(async () => {
  await ctx?.close();
  if (dataDir) await rm(dirname(dataDir), { recursive: true, force: true });
});

describe(`upgrade from ${RELEASE.version}`, () => {
  it('applied the new migrations on top of the release', async () => {
    const state = await ctx.state.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(state.map((r) => Number(r.id))).toEqual(STATE_MIGRATIONS.map((m) => m.id));
    expect(STATE_MIGRATIONS.length).toBeGreaterThan(RELEASE.stateMigrations);
    const events = await ctx.events.query<{ id: number }>('SELECT DISTINCT id FROM schema_migrations ORDER BY id');
    expect(events.map((r) => Number(r.id))).toEqual(EVENTS_MIGRATIONS.map((m) => m.id));
    // 013: the parent of an API key; 012: monitor names unique per organisation.
    const [col] = await ctx.state.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'api_keys' AND column_name = 'parent_id'",
    );
    expect(col?.n).toBe(1);
  });

  it('keeps every packet and source', async () => {
    const [raw] = await ctx.events.query<{ packets: number; sources: number }>(
      'SELECT count() AS packets, uniqExact(src) AS sources FROM darknet_packets',
    );
    expect(raw).toEqual({ packets: RELEASE.packets, sources: RELEASE.sources });
    const report = await darknetReport(ctx.report, RELEASE.day);
    expect(report.packets).toBe(RELEASE.packets);
    expect(report.sources).toBe(RELEASE.sources);
    expect(Object.fromEntries(Object.entries(report.classes).map(([k, c]) => [k, c.packets]))).toMatchObject(RELEASE.classes);
  });

  it('gives the packets the release stored the time of migration 007 as their stored time, and counts the retention from it', async () => {
    const [r] = await ctx.events.query<{ first: number; last: number; migrated: number; create: string }>(
      `SELECT toUnixTimestamp(min(stored_at)) AS first, toUnixTimestamp(max(stored_at)) AS last,
              (SELECT toUnixTimestamp(max(applied_at)) FROM schema_migrations WHERE id = 7) AS migrated,
              (SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'darknet_packets') AS create
       FROM darknet_packets`,
    );
    // Stored "now" by the migration, which is recorded after its last statement.
    expect(r?.migrated).toBeGreaterThanOrEqual(r?.last ?? Infinity);
    expect((r?.migrated ?? 0) - (r?.first ?? 0)).toBeLessThan(120);
    expect(r?.create).toContain('TTL stored_at + toIntervalDay(3650)');
  });

  it('keeps the tags: rows stored before migration 008 count every packet as one the fingerprints apply to', async () => {
    const report = await darknetReport(ctx.report, RELEASE.day);
    expect(report.tags).toEqual(RELEASE.tags);
    const h = await hostProfile(ctx.events, RELEASE.masscanSource.ip, ctx.fingerprinter.fingerprints, () => '');
    const { packets } = RELEASE.masscanSource;
    expect(h?.tags.map((t) => [t.tag, t.packets, t.applicable, t.share])).toEqual([['masscan', packets, packets, 1]]);
  });

  it('keeps every service, found by search', async () => {
    const all = await search(ctx.events, { query: '', restriction: UNRESTRICTED, limit: 0 });
    expect(all.total).toBe(RELEASE.services);
    const inOrg = await search(ctx.events, { query: 'ip:198.51.100.0/24', restriction: UNRESTRICTED, limit: 0 });
    expect(inOrg.total).toBe(RELEASE.orgServices);
    const text = await search(ctx.events, { query: 'busybox', restriction: UNRESTRICTED, limit: 0 });
    expect(text.total).toBe(40);
  });

  it('keeps the organisation and its constituency', async () => {
    const org = await getOrg(ctx.state, RELEASE.org.name);
    expect(org).toMatchObject({ ...RELEASE.org, constituency: expect.anything() });
    expect(org.constituency).toEqual(RELEASE.org.constituency);
  });

  it('lets the user sign in, restricted to the organisation', async () => {
    const session = await login(ctx.state, RELEASE.user.username, RELEASE.user.password, '192.0.2.200');
    expect(session.principal).toMatchObject({ username: RELEASE.user.username, role: RELEASE.user.role, orgId: RELEASE.org.id });
    const restriction = await restrictionFor(ctx.state, session.principal);
    const mine = await search(ctx.events, { query: '', restriction, limit: 0 });
    expect(mine.total).toBe(RELEASE.orgServices);
    const cases = await caseCounts(ctx.state, restriction);
    expect(cases.reduce((n, c) => n + c.n, 0)).toBe(RELEASE.orgCases);
  });

  it('keeps the cases and the monitor', async () => {
    const counts = await caseCounts(ctx.state, UNRESTRICTED);
    expect(counts.reduce((n, c) => n + c.n, 0)).toBe(RELEASE.cases);
    const byKind: Record<string, number> = {};
    for (const c of counts) byKind[c.kind] = (byKind[c.kind] ?? 0) + c.n;
    expect(byKind).toEqual(RELEASE.casesByKind);
    const monitors = await ctx.state.query<{ name: string }>('SELECT name FROM monitors');
    expect(monitors.map((m) => m.name)).toEqual([RELEASE.monitor]);
  });

  it('opens again without applying anything or changing a figure', async () => {
    await ctx.close();
    ctx = await openContext(config());
    const state = await ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(state[0]?.n).toBe(STATE_MIGRATIONS.length);
    const events = await ctx.events.query<{ n: number }>('SELECT count() AS n FROM schema_migrations');
    expect(events[0]?.n).toBe(EVENTS_MIGRATIONS.length);
    const [raw] = await ctx.events.query<{ packets: number }>('SELECT count() AS packets FROM darknet_packets');
    expect(raw?.packets).toBe(RELEASE.packets);
    expect((await search(ctx.events, { query: '', restriction: UNRESTRICTED, limit: 0 })).total).toBe(RELEASE.services);
    const counts = await caseCounts(ctx.state, UNRESTRICTED);
    expect(counts.reduce((n, c) => n + c.n, 0)).toBe(RELEASE.cases);
  });
});
