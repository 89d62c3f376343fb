/**
 * POST /honeypot/events: a platform admin stores a sensor chunk once however often it is sent; an
 * analyst may not; a bad row is named. A shipper through these routes that loses its state file
 * rebuilds it from GET /honeypot/journals/:journal/ranges and stores nothing twice.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SakimoriError, type ErrorCode } from '../errors.js';
import { shipSpool, type ShipTarget } from '../honeypot/sensor/journal-shipper.js';
import type { StoredRange } from '../honeypot/sensor/journal-ranges.js';
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

describe('a shipper delivering through the routes', () => {
  it('loses its state file (corrupt, emptied, deleted, stale) and still stores every event once', async () => {
    const spool = await mkdtemp(join(tmpdir(), 'sakimori-route-spool-'));
    try {
      // The routes as a shipper's target: the same requests the CLI's server target makes.
      const target: ShipTarget = {
        deliver: async (c) => {
          const r = await t.inject({ method: 'POST', url: '/api/v1/honeypot/events', payload: c });
          if (r.statusCode !== 200) { const b = r.json<{ code: ErrorCode; message: string }>(); throw new SakimoriError(b.code, b.message); }
        },
        stored: async (j) => {
          const r = await t.inject({ method: 'GET', url: `/api/v1/honeypot/journals/${j}/ranges` });
          expect(r.statusCode, r.body).toBe(200);
          return r.json<{ ranges: StoredRange[] }>().ranges;
        },
      };
      const name = '20261102T000000Z-9-0a0b0c0d-0000.jsonl';
      const journal = join(spool, name);
      const state = `${journal}.shipped`;
      const add = (from: number, to: number): void => {
        for (let i = from; i < to; i++) appendFileSync(journal, `${JSON.stringify({ ...login, session: 'route-ship', kind: 'command', input: `c-${i}`, username: undefined, password: undefined })}\n`);
      };
      const count = async (): Promise<{ n: string; d: string }> => (await t.ctx.events.query<{ n: string; d: string }>(
        "SELECT toString(count()) AS n, toString(uniqExact(input)) AS d FROM honeypot_events WHERE session = 'route-ship'"))[0] ?? { n: '', d: '' };
      add(0, 20);
      expect(await shipSpool(spool, target, { live: journal, maxChunkBytes: 1500 })).toMatchObject({ events: 20, stateProblems: [] });
      const damage: (() => void)[] = [() => writeFileSync(state, '{"do'), () => writeFileSync(state, ''), () => rmSync(state), () => writeFileSync(state, '{"done":0}')];
      for (const [k, d] of damage.entries()) {
        add(20 + k * 5, 25 + k * 5);
        d();
        const r = await shipSpool(spool, target, { live: journal, maxChunkBytes: 1000 + k * 700 });
        expect(r.stateProblems).toHaveLength(1);
        expect(r.stateProblems[0]).toContain(state);
        expect(await count()).toEqual({ n: String(25 + k * 5), d: String(25 + k * 5) });
      }
      const r = await t.inject({ method: 'GET', url: `/api/v1/honeypot/journals/${name}/ranges` });
      expect(r.json()).toEqual({ journal: name, ranges: [{ from: 0, to: readFileSync(journal).length, committed: true }] });
      expect((await t.inject({ method: 'GET', url: `/api/v1/honeypot/journals/${name}/ranges`, headers: analyst })).statusCode).toBe(403);
    } finally {
      await rm(spool, { recursive: true, force: true });
    }
  }, 120_000);
});
