import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { migration as orgs } from '../store/migrations/state/005-organisations.js';
import { migration as principals } from '../store/migrations/state/006-principals.js';
import { migration as keyParents } from '../store/migrations/state/013-api-key-parents.js';
import { configSchema } from '../config/schema.js';
import { isSakimoriError } from '../errors.js';
import { installAuth } from './auth-plugin.js';
import { SignInLinks } from '../auth/sign-in-link.js';
import { authRoutes } from './auth-routes.js';
import { createUser } from '../auth/users.js';
import { createOrg } from '../orgs/org-store.js';
import { hashPassword, verifyPassword } from '../auth/password.js';

const PW = 'correct horse battery';

describe('authentication', () => {
  let state: PgliteStateStore;
  let app: FastifyInstance;
  const links = new SignInLinks();
  const config = configSchema.parse({ auth: { maxFailedLogins: 3 } });

  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const s of [...orgs.statements, ...principals.statements, ...keyParents.statements]) await state.exec(s);
    const ctx = { config, state };
    app = Fastify();
    app.setErrorHandler((err, _req, reply) => (isSakimoriError(err) ? reply.status(err.status).send(err.toJSON()) : reply.status(500).send({ message: err instanceof Error ? err.message : String(err) })));
    installAuth(app, ctx);
    await app.register(async (api) => {
      await api.register(authRoutes, { ctx, links });
      api.get('/things', async () => ({ things: [1, 2] }));
      api.post('/things', async () => ({ created: true }));
      api.get('/status', async () => ({ ok: true }));
    }, { prefix: '/api/v1' });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await state.close();
  });

  it('hashes passwords with scrypt and verifies in constant form', async () => {
    const h = await hashPassword(PW);
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(PW, h)).toBe(true);
    expect(await verifyPassword(`${PW}x`, h)).toBe(false);
    expect(await verifyPassword(PW, 'md5$abc')).toBe(false);
    expect(h).not.toContain(PW);
  });

  it('serves nobody anonymously, not even a fresh install; the first admin comes from the CLI or a sign-in link', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/things' })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'root', password: PW, role: 'platform-admin' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/status' })).json()).toEqual({ ok: true });
    await createUser(state, { username: 'root', password: PW, role: 'platform-admin' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/things' })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('signs in with a secure session cookie, requires the CSRF token for changes, signs out', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PW }, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.statusCode).toBe(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('sakimori_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Secure/);
    const token = /sakimori_session=([^;]+)/.exec(session ?? '')?.[1] ?? '';
    const { csrfToken } = res.json<{ csrfToken: string }>();
    const cookie = `sakimori_session=${token}`;
    expect((await app.inject({ method: 'GET', url: '/api/v1/things', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/things', headers: { cookie } })).json()).toMatchObject({ code: 'CSRF_FAILED' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/things', headers: { cookie, 'x-csrf-token': 'wrong' } })).json()).toMatchObject({ code: 'CSRF_FAILED' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/things', headers: { cookie, 'x-csrf-token': csrfToken } })).statusCode).toBe(200);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'root', role: 'platform-admin' }, via: 'session' });
    // Only a hash of the session token is stored.
    const stored = await state.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/things', headers: { cookie } })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('throttles repeated failures per username and address, without telling whether the user exists', async () => {
    const bad = (username: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.1', payload: { username, password: 'nope nope nope' } });
    const right = (remoteAddress: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username: 'root', password: PW } });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await bad('root')).json<{ code: string }>().code);
    expect(codes).toEqual(['AUTH_FAILED', 'AUTH_FAILED', 'AUTH_FAILED', 'AUTH_THROTTLED']);
    // Even the right password is refused while throttled, from that address; from another it
    // gets in (login-throttle.test.ts has the back-off and the per-address cap).
    expect((await right('198.51.100.1')).statusCode).toBe(429);
    expect((await right('198.51.100.2')).statusCode).toBe(200);
    expect((await bad('nobody')).json<{ code: string }>().code).toBe('AUTH_FAILED');
    await state.query('DELETE FROM login_attempts');
  });

  it('API keys: shown once, stored hashed, scoped to the role, revocable', async () => {
    const org = await createOrg(state, { name: 'ISP A', kind: 'isp' });
    await createUser(state, { username: 'alice', password: PW, role: 'org-member', org: org.id });
    await expect(createUser(state, { username: 'bob', password: PW, role: 'org-member' })).rejects.toThrow(/needs an organisation/);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'alice', password: PW } });
    const cookie = `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(login.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    // An org member reads only: a read key for itself is fine, a write key or any write is not.
    const own = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'k', scopes: ['read'] } });
    expect(own.statusCode).toBe(201);
    const denied = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'k2', scopes: ['write'] } });
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/things', headers: { cookie, 'x-csrf-token': csrf } })).json()).toMatchObject({ code: 'FORBIDDEN' });

    const rootLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PW } });
    const rc = `sakimori_session=${/sakimori_session=([^;]+)/.exec(([] as string[]).concat(rootLogin.headers['set-cookie'] ?? []).join(';'))?.[1] ?? ''}`;
    const created = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { cookie: rc, 'x-csrf-token': rootLogin.json<{ csrfToken: string }>().csrfToken }, payload: { name: 'reader', scopes: ['read'] } });
    expect(created.statusCode).toBe(201);
    const { key, info } = created.json<{ key: string; info: { id: string; prefix: string } }>();
    expect(key).toMatch(/^sk_[\w-]{8}_[\w-]{32}$/);
    const hashes = await state.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(hashes.map((h) => h.key_hash).join()).not.toContain(key);
    const auth = { authorization: `Bearer ${key}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/things', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/things', headers: auth })).json()).toMatchObject({ code: 'FORBIDDEN' });
    // A plain key does not manage keys; the session that made it lists them, never the secret.
    expect((await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: auth })).json()).toMatchObject({ code: 'FORBIDDEN' });
    const list = await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: { cookie: rc } });
    expect(list.json<{ prefix: string }[]>().map((k) => k.prefix)).toContain(info.prefix);
    expect(JSON.stringify(list.json())).not.toContain(key);
    await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${info.id}`, headers: { cookie: rc, 'x-csrf-token': rootLogin.json<{ csrfToken: string }>().csrfToken } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/things', headers: auth })).json()).toMatchObject({ code: 'AUTH_FAILED' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/things', headers: { authorization: 'Bearer sk_garbage' } })).statusCode).toBe(401);
  });
});
