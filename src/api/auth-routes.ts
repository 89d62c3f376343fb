import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { login, logout } from '../auth/sessions.js';
import { assertKeyManager, listApiKeys, mintApiKey, revokeApiKey } from '../auth/api-keys.js';
import { createUser, listUsers } from '../auth/users.js';
import { linkSession, type SignInLinks } from '../auth/sign-in-link.js';
import { access, CSRF_COOKIE, readCookie, requireScope, SESSION_COOKIE } from './auth-plugin.js';

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
  app.post<{ Body: { username: string; password: string } }>('/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in: sets the session cookie and returns the CSRF token to send in x-csrf-token', body: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 } } } },
  }, async (req, reply: FastifyReply) => {
    const r = await login(ctx.state, req.body.username, req.body.password, req.ip, { maxFailures: ctx.config.auth.maxFailedLogins, windowMinutes: ctx.config.auth.throttleMinutes });
    void reply.header('set-cookie', sessionCookies(ctx, req, r));
    const p = r.principal;
    return { user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() };
  });
  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out (ends the session)' } }, async (req, reply) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await logout(ctx.state, token);
    void reply.header('set-cookie', [cookie(SESSION_COOKIE, '', { httpOnly: true, secure: false, maxAge: 0 }), cookie(CSRF_COOKIE, '', { httpOnly: false, secure: false, maxAge: 0 })]);
    return { ok: true };
  });
  app.get<{ Querystring: { token: string } }>('/auth/link', {
    schema: {
      tags: ['auth'], summary: 'Open the one-time sign-in link that serve and demo print: a session as the local platform admin, then the console',
      querystring: { type: 'object', required: ['token'], properties: { token: { type: 'string', maxLength: 200 } } },
    },
  }, async (req, reply) => {
    if (!links.consume(req.query.token)) throw new SakimoriError('AUTH_FAILED', 'this sign-in link was used already or has expired: ask the server for a new one with `sakimori signin-link`');
    const r = await linkSession(ctx.state, req.ip);
    // 303 to the console: the token leaves the address bar and the browser history at once.
    return reply.header('set-cookie', sessionCookies(ctx, req, r)).header('cache-control', 'no-store').redirect('/', 303);
  });
  app.post('/auth/links', { schema: { tags: ['auth'], summary: 'A new one-time sign-in link token (platform admin; `sakimori signin-link` asks through the socket)' } }, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send({ token: links.issue(), path: '/api/v1/auth/link?token=' });
  });
  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user' } }, async (req) => {
    const { principal: p } = access(req);
    return { user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, via: p.via, scopes: p.scopes, csrfToken: p.csrfToken ?? null };
  });
  app.get('/api-keys', { schema: { tags: ['auth'], summary: 'API keys: your own (admins: all); needs a session or an admin key' } }, async (req) => {
    const { principal: p } = access(req);
    assertKeyManager(p);
    return listApiKeys(ctx.state, p.scopes.includes('admin') ? {} : { userId: p.userId });
  });
  app.post<{ Body: { name: string; scopes: string[]; expiresAt?: string; user?: string } }>('/api-keys', {
    schema: {
      tags: ['auth'],
      summary: 'Create an API key (for yourself; admins: for any user); needs a session or an admin key; scopes ⊆ the caller\'s, expiry ≤ the calling key\'s; the key is shown only in this answer',
      body: { type: 'object', required: ['name', 'scopes'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, scopes: { type: 'array', items: { type: 'string' }, maxItems: 3 }, expiresAt: { type: 'string', format: 'date-time' }, user: { type: 'string', maxLength: 64 } } },
    },
  }, async (req, reply) => {
    const { principal: p } = access(req);
    const r = await mintApiKey(ctx.state, p, {
      name: req.body.name, scopes: req.body.scopes,
      ...(req.body.expiresAt ? { expiresAt: new Date(req.body.expiresAt) } : {}),
      ...(req.body.user !== undefined ? { forUser: req.body.user } : {}),
    });
    return reply.status(201).send(r);
  });
  app.delete<{ Params: { id: string } }>('/api-keys/:id', { schema: { tags: ['auth'], summary: 'Revoke an API key and every key minted with it; needs a session or an admin key', params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } }, async (req, reply) => {
    const { principal: p } = access(req);
    assertKeyManager(p);
    await revokeApiKey(ctx.state, req.params.id, p.scopes.includes('admin') ? undefined : p.userId);
    return reply.status(204).send();
  });
  app.get('/users', { schema: { tags: ['auth'], summary: 'Users (admin)' } }, async (req) => {
    requireScope(req, 'admin');
    return listUsers(ctx.state);
  });
  app.post<{ Body: { username: string; password: string; role: string; org?: string } }>('/users', {
    schema: { tags: ['auth'], summary: 'Create a user (admin)', body: { type: 'object', required: ['username', 'password', 'role'], properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 }, role: { type: 'string' }, org: { type: 'string' } } } },
  }, async (req, reply) => {
    requireScope(req, 'admin');
    return reply.status(201).send(await createUser(ctx.state, req.body));
  });
};
