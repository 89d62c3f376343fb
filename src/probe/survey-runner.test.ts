import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnricher } from '../enrich/index.js';
import { openStores, type Stores } from '../store/open-stores.js';
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from './module.js';
import { addExclusion, createScope } from './scope/scope-store.js';
import { runSurvey, type SurveySettings } from './survey-runner.js';
import { orderModules } from './identify/index.js';
import { getRun } from './survey-runs.js';
import { queryAudit } from './audit/audit-log.js';

/** A stand-in L7 module for the runner test: reads the first line and recognises "HELLO". */
const helloModule: L7Module = {
  name: 'hello',
  defaultPorts: [],
  async probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    const s = await ctx.connect(target, 'hello');
    const line = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(''), ctx.readTimeoutMs);
      s.once('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString().trim()); });
      s.once('close', () => { clearTimeout(timer); resolve(''); });
    });
    s.destroy();
    return { finding: { ...target, banner: line }, identified: line.startsWith('HELLO') };
  },
};
const settings: SurveySettings = { ratePerSecond: 2000, perHostRatePerSecond: 500, concurrency: 32, connectTimeoutMs: 500, readTimeoutMs: 300, retries: 1, maxCredentialAttempts: 3 };

describe('runSurvey (loopback, embedded stores)', () => {
  let dir: string;
  let stores: Stores;
  const servers: Server[] = [];
  let helloPort = 0;
  let otherPort = 0;
  const listen = async (ip: string, port: number, greet: string): Promise<Server> => {
    const s = createServer((c) => { c.on('error', () => undefined); c.end(greet); });
    await new Promise<void>((r, j) => { s.once('error', j); s.listen(port, ip, r); });
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-survey-'));
    stores = await openStores({ dataDir: dir });
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    helloPort = (probe.address() as AddressInfo).port;
    otherPort = helloPort + 1;
    await new Promise<void>((r) => probe.close(() => r()));
    await listen('127.0.0.1', helloPort, 'HELLO v1\r\n');
    await listen('127.0.0.2', otherPort, 'SSH-2.0-nope\r\n');
    await listen('127.0.0.4', helloPort, 'HELLO excluded\r\n');
    await createScope(stores.state, { name: 'loop', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.0/29'], validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000) });
    await addExclusion(stores.state, 'loop', { cidr: '127.0.0.4/32', reason: 'opt-out' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('discovers, identifies, post-processes and writes services; records the run and the audit', async () => {
    const seen: string[] = [];
    const sum = await runSurvey({
      state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'loop', modules: [helloModule], ports: [helloPort, otherPort], settings,
      postProcessors: [(row) => { seen.push(`${row.ip}:${row.port}`); if (row.banner.includes('v1')) row.tags = ['v1']; }],
    });
    expect(sum.status).toBe('done');
    expect(sum.scan).toMatchObject({ total: 16, done: 16, open: 2, excluded: 2 });
    expect(sum.services).toBe(2);
    const rows = await stores.events.query<{ ip: string; port: number; service: string; banner: string; tags: string[]; run_id: string; source: string }>(
      'SELECT toString(ip) AS ip, port, service, banner, tags, run_id, source FROM services ORDER BY port',
    );
    expect(rows).toEqual([
      { ip: '::ffff:127.0.0.1', port: helloPort, service: 'hello', banner: 'HELLO v1', tags: ['v1'], run_id: sum.runId, source: 'survey' },
      { ip: '::ffff:127.0.0.2', port: otherPort, service: 'unknown', banner: 'SSH-2.0-nope\\r\\n', tags: [], run_id: sum.runId, source: 'survey' },
    ]);
    expect(seen.sort()).toEqual([`127.0.0.1:${helloPort}`, `127.0.0.2:${otherPort}`]);
    const run = await getRun(stores.state, sum.runId);
    expect(run).toMatchObject({ status: 'done', scopeName: 'loop', targetsTotal: 16, targetsDone: 16, openPorts: 2, services: 2, batches: 1, modules: ['hello'] });
    const audit = await queryAudit(stores.state, { runId: sum.runId, limit: 1000 });
    expect(audit.filter((a) => a.module === 'scan')).toHaveLength(14);
    expect(audit.filter((a) => a.module === 'hello')).toHaveLength(2);
    expect(audit.some((a) => a.targetIp === '127.0.0.4')).toBe(false);
  }, 30_000);

  it('marks a port closed that was open in the current view and is closed now', async () => {
    const s = servers[1];
    await new Promise<void>((r) => s?.close(() => r()));
    const sum = await runSurvey({ state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'loop', modules: [helloModule], ports: [helloPort, otherPort], settings });
    expect(sum.closedNow).toBe(1);
    const cur = await stores.events.query<{ port: number; status: string }>("SELECT port, status FROM services_current FINAL ORDER BY port");
    expect(cur).toEqual([{ port: helloPort, status: 'open' }, { port: otherPort, status: 'closed' }]);
  }, 30_000);

  it('refuses an expired scope before anything is sent, and an unknown one', async () => {
    await createScope(stores.state, { name: 'old', owner: 't', legalBasis: 'x', cidrs: ['127.0.0.0/30'], validFrom: '2020-01-01', validTo: '2021-01-01' });
    await expect(runSurvey({ state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'old', modules: [helloModule], ports: [helloPort], settings })).rejects.toMatchObject({ code: 'SCOPE_EXPIRED' });
    await expect(runSurvey({ state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'nope', modules: [], ports: [1], settings })).rejects.toMatchObject({ code: 'SCOPE_NOT_FOUND' });
  });

  it('records an aborted run', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('operator stop')), 150);
    const sum = await runSurvey({
      state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'loop', modules: [], ports: Array.from({ length: 200 }, (_, i) => 20_000 + i),
      settings: { ...settings, ratePerSecond: 100 }, signal: ac.signal,
    });
    expect(sum.status).toBe('aborted');
    expect((await getRun(stores.state, sum.runId)).error).toBe('operator stop');
  }, 30_000);

  it('orders modules by their default ports', () => {
    const a = { ...helloModule, name: 'a', defaultPorts: [80] };
    const b = { ...helloModule, name: 'b', defaultPorts: [23] };
    expect(orderModules(23, [a, b], undefined).map((m) => m.name)).toEqual(['b', 'a']);
  });
});
