import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { login, logout } from '../auth/sessions.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.js';
import { createUser, listUsers, userCount } from '../auth/users.js';
import { CSRF_COOKIE, readCookie, requireScope, SESSION_COOKIE } from './auth-plugin.js';

function cookie(name: string, value: string, o: { httpOnly: boolean; secure: boolean; maxAge: number }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Strict; Max-Age=${o.maxAge}${o.httpOnly ? '; HttpOnly' : ''}${o.secure ? '; Secure' : ''}`;
}

function secure(ctx: Pick<AppContext, 'config'>, req: FastifyRequest): boolean {
  const m = ctx.config.auth.secureCookies;
  return m === 'always' || (m === 'auto' && (req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https'));
}

const signedIn = (req: FastifyRequest): NonNullable<FastifyRequest['principal']> => {
  if (!req.principal) throw new SakimoriError('AUTH_REQUIRED');
  return req.principal;
};

/** Sign-in, sign-out, who am I, API keys, users (admin). */
export const authRoutes: FastifyPluginAsync<{ ctx: Pick<AppContext, 'config' | 'state'> }> = async (app, { ctx }) => {
  app.post<{ Body: { username: string; password: string } }>('/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in: sets the session cookie and returns the CSRF token to send in x-csrf-token', body: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 } } } },
  }, async (req, reply: FastifyReply) => {
    const r = await login(ctx.state, req.body.username, req.body.password, req.ip, { maxFailures: ctx.config.auth.maxFailedLogins, windowMinutes: ctx.config.auth.throttleMinutes });
    const maxAge = Math.floor((r.expiresAt.getTime() - Date.now()) / 1000);
    const s = secure(ctx, req);
    void reply.header('set-cookie', [
      cookie(SESSION_COOKIE, r.token, { httpOnly: true, secure: s, maxAge }),
      cookie(CSRF_COOKIE, r.csrfToken, { httpOnly: false, secure: s, maxAge }),
    ]);
    const p = r.principal;
    return { user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, csrfToken: r.csrfToken, expiresAt: r.expiresAt.toISOString() };
  });
  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out (ends the session)' } }, async (req, reply) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await logout(ctx.state, token);
    void reply.header('set-cookie', [cookie(SESSION_COOKIE, '', { httpOnly: true, secure: false, maxAge: 0 }), cookie(CSRF_COOKIE, '', { httpOnly: false, secure: false, maxAge: 0 })]);
    return { ok: true };
  });
  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user, or open: true when the API needs no sign-in' } }, async (req) => {
    const p = req.principal;
    return p ? { open: false, user: { id: p.userId, username: p.username, role: p.role, orgId: p.orgId }, via: p.via, scopes: p.scopes, csrfToken: p.csrfToken ?? null } : { open: true };
  });
  app.get('/api-keys', { schema: { tags: ['auth'], summary: 'API keys: your own (admins: all)' } }, async (req) => {
    const p = signedIn(req);
    return listApiKeys(ctx.state, p.scopes.includes('admin') ? {} : { userId: p.userId });
  });
  app.post<{ Body: { name: string; scopes: string[]; expiresAt?: string } }>('/api-keys', {
    schema: { tags: ['auth'], summary: 'Create an API key for yourself; the key is shown only in this answer', body: { type: 'object', required: ['name', 'scopes'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, scopes: { type: 'array', items: { type: 'string' } }, expiresAt: { type: 'string', format: 'date-time' } } } },
  }, async (req, reply) => {
    const p = signedIn(req);
    const r = await createApiKey(ctx.state, p.userId, req.body.name, req.body.scopes, req.body.expiresAt ? new Date(req.body.expiresAt) : undefined);
    return reply.status(201).send(r);
  });
  app.delete<{ Params: { id: string } }>('/api-keys/:id', { schema: { tags: ['auth'], summary: 'Revoke an API key', params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } }, async (req, reply) => {
    const p = signedIn(req);
    await revokeApiKey(ctx.state, req.params.id, p.scopes.includes('admin') ? undefined : p.userId);
    return reply.status(204).send();
  });
  app.get('/users', { schema: { tags: ['auth'], summary: 'Users (admin)' } }, async (req) => {
    if (!req.principal) throw new SakimoriError('AUTH_REQUIRED');
    requireScope(req, 'admin');
    return listUsers(ctx.state);
  });
  app.post<{ Body: { username: string; password: string; role: string; org?: string } }>('/users', {
    schema: { tags: ['auth'], summary: 'Create a user (admin)', body: { type: 'object', required: ['username', 'password', 'role'], properties: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' } } } },
  }, async (req, reply) => {
    if (req.principal) {
      requireScope(req, 'admin');
    } else if (!(await bootstrapAllowed(ctx, req)) || req.body.role !== 'platform-admin') {
      // An open API may create only its first admin, and only from this machine.
      throw new SakimoriError('AUTH_REQUIRED', 'the first user must be a platform-admin created from the server itself (or with `sakimori user add`)');
    }
    return reply.status(201).send(await createUser(ctx.state, req.body));
  });
};

async function bootstrapAllowed(ctx: Pick<AppContext, 'state'>, req: FastifyRequest): Promise<boolean> {
  const local = req.ip === '127.0.0.1' || req.ip === '::1' || req.ip === '::ffff:127.0.0.1';
  return local && (await userCount(ctx.state)) === 0;
}
