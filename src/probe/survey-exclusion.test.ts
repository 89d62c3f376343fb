/**
 * An exclusion (an opt-out, a hospital) added while surveys run stops all traffic to it within
 * 1 s in every run it applies to, and each run's audit says from when it applied; a scope whose
 * validity is cut short stops its run. Times are compared with the rule itself (1 s), never with
 * how fast things usually are, so a loaded machine does not make the test flaky.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEnricher } from '../enrich/index.js';
import { openStores, type Stores } from '../store/open-stores.js';
import { queryAudit, type AuditRow } from './audit/audit-log.js';
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from './module.js';
import { addExclusion, createScope } from './scope/scope-store.js';
import { runSurvey, type SurveySettings, type SurveySummary } from './survey-runner.js';
import { startAcceptRecorder, type AcceptRecorder } from './testing/accept-recorder.js';
import { tryConnect } from './try-connect.js';

const RULE_MS = 1000;

/** Reads the greeting, then opens two follow-up connections (as a credential check does). */
const followUpModule: L7Module = {
  name: 'hello',
  defaultPorts: [],
  async probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    let banner = '';
    for (let i = 0; i < 3; i++) {
      const c = await tryConnect(target, ctx, 'hello');
      if (!('sock' in c)) return { finding: { ...target, status: c.status, error: c.error }, identified: false };
      const s = c.sock;
      const line = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(''), ctx.readTimeoutMs);
        s.once('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString().trim()); });
        s.once('close', () => { clearTimeout(timer); resolve(''); });
        s.once('error', () => undefined);
      });
      s.destroy();
      if (i === 0) banner = line;
    }
    return { finding: { ...target, banner }, identified: banner.startsWith('HELLO') };
  },
};

// Slow enough that each run lasts a few seconds: the exclusion lands in the middle of it.
const settings: SurveySettings = { ratePerSecond: 40, perHostRatePerSecond: 40, concurrency: 8, connectTimeoutMs: 1000, readTimeoutMs: 500, retries: 1, maxCredentialAttempts: 3 };
const PORTS = 16;

const valid = { validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000) };

