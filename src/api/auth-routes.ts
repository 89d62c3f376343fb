import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { login, logout } from '../auth/sessions.js';
import { assertKeyManager, listApiKeys, mintApiKey, revokeApiKey } from '../auth/api-keys.js';
import { createUser, listUsers, setDisabled, setPassword } from '../auth/users.js';
import { linkSession, type SignInLinks } from '../auth/sign-in-link.js';
import { access, CSRF_COOKIE, readCookie, requireScope, SESSION_COOKIE } from './auth-plugin.js';
import { AUTH } from './contract/auth.js';
import { serveRoute } from './serve-route.js';

function cookie(name: string, value: string, o: { httpOnly: boolean; secure: boolean; maxAge: number }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Strict; Max-Age=${o.maxAge}${o.httpOnly ? '; HttpOnly' : ''}${o.secure ? '; Secure' : ''}`;
}

function secure(ctx: Pick<AppContext, 'config'>, req: FastifyRequest): boolean {
  const m = ctx.config.auth.secureCookies;
  return m === 'always' || (m === 'auto' && (req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https'));
}

const sessionCookies = (ctx: Pick<AppContext, 'config'>, req: FastifyRequest, r: { token: string; csrfToken: string; expiresAt: Date }): string[] => {
  const maxAge = Math.floor((r.expiresAt.getTime() - Date.now()) / 1000);
  const s = secure(ctx, req);
  return [cookie(SESSION_COOKIE, r.token, { httpOnly: true, secure: s, maxAge }), cookie(CSRF_COOKIE, r.csrfToken, { httpOnly: false, secure: s, maxAge })];
};

/** Sign-in, sign-out, who am I, API keys, users (admin). */
export const authRoutes: FastifyPluginAsync<{ ctx: Pick<AppContext, 'config' | 'state'>; links: SignInLinks }> = async (app, { ctx, links }) => {
  serveRoute(app, AUTH.login, async (req, reply) => {
    const r = await login(ctx.state, req.body.username, req.body.password, req.ip, { maxFailures: ctx.config.auth.maxFailedLogins, windowMinutes: ctx.config.auth.throttleMinutes });
    void reply.header('set-cookie', sessionCookies(ctx, req, r));
    const p = r.principal;
    return { user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() };
  });
  serveRoute(app, AUTH.logout, async (req, reply) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await logout(ctx.state, token);
    void reply.header('set-cookie', [cookie(SESSION_COOKIE, '', { httpOnly: true, secure: false, maxAge: 0 }), cookie(CSRF_COOKIE, '', { httpOnly: false, secure: false, maxAge: 0 })]);
    return { ok: true as const };
  });
  serveRoute(app, AUTH.link, async (req, reply) => {
    if (!links.consume(req.query.token)) throw new SakimoriError('AUTH_FAILED', 'this sign-in link was used already or has expired: ask the server for a new one with `sakimori signin-link`');
    const r = await linkSession(ctx.state, req.ip);
    // 303 to the console: the token leaves the address bar and the browser history at once.
    return reply.header('set-cookie', sessionCookies(ctx, req, r)).header('cache-control', 'no-store').redirect('/', 303);
  });
  serveRoute(app, AUTH.links, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send({ token: links.issue(), path: '/api/v1/auth/link?token=' });
  });
  serveRoute(app, AUTH.me, async (req) => {
    const { principal: p } = access(req);
    return { user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, via: p.via, scopes: p.scopes, csrfToken: p.csrfToken ?? null };
  });
  serveRoute(app, AUTH.listKeys, async (req) => {
    const { principal: p } = access(req);
    assertKeyManager(p);
    return listApiKeys(ctx.state, p.scopes.includes('admin') ? {} : { userId: p.userId });
  });
  serveRoute(app, AUTH.createKey, async (req, reply) => {
    const { principal: p } = access(req);
    const r = await mintApiKey(ctx.state, p, {
      name: req.body.name, scopes: req.body.scopes,
      ...(req.body.expiresAt ? { expiresAt: new Date(req.body.expiresAt) } : {}),
      ...(req.body.user !== undefined ? { forUser: req.body.user } : {}),
    });
    return reply.status(201).send(r);
  });
  serveRoute(app, AUTH.revokeKey, async (req, reply) => {
    const { principal: p } = access(req);
    assertKeyManager(p);
    await revokeApiKey(ctx.state, req.params.id, p.scopes.includes('admin') ? undefined : p.userId);
    return reply.status(204).send(null);
  });
  serveRoute(app, AUTH.listUsers, async (req) => {
    requireScope(req, 'admin');
    return listUsers(ctx.state);
  });
  serveRoute(app, AUTH.createUser, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send(await createUser(ctx.state, req.body));
  });
  serveRoute(app, AUTH.setPassword, async (req, reply) => {
    requireScope(req, 'admin');
    await setPassword(ctx.state, req.params.user, req.body.password);
    return reply.status(204).send(null);
  });
  serveRoute(app, AUTH.setDisabled, async (req, reply) => {
    requireScope(req, 'admin');
    await setDisabled(ctx.state, req.params.user, req.body.disabled);
    return reply.status(204).send(null);
  });
};
