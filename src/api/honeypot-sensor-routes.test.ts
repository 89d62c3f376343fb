/** POST /honeypot/events: a platform admin stores a sensor chunk once however often it is sent; an analyst may not; a bad row is named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { createUser } from '../auth/users.js';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';

let t: TempApp;
let analyst: Record<string, string>;
beforeAll(async () => {
  t = await tempApp('honeypot-sensor-routes');
  await createUser(t.ctx.state, { username: 'analyst1', password: TEST_PASSWORD, role: 'analyst' });
  analyst = { authorization: `Bearer ${(await createApiKey(t.ctx.state, 'analyst1', 't', ['read', 'write'])).key}` };
}, 180_000);
afterAll(async () => { await t?.dispose(); });

const chunk = (events: unknown[]) => ({ journal: '20261102T000000Z-7-0000.jsonl', from: 0, to: 300, events });
const login = { ts: '2026-11-02T00:00:01.5Z', honeypot: 'sakimori', sensor: 's', session: 'a', kind: 'login', proto: 'telnet', src: '192.0.2.7', src_port: 40000, dst: '127.0.0.1', dst_port: 23, username: 'root', password: 'xc3511', success: 1 };

describe('POST /api/v1/honeypot/events', () => {
  it('stores a chunk once however often it is posted', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await t.inject({ method: 'POST', url: '/api/v1/honeypot/events', payload: chunk([login, { ...login, kind: 'command', input: 'enable', username: undefined, password: undefined }]) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual(i === 0 ? { stored: 2, repeated: false } : { stored: 0, repeated: true });
    }
    const rows = await t.ctx.events.query<{ n: string }>("SELECT toString(count()) AS n FROM honeypot_events WHERE honeypot = 'sakimori'");
    expect(rows[0]?.n).toBe('2');
  });

  it('refuses an analyst, and names a bad row', async () => {
    expect((await t.inject({ method: 'POST', url: '/api/v1/honeypot/events', payload: chunk([login]), headers: analyst })).statusCode).toBe(403);
    const bad = await t.inject({ method: 'POST', url: '/api/v1/honeypot/events', payload: { ...chunk([login, { ...login, src: 'not-an-ip' }]), from: 300, to: 600 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('events[1]: src: not an address');
    const unknown = await t.inject({ method: 'POST', url: '/api/v1/honeypot/events', payload: chunk([{ ...login, extra: 1 }]) });
    expect(unknown.statusCode).toBe(400);
  });
});