describe('exclusions and scope changes during a running survey', () => {
  let dir: string;
  let stores: Stores;
  const recorders: AcceptRecorder[] = [];
  const run = (scope: string, ports: readonly number[]): Promise<SurveySummary> =>
    runSurvey({ state: stores.state, events: stores.events, enricher: createEnricher({}), scope, modules: [followUpModule], ports, settings });
  const listen = async (ip: string): Promise<AcceptRecorder> => {
    const r = await startAcceptRecorder(ip, PORTS, 'HELLO\r\n');
    recorders.push(r);
    return r;
  };
  /** Waits until `r` has accepted `n` connections (the surveys are under way). */
  const accepted = async (r: AcceptRecorder, n: number): Promise<void> => {
    for (;;) {
      if ((await r.accepts()).length >= n) return;
      await new Promise((res) => setTimeout(res, 50));
    }
  };
  /** Connections accepted more than 1 s after `committedAt`. */
  const late = async (r: AcceptRecorder, committedAt: number): Promise<number> => (await r.accepts()).filter((a) => a.at > committedAt + RULE_MS).length;
  const audit = (runId: string): Promise<AuditRow[]> => queryAudit(stores.state, { runId, limit: 10_000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-exclusion-'));
    stores = await openStores({ dataDir: dir });
  }, 60_000);
  afterEach(async () => {
    for (const r of recorders.splice(0)) await r.close();
  });
  afterAll(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a global exclusion added through the store stops every running survey within 1 s; each audit shows the cut-over', async () => {
    const target = await listen('127.0.0.10');
    await createScope(stores.state, { name: 'a1', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.8/30'], ...valid });
    await createScope(stores.state, { name: 'a2', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.10/31'], ...valid });
    const runs = Promise.all([run('a1', target.ports), run('a2', target.ports)]);
    await accepted(target, 10);
    const before = Date.now();
    const ex = await addExclusion(stores.state, null, { cidr: '127.0.0.10/32', reason: 'hospital' });
    const committedAt = Date.now();
    const sums = await runs;

    expect((await target.accepts()).filter((a) => a.at <= before).length).toBeGreaterThanOrEqual(10);
    expect(await late(target, committedAt)).toBe(0);
    for (const sum of sums) {
      // An exclusion skips its targets; the rest of the run goes on.
      expect(sum.status).toBe('done');
      const rows = await audit(sum.runId);
      const cut = rows.find((r) => r.module === `exclusion:${ex.id}`);
      expect(cut, `cut-over of run ${sum.runId}`).toMatchObject({ targetIp: '127.0.0.10', port: 0, sourceIp: null });
      const cutAt = Date.parse(cut?.at ?? '');
      expect(cutAt).toBeGreaterThanOrEqual(before);
      expect(cutAt).toBeLessThanOrEqual(committedAt + RULE_MS);
      const conns = rows.filter((r) => !r.module.startsWith('exclusion:'));
      expect(conns.filter((r) => r.targetIp === '127.0.0.10' && Date.parse(r.at) > cutAt)).toEqual([]);
      expect(conns.some((r) => r.targetIp !== '127.0.0.10' && Date.parse(r.at) > cutAt)).toBe(true);
    }
  }, 60_000);

  it('a scope exclusion written by another process is seen by polling, in that scope only', async () => {
    const target = await listen('127.0.0.14');
    const b1 = await createScope(stores.state, { name: 'b1', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.12/30'], ...valid });
    await createScope(stores.state, { name: 'b2', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.14/31'], ...valid });
    const runs = Promise.all([run('b1', target.ports), run('b2', target.ports)]);
    await accepted(target, 10);
    // Straight into the table, as a CLI on another machine sharing the PostgreSQL server would: no in-process notice.
    const [row] = await stores.state.query<{ id: number }>(
      `INSERT INTO scope_exclusions (scope_id, cidr, reason) VALUES ($1, '127.0.0.14/32', 'opt-out by phone') RETURNING id`, [b1.id],
    );
    const committedAt = Date.now();
    const [s1, s2] = await runs;
    expect(s1?.status).toBe('done');
    expect(s2?.status).toBe('done');
    const rows1 = await audit(s1?.runId ?? '');
    const cut = rows1.find((r) => r.module === `exclusion:${Number(row?.id)}`);
    expect(cut).toMatchObject({ targetIp: '127.0.0.14', port: 0 });
    const cutAt = Date.parse(cut?.at ?? '');
    expect(cutAt).toBeLessThanOrEqual(committedAt + RULE_MS);
    expect(rows1.filter((r) => r.targetIp === '127.0.0.14' && r.port !== 0 && Date.parse(r.at) > cutAt)).toEqual([]);
    // The other scope's run is not bound by it.
    const rows2 = await audit(s2?.runId ?? '');
    expect(rows2.some((r) => r.module.startsWith('exclusion:'))).toBe(false);
    expect(rows2.some((r) => r.targetIp === '127.0.0.14' && Date.parse(r.at) > committedAt + RULE_MS)).toBe(true);
  }, 60_000);

  it('a scope whose validity is cut short during a run stops it within 1 s', async () => {
    const target = await listen('127.0.0.18');
    await createScope(stores.state, { name: 'c', owner: 'test', legalBasis: 'own machine', cidrs: ['127.0.0.16/30'], ...valid });
    const running = run('c', target.ports);
    await accepted(target, 10);
    await stores.state.query(`UPDATE scopes SET valid_to = now() WHERE name = 'c'`);
    const committedAt = Date.now();
    const sum = await running;
    expect(await late(target, committedAt)).toBe(0);
    expect(sum.status).toBe('aborted');
    expect(sum.error).toMatch(/no longer valid/);
  }, 60_000);
});
