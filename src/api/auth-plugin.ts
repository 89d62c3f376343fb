/**
 * Who is asking, for every /api/v1 request: an API key (`Authorization: Bearer sk_…`) or the
 * console's session cookie. Session requests that change state must echo the session's CSRF
 * token in `x-csrf-token`. Reads need scope `read`, everything else `write`; admin routes check
 * `admin` themselves (requireScope). With auth.mode `auto` the API stays open until a user exists.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import type { Principal, Scope } from '../auth/principal.js';
import { sessionPrincipal } from '../auth/sessions.js';
import { apiKeyPrincipal } from '../auth/api-keys.js';
import { userCount } from '../auth/users.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** null when the API is open (no users yet in auth.mode auto, or auth.mode off). */
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'sakimori_session';
export const CSRF_COOKIE = 'sakimori_csrf';
const PUBLIC = new Set(['/api/v1/auth/login', '/api/v1/status']);
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function requireScope(req: FastifyRequest, scope: Scope): void {
  if (req.principal === null) return; // open API: nobody to restrict
  if (!req.principal.scopes.includes(scope)) throw new SakimoriError('FORBIDDEN', `needs scope ${scope}`, { scope });
}

/** Installs the hook on the /api/v1 scope it is called in. */
export function installAuth(api: FastifyInstance, ctx: Pick<AppContext, 'config' | 'state'>): void {
  let usersKnown: { n: number; at: number } | undefined;
  const authRequired = async (): Promise<boolean> => {
    const mode = ctx.config.auth.mode;
    if (mode !== 'auto') return mode === 'required';
    // Once a user exists the answer never goes back; until then look again every few seconds.
    if (usersKnown && (usersKnown.n > 0 || Date.now() - usersKnown.at < 2000)) return usersKnown.n > 0;
    usersKnown = { n: await userCount(ctx.state), at: Date.now() };
    return usersKnown.n > 0;
  };
  api.decorateRequest('principal', null);
  api.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    const auth = req.headers.authorization;
    let p: Principal | undefined;
    if (auth?.startsWith('Bearer ')) {
      p = await apiKeyPrincipal(ctx.state, auth.slice(7).trim());
      if (!p) throw new SakimoriError('AUTH_FAILED', 'API key unknown, expired or revoked');
    } else {
      const token = readCookie(req, SESSION_COOKIE);
      if (token) p = await sessionPrincipal(ctx.state, token);
      if (p && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== p.csrfToken) throw new SakimoriError('CSRF_FAILED');
    }
    if (p) {
      req.principal = p;
      // Managing one's own session and keys is open to every role (a key never exceeds the role).
      const selfService = path === '/api/v1/auth/logout' || path === '/api/v1/api-keys' || path.startsWith('/api/v1/api-keys/');
      const need: Scope = SAFE.has(req.method) || selfService ? 'read' : 'write';
      if (!PUBLIC.has(path) && !p.scopes.includes(need)) throw new SakimoriError('FORBIDDEN', `needs scope ${need}`, { scope: need });
      return;
    }
    if (PUBLIC.has(path) || ctx.config.auth.mode === 'off') return;
    if (await authRequired()) throw new SakimoriError('AUTH_REQUIRED');
  });
}
