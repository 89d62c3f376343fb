/**
 * The console's flow routes: C&C candidates and the server page, answered from a small
 * synthetic ISP; platform admins and analysts only, and every raw read audited with its reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { synthFlowsToStore, type SynthFlowsResult } from '../flows/synth/synth-flows.js';
import type { CncCandidateBody, ServerViewBody } from './contract/flows.js';

let t: TempApp;
let truth: SynthFlowsResult;
let analyst: Record<string, string>;
let member: Record<string, string>;
const WINDOW = 'from=2026-12-01T00:00:00Z&to=2026-12-01T12:00:00Z';

beforeAll(async () => {
  t = await tempApp('flow-console');
  truth = await synthFlowsToStore(t.ctx.events, { seed: 7, clients: 200, hours: 12 });
  const org = await createOrg(t.ctx.state, { name: 'ISP A', kind: 'isp', country: 'JP' });
  await createUser(t.ctx.state, { username: 'analyst1', password: TEST_PASSWORD, role: 'analyst' });
  await createUser(t.ctx.state, { username: 'member1', password: TEST_PASSWORD, role: 'org-member', org: org.id });
  analyst = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'analyst1', 't', ['read'])).key}` };
  member = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'member1', 't', ['read'])).key}` };
}, 180_000);
afterAll(async () => { await t.dispose(); });

const reads = (purpose: string) => t.ctx.state.query<{ user_id: string | null; records: string | null; detail: Record<string, unknown> }>(
  'SELECT user_id, records::text AS records, detail FROM flow_raw_reads WHERE purpose = $1 ORDER BY id', [purpose]);
const userId = async (name: string): Promise<string> => (await t.ctx.state.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [name]))[0]?.id ?? '';

describe('flow console routes', () => {
  let top: CncCandidateBody | undefined;

  it('lists candidates best first with parts and evidence, a planted C&C server among them; the read is audited as the analyst', async () => {
    const res = await t.inject({ url: `/api/v1/flows/candidates?${WINDOW}&limit=10`, headers: analyst });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<CncCandidateBody[]>();
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(list[i]?.score ?? 0);
    top = list[0];
    const planted = new Set(truth.labels.map((l) => `${l.server}|${l.port}|${l.proto}`));
    expect(list.some((c) => planted.has(`${c.server}|${c.port}|${c.proto}`))).toBe(true);
    expect(Object.keys(top?.parts ?? {})).toEqual(expect.arrayContaining(['beacon', 'rarity', 'darknet', 'indicator']));
    expect(top?.evidence?.length).toBeGreaterThan(0);
    const audit = await reads('cnc-console');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.user_id).toBe(await userId('analyst1'));
    expect(Number(audit[0]?.records)).toBeGreaterThan(0);
  });

  it('shows a server: clients per hour from the aggregate, the interval histogram and its score, each raw read audited', async () => {
    expect(top).toBeDefined();
    if (!top) return;
    const url = `/api/v1/flows/servers/${top.server}?port=${top.port}&proto=${top.proto}&${WINDOW}`;
    const res = await t.inject({ url, headers: analyst });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json<ServerViewBody>();
    expect(v).toMatchObject({ server: top.server, port: top.port, proto: top.proto, from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T12:00:00.000Z' });
    expect(v.hours.length).toBeGreaterThan(0);
    expect(v.hours.length).toBeLessThanOrEqual(12);
    expect(Math.max(...v.hours.map((h) => h.clients))).toBeGreaterThan(0);
    expect(Math.max(...v.hours.map((h) => h.clients))).toBeLessThanOrEqual(top.clients);
    expect(v.intervals[0]).toMatchObject({ fromSeconds: 0, toSeconds: 1 });
    expect(v.intervals.at(-1)?.toSeconds).toBeNull();
    const intervals = v.intervals.reduce((s, b) => s + b.count, 0);
    expect(intervals).toBeGreaterThan(0);
    // A beacon: most intervals in one bucket.
    expect(Math.max(...v.intervals.map((b) => b.count))).toBeGreaterThan(intervals / 2);
    expect(v.candidate).toMatchObject({ server: top.server, port: top.port, score: top.score, parts: top.parts });
    const audit = await reads('server-page');
    expect(audit.length).toBe(2); // the histogram, the score
    for (const a of audit) expect(a.user_id).toBe(await userId('analyst1'));
    expect(audit[0]?.detail).toMatchObject({ server: top.server, port: top.port, proto: top.proto });
    expect(Number(audit[0]?.records)).toBeGreaterThanOrEqual(intervals);
  });

  it('answers a server nobody talks to with empty figures and no candidate; refuses a bad address', async () => {
    const v = (await t.inject(`/api/v1/flows/servers/203.0.113.250?port=81&${WINDOW}`)).json<ServerViewBody>();
    expect(v).toMatchObject({ hours: [], candidate: null, proto: 6 });
    expect(v.intervals.every((b) => b.count === 0)).toBe(true);
    expect((await t.inject(`/api/v1/flows/servers/not-an-ip?port=81`)).json()).toMatchObject({ code: 'BAD_IP' });
    expect((await t.inject(`/api/v1/flows/servers/203.0.113.250`)).statusCode).toBe(400);
  });

  it('keeps both routes to platform admins and analysts', async () => {
    for (const url of [`/api/v1/flows/candidates?${WINDOW}`, `/api/v1/flows/servers/203.0.113.250?port=81&${WINDOW}`]) {
      const before = (await t.ctx.state.query('SELECT id FROM flow_raw_reads')).length;
      expect((await t.inject({ url, headers: member })).statusCode).toBe(403);
      expect((await t.app.inject({ url })).statusCode).toBe(401);
      // Refused before any raw read.
      expect((await t.ctx.state.query('SELECT id FROM flow_raw_reads')).length).toBe(before);
    }
  });
});
