/**
 * Issue 12: what one organisation's use of monitors may learn about another's. Running "my"
 * monitors must not send or count anyone else's deliveries, nor tell connection-level detail (an
 * internal port scanner); a monitor's name is unique within its organisation only, so creating
 * one does not reveal another organisation's names. Real chDB and PGlite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { configSchema, type Config } from '../config/schema.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { addPrefixes, constituencyOf, createOrg } from '../orgs/org-store.js';
import { UNRESTRICTED, type Restriction } from '../store/need-to-know.js';
import { createMonitor, deleteMonitor, getMonitor, listFindings, listMonitors, muteFinding } from './monitor-store.js';
import { runMonitors } from './monitor-service.js';
import { monitorFinder } from './find-services.js';

describe('monitors between organisations', () => {
  let stores: TempStores;
  let config: Config;
  let hook: Server;
  let hits = 0;
  let hookUrl: string;
  let closedUrl: string;
  let a: Restriction;
  let b: Restriction;

  beforeAll(async () => {
    stores = await tempStores('monorgs');
    hook = createServer((req, res) => { hits++; req.resume(); res.end(); });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    // A port nobody listens on: a delivery there fails to connect.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/closed`;
    await new Promise<void>((r) => probe.close(() => r()));
    config = configSchema.parse({ dataDir: stores.dir, notify: { webhookAllow: ['127.0.0.1/32'], maxAttempts: 3 } });
    const orgA = await createOrg(stores.state, { name: 'A', kind: 'isp' });
    const orgB = await createOrg(stores.state, { name: 'B', kind: 'isp' });
    await addPrefixes(stores.state, orgA.id, ['203.0.113.0/24']);
    await addPrefixes(stores.state, orgB.id, ['198.51.100.0/24']);
    a = { kind: 'constituency', orgId: orgA.id, ...(await constituencyOf(stores.state, orgA.id)) };
    b = { kind: 'constituency', orgId: orgB.id, ...(await constituencyOf(stores.state, orgB.id)) };
    await writeServices(stores.events, createEnricher({}), [
      serviceRow({ ip: '203.0.113.1', port: 80, transport: 'tcp', service: 'http' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.1', port: 80, transport: 'tcp', service: 'http' }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'orgs-1' });
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((r) => hook.close(() => r()));
    await stores.dispose();
  });

  it('a member’s run sends and reports only its own monitors’ deliveries, in classes, never connection detail', async () => {
    const ctx = { events: stores.events, state: stores.state, config };
    const mb = await createMonitor(stores.state, { name: 'b-watch', cidrs: ['198.51.100.0/24'], webhooks: [hookUrl] }, b, config.notify);
    // B has an alert waiting to be sent.
    await stores.state.query(
      `INSERT INTO monitor_deliveries (monitor_id, run_at, channel, target, finding_keys, payload) VALUES ($1, now() - interval '1 minute', 'webhook', $2, '{}', $3)`,
      [mb.id, hookUrl, JSON.stringify({ monitor: { id: mb.id, name: mb.name, query: '' }, runAt: new Date().toISOString(), language: 'en', findings: [] })],
    );
    await createMonitor(stores.state, { name: 'a-watch', cidrs: ['203.0.113.0/24'], webhooks: [closedUrl] }, a, config.notify);

    const first = await runMonitors(ctx, undefined, undefined, a);
    expect(first.runs.map((r) => r.monitor)).toEqual(['a-watch']);
    expect(first.delivery).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    expect(hits).toBe(0);
    const [waiting] = await stores.state.query<{ status: string }>('SELECT status FROM monitor_deliveries WHERE monitor_id = $1', [mb.id]);
    expect(waiting?.status).toBe('pending');

    // Something new in A: A's alert goes to a port where nothing listens.
    await writeServices(stores.events, createEnricher({}), [serviceRow({ ip: '203.0.113.2', port: 23, transport: 'tcp', service: 'telnet' }, '2026-11-02T00:00:00Z')], { dedupToken: 'orgs-2' });
    const second = await runMonitors(ctx, 'a-watch', undefined, a);
    expect(second.delivery).toMatchObject({ sent: 0, retrying: 1, failed: 0 });
    expect(second.runs[0]?.delivery).toEqual({ sent: 0, retrying: 1, failed: 0, errors: { 'connection failed': 1 } });
    const text = JSON.stringify(second);
    expect(text).not.toMatch(/ECONNREFUSED|refused|127\.0\.0\.1/);
    expect(text).not.toContain(`:${new URL(closedUrl).port}`);
    expect(hits).toBe(0);

    // The operator's run (unrestricted) sends what is due for everyone.
    const all = await runMonitors(ctx, undefined, undefined, UNRESTRICTED);
    expect(all.delivery.sent).toBe(1);
    expect(hits).toBe(1);
  });

  it('names are unique per organisation: another organisation’s name is neither revealed nor blocked', async () => {
    const s = stores.state;
    const mine = { name: 'secret-project', cidrs: ['198.51.100.0/25'] };
    const theirs = await createMonitor(s, mine, b, config.notify);
    const ours = await createMonitor(s, { name: 'secret-project', cidrs: ['203.0.113.0/25'] }, a, config.notify);
    expect(ours.id).not.toBe(theirs.id);
    await expect(createMonitor(s, { name: 'secret-project', cidrs: ['203.0.113.0/26'] }, a, config.notify)).rejects.toMatchObject({ code: 'MONITOR_INVALID', where: { field: 'name' } });
    // The unique index holds even without the check in front of it.
    await expect(s.query(`INSERT INTO monitors (id, name, org_id, query, cidrs, kinds) VALUES ('dup', 'secret-project', $1, '', '{203.0.113.0/24}', '{service}')`, [ours.orgId])).rejects.toThrow();

    // Each organisation reaches its own by name.
    expect((await getMonitor(s, 'secret-project', a)).id).toBe(ours.id);
    expect((await getMonitor(s, 'secret-project', b)).id).toBe(theirs.id);
    expect((await listMonitors(s, a)).map((m) => m.name)).toEqual(['a-watch', 'secret-project']);
    await expect(getMonitor(s, theirs.id, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(listFindings(s, theirs.id, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(muteFinding(s, theirs.id, 'k', true, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runMonitors({ events: stores.events, state: s, config }, theirs.id, undefined, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // The operator: a name two organisations use is ambiguous (the id is not); the platform's own name space is separate.
    await expect(getMonitor(s, 'secret-project', UNRESTRICTED)).rejects.toMatchObject({ code: 'MONITOR_INVALID', where: { field: 'name' } });
    expect((await getMonitor(s, theirs.id, UNRESTRICTED)).orgId).toBe(theirs.orgId);
    const platform = await createMonitor(s, { name: 'secret-project', cidrs: ['0.0.0.0/0'] }, UNRESTRICTED, config.notify);
    expect(platform.orgId).toBeNull();
    expect((await getMonitor(s, 'secret-project', UNRESTRICTED)).id).toBe(platform.id);
    await expect(createMonitor(s, { name: 'secret-project', cidrs: ['0.0.0.0/0'] }, UNRESTRICTED, config.notify)).rejects.toMatchObject({ where: { field: 'name' } });
    await deleteMonitor(s, 'secret-project', a);
    expect((await getMonitor(s, 'secret-project', b)).id).toBe(theirs.id);
  });

  it('takes a restriction on every call: nothing defaults to seeing everything', () => {
    // Type-level: each of these calls is an error without a restriction (checked by tsc, never run).
    const typeChecks = (): void => {
      const s = stores.state;
      // @ts-expect-error the restriction is required
      void listMonitors(s);
      // @ts-expect-error the restriction is required
      void getMonitor(s, 'x');
      // @ts-expect-error the restriction is required
      void createMonitor(s, {});
      // @ts-expect-error the restriction is required
      void deleteMonitor(s, 'x');
      // @ts-expect-error the restriction is required
      void listFindings(s, 'x');
      // @ts-expect-error the restriction is required
      void muteFinding(s, 'x', 'k', true);
      // @ts-expect-error the restriction is required
      void monitorFinder(stores.events);
      // @ts-expect-error the restriction is required
      void runMonitors({ events: stores.events, state: s, config }, 'x');
    };
    expect(typeof typeChecks).toBe('function');
  });
});
