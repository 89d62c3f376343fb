/**
 * The attacks of the security review (issue 12, items 2, 3 and 9) against the whole API on real
 * stores: each must fail. Keys minting keys, anonymous access on a fresh or all-disabled install,
 * the first-admin bootstrap by address or Host header, one-time sign-in links, the owner's socket,
 * malformed cookies and the security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from './testing/temp-app.js';
import { buildApp } from './app.js';
import { createUser, setDisabled } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { SignInLinks } from '../auth/sign-in-link.js';

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

describe('API keys cannot mint more than their caller', () => {
  let t: TempApp;
  beforeAll(async () => {
    t = await tempApp('keys');
    const org = await createOrg(t.ctx.state, { name: 'ISP K', kind: 'isp' });
    await createUser(t.ctx.state, { username: 'alice', password: TEST_PASSWORD, role: 'platform-admin' });
    await createUser(t.ctx.state, { username: 'mem', password: TEST_PASSWORD, role: 'org-member', org: org.id });
  }, 120_000);
  afterAll(() => t.dispose());

  it('a read-only key neither mints a key (with any scopes) nor revokes its user\'s other keys', async () => {
    const read = (await createApiKey(t.ctx.state, 'alice', 'reader', ['read'])).key;
    const other = (await createApiKey(t.ctx.state, 'alice', 'other', ['read', 'write'])).info;
    for (const scopes of [['read', 'write', 'admin'], ['read']]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(read), payload: { name: 'x', scopes } });
      expect(r.statusCode, scopes.join()).toBe(403);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/orgs', headers: bearer(read), payload: { name: 'Evil' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${other.id}`, headers: bearer(read) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(read) })).statusCode).toBe(403);
    const keys = await t.ctx.state.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [other.id]);
    expect(keys[0]?.revoked_at).toBeNull();
  });

  it('an admin key mints only within its scopes and its expiry, and its revocation takes what it minted', async () => {
    const soon = new Date(Date.now() + 3_600_000);
    const parent = await createApiKey(t.ctx.state, 'alice', 'short', ['read', 'admin'], soon);
    const wider = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(parent.key), payload: { name: 'w', scopes: ['read', 'write'] } });
    expect(wider.json()).toMatchObject({ code: 'FORBIDDEN', where: { field: 'scopes' } });
    const later = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(parent.key), payload: { name: 'l', scopes: ['read'], expiresAt: new Date(Date.now() + 86_400_000 * 365).toISOString() } });
    expect(later.json()).toMatchObject({ code: 'FORBIDDEN', where: { field: 'expiresAt' } });
    // No expiry asked: it inherits the caller's.
    const child = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(parent.key), payload: { name: 'c', scopes: ['read', 'admin'] } });
    expect(child.statusCode).toBe(201);
    const c = child.json<{ key: string; info: { expiresAt: string } }>();
    expect(new Date(c.info.expiresAt).getTime()).toBe(soon.getTime());
    const grandchild = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(c.key), payload: { name: 'g', scopes: ['read'] } });
    const g = grandchild.json<{ key: string }>().key;
    expect((await t.app.inject({ url: '/api/v1/cases', headers: bearer(g) })).statusCode).toBe(200);
    await t.inject({ method: 'DELETE', url: `/api/v1/api-keys/${parent.info.id}` });
    for (const k of [parent.key, c.key, g]) expect((await t.app.inject({ url: '/api/v1/cases', headers: bearer(k) })).json()).toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('a member\'s session makes read keys for itself only; an admin makes keys for others within their role', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mem', password: TEST_PASSWORD } });
    const cookie = `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(login.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
    const headers = { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'm', scopes: ['read'] } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'm', scopes: ['write'] } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'm', scopes: ['read'], user: 'alice' } })).statusCode).toBe(403);
    expect((await t.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'for-mem', scopes: ['read', 'write'], user: 'mem' } })).statusCode).toBe(403);
    expect((await t.inject({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'for-mem', scopes: ['read'], user: 'mem' } })).statusCode).toBe(201);
  });
});

describe('nobody is anonymous', () => {
  let t: TempApp;
  const links = new SignInLinks();
  beforeAll(async () => {
    t = await tempApp('anon', {}, { links });
  }, 120_000);
  afterAll(() => t.dispose());

  /** What the review's anonymous client did, from this machine, with the Host header of this machine. */
  const attacks = [
    { method: 'POST' as const, url: '/api/v1/scopes', payload: { name: 'all', cidrs: ['0.0.0.0/0'], owner: 'x', legalBasis: 'x', validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' } },
    { method: 'POST' as const, url: '/api/v1/users', payload: { username: 'evil', password: 'a very long evil password', role: 'platform-admin' } },
    { method: 'GET' as const, url: '/api/v1/search?q=*' },
    { method: 'GET' as const, url: '/api/v1/darknet/report' },
    { method: 'GET' as const, url: '/api/v1/orgs' },
    { method: 'GET' as const, url: '/api/v1/no-such-route' },
    { method: 'GET' as const, url: '/api/docs/json' },
    { method: 'GET' as const, url: '/metrics' },
  ];
  const tryAll = async (): Promise<void> => {
    for (const a of attacks) {
      for (const headers of [{}, { host: 'localhost' }, { host: '127.0.0.1:8080', 'x-forwarded-for': '127.0.0.1' }]) {
        const r = await t.app.inject({ ...a, headers, remoteAddress: '127.0.0.1' });
        expect(r.statusCode, `${a.method} ${a.url}`).toBe(401);
        expect(r.json(), a.url).toMatchObject({ code: 'AUTH_REQUIRED' });
      }
    }
  };

  it('refuses every route but liveness while the only user is disabled, and with every user disabled', async () => {
    await setDisabled(t.ctx.state, 'test-admin', true);
    await tryAll();
    const status = await t.app.inject({ url: '/api/v1/status' });
    expect(status.json()).toEqual({ ok: true });
    await setDisabled(t.ctx.state, 'test-admin', false);
    const users = await t.ctx.state.query<{ username: string }>('SELECT username FROM users');
    expect(users.map((u) => u.username)).toEqual(['test-admin']);
  });

  it('refuses on a store without any user (a fresh install)', async () => {
    await t.ctx.state.query('DELETE FROM users');
    await tryAll();
    expect(await t.ctx.state.query('SELECT 1 FROM scopes')).toEqual([]);
  });

  it('a one-time sign-in link opens one session as the local platform admin, once', async () => {
    const token = links.issue();
    expect((await t.app.inject({ url: '/api/v1/auth/link?token=guessed' })).statusCode).toBe(401);
    const open = await t.app.inject({ url: `/api/v1/auth/link?token=${token}` });
    expect(open.statusCode).toBe(303);
    expect(open.headers.location).toBe('/');
    const cookie = `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(open.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json()).toMatchObject({ user: { username: 'local-admin', role: 'platform-admin' }, via: 'session' });
    expect((await t.app.inject({ url: `/api/v1/auth/link?token=${token}` })).json()).toMatchObject({ code: 'AUTH_FAILED' });
    // local-admin has no password: it cannot sign in with one.
    const pw = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'local-admin', password: '!' } });
    expect(pw.statusCode).toBe(401);
    // Disabling it turns the links off.
    await setDisabled(t.ctx.state, 'local-admin', true);
    expect((await t.app.inject({ url: `/api/v1/auth/link?token=${links.issue()}` })).statusCode).toBe(403);
  });

  it('the data directory\'s socket app answers its owner as a platform admin', async () => {
    const peer = await buildApp(t.ctx, { peer: true, links });
    try {
      const me = await peer.inject({ url: '/api/v1/auth/me' });
      expect(me.json()).toMatchObject({ via: 'peer', user: { role: 'platform-admin' } });
      const link = await peer.inject({ method: 'POST', url: '/api/v1/auth/links' });
      expect(link.statusCode).toBe(201);
      expect((await t.app.inject({ url: `/api/v1/auth/link?token=${link.json<{ token: string }>().token}` })).statusCode).not.toBe(401);
    } finally {
      await peer.close();
    }
  });

  it('a malformed session cookie is a 400, not a 500', async () => {
    const r = await t.app.inject({ url: '/api/v1/cases', headers: { cookie: 'sakimori_session=%E0%A4%A' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_REQUEST', where: { cookie: 'sakimori_session' } });
  });

  it('sends security headers: a CSP without inline script, no framing, no sniffing, no foreign referrer', async () => {
    for (const url of ['/api/v1/status', '/api/v1/cases']) {
      const r = await t.inject({ url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('same-origin');
    }
    const docs = await t.inject({ url: '/api/docs/static/index.html' });
    expect(String(docs.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});
