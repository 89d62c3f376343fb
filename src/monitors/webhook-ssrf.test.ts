/**
 * Issue 12, item 5: a monitor's webhook must not reach the server's own network (loopback,
 * private, link-local, metadata…), whatever form the address is written in, and not by a name
 * that resolves there or rebinds between check and connect. Only loopback is ever contacted:
 * refusals are shown by a listener on 127.0.0.1 that receives nothing; a successful delivery
 * allows 127.0.0.1/32 through the configuration, as a platform admin would allow a range.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { migrateState } from '../store/migrate.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { createMonitor } from './monitor-store.js';
import { deliverDue } from './deliver.js';

interface Listener { port: number; got: { path: string; headers: IncomingHttpHeaders }[]; close(): Promise<void> }

/** An HTTP listener on a loopback address that records what reaches it. */
async function listen(host = '127.0.0.1', port = 0, answer: (path: string) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })): Promise<Listener> {
  const got: Listener['got'] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers });
      const a = answer(req.url ?? '');
      res.writeHead(a.status, a.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  return { port: (server.address() as AddressInfo).port, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('monitor webhooks cannot reach the server’s own network', () => {
  let state: PgliteStateStore;
  let hook: Listener;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    await migrateState(state);
    hook = await listen();
  });
  afterAll(async () => {
    await hook.close();
    await state.close();
  });
  afterEach(async () => {
    hook.got.length = 0;
    await state.query('DELETE FROM monitors');
  });

  it('refuses, when the monitor is created, every address of the server’s own networks in every spelling', async () => {
    const p = hook.port;
    const refused: [string, RegExp][] = [
      [`http://127.0.0.1:${p}/hook`, /loopback/],
      [`http://2130706433:${p}/hook`, /loopback/],
      [`http://0x7f.0.0.1:${p}/hook`, /loopback/],
      [`http://017700000001:${p}/hook`, /loopback/],
      [`http://127.1:${p}/hook`, /loopback/],
      [`http://localhost:${p}/hook`, /loopback/],
      [`http://[::1]:${p}/hook`, /loopback/],
      [`http://[::ffff:127.0.0.1]:${p}/hook`, /loopback/],
      [`http://[::ffff:7f00:1]:${p}/hook`, /loopback/],
      ['http://[64:ff9b::7f00:1]/hook', /loopback/],
      ['http://[2002:7f00:1::1]/hook', /loopback/],
      ['http://0.0.0.0/hook', /unspecified/],
      ['http://0/hook', /unspecified/],
      ['http://[::]/hook', /unspecified/],
      ['http://169.254.169.254/latest/meta-data/', /metadata/],
      ['http://[fd00:ec2::254]/latest/meta-data/', /metadata/],
      ['http://[::ffff:169.254.169.254]/', /metadata/],
      ['http://169.254.10.1/', /link-local/],
      ['http://[fe80::1]/', /link-local/],
      ['http://10.1.2.3/', /private/],
      ['http://172.31.255.1/', /private/],
      ['http://192.168.0.1/', /private/],
      ['http://[fd12:3456::1]/', /private/],
      ['http://100.64.0.1/', /carrier-grade NAT/],
      ['http://224.0.0.1/', /multicast/],
      ['http://[ff02::1]/', /multicast/],
      ['http://255.255.255.255/', /broadcast/],
    ];
    for (const [url, reason] of refused) {
      const e = await createMonitor(state, { name: 'm', cidrs: ['192.0.2.0/24'], webhooks: [url] }, UNRESTRICTED)
        .then(() => undefined, (x: unknown) => x);
      expect(e, url).toMatchObject({ code: 'MONITOR_INVALID', where: { field: 'webhooks.0' } });
      expect((e as Error).message, url).toMatch(reason);
      expect((e as Error).message, url).toContain('webhooks.0');
      expect((e as Error).message, url).toMatch(/refused/);
    }
    expect(await state.query('SELECT id FROM monitors')).toEqual([]);
    expect(hook.got).toEqual([]);
  });

  it('accepts a range a platform admin allowed in the configuration, and nothing beside it; metadata only by its own address', async () => {
    const allow = { webhookAllow: ['127.0.0.1/32'] };
    await expect(createMonitor(state, { name: 'a', cidrs: ['192.0.2.0/24'], webhooks: [`http://2130706433:${hook.port}/hook`] }, UNRESTRICTED, allow))
      .resolves.toMatchObject({ webhooks: [`http://127.0.0.1:${hook.port}/hook`] });
    await expect(createMonitor(state, { name: 'b', cidrs: ['192.0.2.0/24'], webhooks: [`http://127.0.0.2:${hook.port}/hook`] }, UNRESTRICTED, allow)).rejects.toThrow(/loopback/);
    await expect(createMonitor(state, { name: 'c', cidrs: ['192.0.2.0/24'], webhooks: ['http://169.254.169.254/'] }, UNRESTRICTED, { webhookAllow: ['169.254.0.0/16'] })).rejects.toThrow(/metadata/);
    await expect(createMonitor(state, { name: 'd', cidrs: ['192.0.2.0/24'], webhooks: ['http://169.254.10.1/'] }, UNRESTRICTED, { webhookAllow: ['169.254.0.0/16'] })).resolves.toBeDefined();
    expect(hook.got).toEqual([]);
  });

  it('fails a delivery to a refused address for good, and the listener on 127.0.0.1 receives nothing', async () => {
    // Monitors made before the check existed, or while a range was allowed, are checked again when sending.
    const p = hook.port;
    const targets = [`http://127.0.0.1:${p}/a`, `http://2130706433:${p}/b`, `http://localhost:${p}/c`, `http://[::ffff:127.0.0.1]:${p}/d`, `http://0x7f000001:${p}/e`];
    await state.query(`INSERT INTO monitors (id, name, query, cidrs, kinds, webhooks) VALUES ('old', 'old', '', '{192.0.2.0/24}', '{service}', $1)`, [targets]);
    for (const t of targets) {
      await state.query(`INSERT INTO monitor_deliveries (monitor_id, run_at, channel, target, finding_keys, payload) VALUES ('old', now(), 'webhook', $1, '{}', $2)`,
        [t, JSON.stringify({ monitor: { id: 'old', name: 'old', query: '' }, runAt: new Date().toISOString(), language: 'en', findings: [] })]);
    }
    const summary = await deliverDue(state, {});
    expect(summary).toMatchObject({ sent: 0, retrying: 0, failed: targets.length });
    expect(hook.got).toEqual([]);
    const rows = await state.query<{ target: string; status: string; attempts: number; last_error: string }>('SELECT target, status, attempts, last_error FROM monitor_deliveries ORDER BY id');
    for (const r of rows) {
      expect(r, r.target).toMatchObject({ status: 'failed', attempts: 1 });
      expect(r.last_error, r.target).toMatch(/^refused by policy: .*loopback/);
    }
  });

  it('delivers to an allowed address, pinned to the address that was checked (no rebinding), and follows no redirect', async () => {
    await state.query(`INSERT INTO monitors (id, name, query, cidrs, kinds) VALUES ('m', 'm', '', '{192.0.2.0/24}', '{service}')`);
    const queue = async (target: string): Promise<void> => {
      await state.query(`INSERT INTO monitor_deliveries (monitor_id, run_at, channel, target, finding_keys, payload) VALUES ('m', now(), 'webhook', $1, '{}', $2)`,
        [target, JSON.stringify({ monitor: { id: 'm', name: 'm', query: '' }, runAt: new Date().toISOString(), language: 'en', findings: [] })]);
    };
    const allow = ['127.0.0.1/32'];
    // A second listener on 127.0.0.2, same port: where a rebinding name would point the connection.
    const other = await listen('127.0.0.2', hook.port);
    try {
      let calls = 0;
      const rebinding = async (): Promise<{ address: string; family: number }[]> => [{ address: calls++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
      await queue(`http://hooks.rebind.test:${hook.port}/pinned`);
      expect(await deliverDue(state, { webhookAllow: allow, resolve: rebinding })).toMatchObject({ sent: 1, retrying: 0, failed: 0 });
      expect(calls).toBe(1);
      expect(hook.got.map((g) => [g.path, g.headers.host])).toEqual([['/pinned', `hooks.rebind.test:${hook.port}`]]);
      expect(other.got).toEqual([]);

      // The other way round: the name answers the refused address first; nothing is contacted.
      calls = 0;
      const first = async (): Promise<{ address: string; family: number }[]> => [{ address: calls++ === 0 ? '127.0.0.2' : '127.0.0.1', family: 4 }];
      await queue(`http://hooks.rebind.test:${hook.port}/refused`);
      expect(await deliverDue(state, { webhookAllow: allow, resolve: first })).toMatchObject({ sent: 0, failed: 1 });
      // A name with one refused address among several is refused as a whole.
      await queue(`http://hooks.mixed.test:${hook.port}/mixed`);
      expect(await deliverDue(state, { webhookAllow: allow, resolve: async () => [{ address: '127.0.0.1', family: 4 }, { address: '10.0.0.1', family: 4 }] })).toMatchObject({ sent: 0, failed: 1 });
      expect(hook.got).toHaveLength(1);
      expect(other.got).toEqual([]);
    } finally {
      await other.close();
    }

    // A redirect (to an address that is not allowed) is not followed.
    const redirecting = await listen('127.0.0.1', 0, () => ({ status: 307, headers: { location: `http://127.0.0.2:${hook.port}/inside` } }));
    const inside = await listen('127.0.0.2', hook.port);
    try {
      await queue(`http://127.0.0.1:${redirecting.port}/redirect`);
      const s = await deliverDue(state, { webhookAllow: allow });
      expect(s.sent).toBe(0);
      expect(redirecting.got).toHaveLength(1);
      expect(inside.got).toEqual([]);
      const [row] = await state.query<{ last_error: string }>("SELECT last_error FROM monitor_deliveries WHERE target LIKE '%/redirect'");
      expect(row?.last_error).toMatch(/HTTP 307/);
    } finally {
      await redirecting.close();
      await inside.close();
    }
  });
});
