/**
 * The contract of `report flows` (CLI --json and GET /api/v1/flows/report): totals as exported
 * and scaled by sampling, the reverse direction of biflows, records per kind, exporters with
 * their datagrams, loss and sampling rates; for platform admins and analysts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from '../../api/testing/temp-app.js';
import { runCli } from '../../../test/helpers/cli.js';
import { createUser } from '../../auth/users.js';
import { createApiKey } from '../../auth/api-keys.js';
import { createOrg } from '../../orgs/org-store.js';
import { FLOW_KIND, FlowBatch, type FlowKind } from '../flow-batch.js';
import { writeFlows } from '../store/write-flows.js';
import { ExporterStats } from '../collect/exporter-stats.js';
import { saveExporterDeltas } from '../collect/exporter-store.js';
import type { FlowReport } from './flow-report.js';

let t: TempApp;
const T = Date.UTC(2026, 11, 1, 10, 30);

function add(b: FlowBatch, kind: FlowKind, exporter: number, octets: number, sampling: number, rev = 0): void {
  const i = b.begin();
  b.kind[i] = FLOW_KIND[kind];
  b.family[i] = 4;
  FlowBatch.setV4(b.exporter16, i, exporter);
  FlowBatch.setV4(b.src16, i, 0x0a000001);
  FlowBatch.setV4(b.dst16, i, 0xcb007101);
  b.domain[i] = 5;
  b.sport[i] = 50000;
  b.dport[i] = 443;
  b.proto[i] = 6;
  b.startMs[i] = T;
  b.endMs[i] = T + 1000;
  b.octets[i] = octets;
  b.packets[i] = 2;
  b.revOctets[i] = rev;
  b.revPackets[i] = rev > 0 ? 1 : 0;
  b.sampling[i] = sampling;
  b.commit();
}

beforeAll(async () => {
  t = await tempApp('flow-report');
  const b = new FlowBatch(8);
  add(b, 'netflow5', 0xc0000201, 1000, 10);
  add(b, 'netflow5', 0xc0000201, 500, 10);
  add(b, 'ipfix', 0xc0000202, 300, 1);
  add(b, 'argus', 0, 100, 1, 4000);
  await writeFlows(t.ctx.events, b, { token: 'report-1' });
  const stats = new ExporterStats();
  stats.observe({ protocol: 'netflow5', domain: 5, agent: '', sequence: 0, sequenceUnit: 'records', sequenceCount: 1, records: 1, held: 0, samplingRates: [10] }, '192.0.2.1', T);
  stats.observe({ protocol: 'netflow5', domain: 5, agent: '', sequence: 31, sequenceUnit: 'records', sequenceCount: 1, records: 1, held: 0, samplingRates: [10] }, '192.0.2.1', T + 1000);
  await saveExporterDeltas(t.ctx.state, stats.takeDeltas());
}, 120_000);
afterAll(async () => { await t.dispose(); });

const WINDOW = 'from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z';

describe('report flows', () => {
  it('answers the contract from the aggregates (GET /api/v1/flows/report)', async () => {
    const res = await t.inject(`/api/v1/flows/report?${WINDOW}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<FlowReport>();
    expect(r).toMatchObject({
      from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z',
      records: 4, octets: 1900, packets: 8, reverseOctets: 4000, reversePackets: 1, scaledOctets: 15400, scaledPackets: 44,
      byVersion: { netflow5: 2, ipfix: 1, argus: 1 },
    });
    const v5 = r.exporters.find((e) => e.address === '192.0.2.1');
    expect(v5).toMatchObject({ domain: 5, records: 2, datagrams: 2, lost: 30, samplingRates: [10], protocols: ['netflow5'] });
    expect(r.exporters.find((e) => e.address === '192.0.2.2')).toMatchObject({ records: 1, datagrams: 0, protocols: ['ipfix'] });
    expect(r.exporters[0]?.address).toBe('192.0.2.1'); // busiest first
    // Another window: nothing.
    const empty = (await t.inject('/api/v1/flows/report?from=2026-11-01&to=2026-11-02')).json<FlowReport>();
    expect(empty).toMatchObject({ records: 0, octets: 0, byVersion: {} });
  });

  it('lists exporters, and keeps both routes to platform admins and analysts', async () => {
    const ex = await t.inject('/api/v1/flows/exporters');
    expect(ex.statusCode).toBe(200);
    expect(ex.json<{ exporters: unknown[] }>().exporters).toEqual([expect.objectContaining({ exporter: '192.0.2.1', protocol: 'netflow5', lost: 30, lostUnit: 'records' })]);
    const org = await createOrg(t.ctx.state, { name: 'ISP A', kind: 'isp', country: 'JP' });
    await createUser(t.ctx.state, { username: 'analyst1', password: TEST_PASSWORD, role: 'analyst' });
    await createUser(t.ctx.state, { username: 'member1', password: TEST_PASSWORD, role: 'org-member', org: org.id });
    const analyst = (await createApiKey(t.ctx.state, 'analyst1', 't', ['read'])).key;
    const member = (await createApiKey(t.ctx.state, 'member1', 't', ['read'])).key;
    expect((await t.inject({ url: `/api/v1/flows/report?${WINDOW}`, headers: { authorization: `Bearer ${analyst}` } })).statusCode).toBe(200);
    for (const url of [`/api/v1/flows/report?${WINDOW}`, '/api/v1/flows/exporters']) {
      const res = await t.inject({ url, headers: { authorization: `Bearer ${member}` } });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.app.inject({ url: '/api/v1/flows/exporters' })).statusCode).toBe(401);
  });

  it('prints the same contract as JSON from the CLI (sakimori report flows --json)', async () => {
    await t.app.close();
    await t.ctx.close();
    const r = await runCli(['--data', t.dir, 'report', 'flows', '--from', '2026-12-01', '--to', '2026-12-02', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as FlowReport;
    expect(Object.keys(j).sort()).toEqual(['byVersion', 'exporters', 'from', 'octets', 'packets', 'records', 'reverseOctets', 'reversePackets', 'scaledOctets', 'scaledPackets', 'to']);
    expect(j).toMatchObject({ records: 4, scaledOctets: 15400, byVersion: { netflow5: 2, ipfix: 1, argus: 1 } });
    expect(Object.keys(j.exporters[0] ?? {})).toEqual(expect.arrayContaining(['address', 'domain', 'datagrams', 'records', 'lost', 'samplingRates']));
    const human = await runCli(['--data', t.dir, 'report', 'flows', '--from', '2026-12-01']);
    expect(human.stdout).toMatch(/^Flow report 2026-12-01T00:00:00.000Z – 2026-12-02T00:00:00.000Z\n/);
    expect(human.stdout).toMatch(/records 4 {3}octets 1,900 B {3}packets 8/);
    expect(human.stdout).toMatch(/by kind: netflow5 2, ipfix 1, argus 1/);
    expect(human.stdout).toMatch(/192\.0\.2\.1 +5 +2 +2 +30 +10 +netflow5/);
  }, 120_000);
});
