/**
 * Login throttling (issue 12 item 9): bad passwords from anyone locked the real admin out for
 * 15 minutes. Now a back-off per (username, source address) that doubles with each failure, and
 * a looser cap per source across usernames (password spraying); an attacker elsewhere cannot
 * lock the account out at the admin's address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { login } from '../auth/sessions.js';
import { SakimoriError } from '../errors.js';

const PW = 'correct horse battery';
const ADMIN_AT = '192.0.2.10';
const ATTACKER_AT = '203.0.113.66';

describe('login throttling', () => {
  let t: TempApp;
  const N = 3;
  const attempt = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });
  const clear = () => t.ctx.state.query('DELETE FROM login_attempts');

  beforeAll(async () => {
    t = await tempApp('login-throttle', { auth: { maxFailedLogins: N, throttleMinutes: 15 } });
    await createUser(t.ctx.state, { username: 'root', password: PW, role: 'platform-admin' });
    for (const u of ['u1', 'u2', 'u3']) await createUser(t.ctx.state, { username: u, password: PW, role: 'analyst' });
  }, 60_000);
  afterAll(() => t.dispose());

  it('lets the admin in from its own address while an attacker elsewhere hammers the account', async () => {
    await clear();
    const codes: string[] = [];
    for (let i = 0; i < 4 * N; i++) codes.push((await attempt('root', `guess ${i} guess`, ATTACKER_AT)).json<{ code: string }>().code);
    expect(codes.slice(0, N)).toEqual(Array<string>(N).fill('AUTH_FAILED'));
    // Mostly refused: a try after a back-off has run out is answered (the exact waits are below).
    expect(codes.slice(N)).toContain('AUTH_THROTTLED');
    expect(codes.filter((c) => c !== 'AUTH_FAILED' && c !== 'AUTH_THROTTLED')).toEqual([]);
    const admin = await attempt('root', PW, ADMIN_AT);
    expect(admin.statusCode, admin.body).toBe(200);
  });

  it('answers a throttled attempt with 429 and Retry-After, without telling whether the user exists', async () => {
    await clear();
    for (const user of ['root', 'nobody-here']) {
      for (let i = 0; i < N; i++) expect((await attempt(user, 'wrong wrong wrong', ATTACKER_AT)).json()).toMatchObject({ code: 'AUTH_FAILED' });
      const r = await attempt(user, 'wrong wrong wrong', ATTACKER_AT);
      expect(r.statusCode).toBe(429);
      expect(r.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
      const after = Number(r.headers['retry-after']);
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(2);
    }
  });

  it('backs off exponentially per (user, source), capped at throttleMinutes; a success starts afresh', async () => {
    await clear();
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    // A one-minute cap here keeps the rounds few; the API above runs with the 15 minutes.
    const opts = { maxFailures: N, windowMinutes: 1 };
    const tryAt = async (ms: number, password = 'wrong wrong wrong', ip = ATTACKER_AT): Promise<string | number> => {
      try {
        await login(t.ctx.state, 'u1', password, ip, opts, new Date(t0 + ms));
        return 'ok';
      } catch (e) {
        if (!(e instanceof SakimoriError)) throw e;
        return e.code === 'AUTH_THROTTLED' ? Number(e.where['retryAfter']) : e.code;
      }
    };
    let at = 0;
    for (let i = 0; i < N; i++) expect(await tryAt(at++)).toBe('AUTH_FAILED');
    at--;
    // Waits after the last failure: 2, 4, 8 … seconds, never more than throttleMinutes.
    const waits: number[] = [];
    for (let k = 0; k < 8; k++) {
      const wait = await tryAt(at + 1);
      expect(typeof wait).toBe('number');
      waits.push(Number(wait));
      at += Number(wait) * 1000;
      // Refused until the wait is over, the right password too.
      expect(await tryAt(at - 1, PW)).toBe(1);
      expect(await tryAt(at)).toBe('AUTH_FAILED');
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
    // The same user from another address, and the right password there, are not held back.
    expect(await tryAt(at + 1, PW, ADMIN_AT)).toBe('ok');
    // After the wait, the right password gets in and the count starts afresh.
    at += 60 * 1000;
    expect(await tryAt(at, PW)).toBe('ok');
    for (let i = 0; i < N; i++) expect(await tryAt(at + 1 + i)).toBe('AUTH_FAILED');
    expect(await tryAt(at + N + 1)).toBe(2);
  });

  it('caps one source across usernames (password spraying) without touching other sources', async () => {
    await clear();
    const codes: string[] = [];
    // One try per username stays under the per-user back-off; the per-source cap is 4× N.
    for (let i = 0; i < 4 * N + 2; i++) codes.push((await attempt(`spray${i}`, 'Summer2026!', ATTACKER_AT)).json<{ code: string }>().code);
    expect(codes.slice(0, 4 * N)).toEqual(Array<string>(4 * N).fill('AUTH_FAILED'));
    expect(codes.slice(4 * N)).toEqual(['AUTH_THROTTLED', 'AUTH_THROTTLED']);
    const r = await attempt('u2', PW, ATTACKER_AT);
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect((await attempt('u2', PW, ADMIN_AT)).statusCode).toBe(200);
  });

  it('does not let parallel attempts slip past the count', async () => {
    await clear();
    const all = await Promise.all(Array.from({ length: 5 * N }, (_, i) => attempt('u3', `parallel ${i} guess`, ATTACKER_AT)));
    const failed = all.filter((r) => r.json<{ code: string }>().code === 'AUTH_FAILED').length;
    expect(failed).toBe(N);
    expect(all.length - failed).toBe(4 * N);
  });

  it('counts an IPv6 source by its /64, so a host cannot rotate addresses of its own network', async () => {
    await clear();
    for (let i = 0; i < N; i++) expect((await attempt('u3', 'wrong wrong wrong', `2001:db8:1:2::${i + 1}`)).json()).toMatchObject({ code: 'AUTH_FAILED' });
    expect((await attempt('u3', 'wrong wrong wrong', '2001:db8:1:2:ffff::9')).statusCode).toBe(429);
    expect((await attempt('u3', PW, '2001:db8:1:3::1')).statusCode).toBe(200);
  });
});
