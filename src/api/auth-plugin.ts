/**
 * Who is asking, for every request to the API, its docs and /metrics: an API key (`Authorization:
 * Bearer sk_…`), the console's session cookie, or — on the server's Unix socket inside the data
 * directory — the OS user who owns it (peer trust). Nobody is anonymous: only liveness
 * (`/api/v1/status`), sign-in (`/auth/login`, the one-time link `/auth/link`) and the console's
 * static files are public. Session requests that change state must echo the session's CSRF token
 * in `x-csrf-token`. Reads need scope `read`, everything else `write`; admin routes check `admin`
 * themselves (requireScope).
 *
 * The principal's need-to-know restriction is resolved here, once per request, so a route can
 * only get at data through `access(req)`, which carries it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userInfo } from 'node:os';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { scopesOfRole, type Principal, type Scope } from '../auth/principal.js';
import { checkPassword, sessionPrincipal, throttleSource } from '../auth/sessions.js';
import { apiKeyPrincipal } from '../auth/api-keys.js';
import { restrictionFor } from '../auth/need-to-know.js';
import { type Restriction } from '../store/need-to-know.js';
import { cachedPrincipal } from '../auth/principal-cache.js';
import { CONTRACT } from './contract/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** null only on the public routes (status, sign-in) when no credentials came with the request. */
    principal: Principal | null;
    /** The principal's need-to-know restriction, resolved once with it. */
    restriction: Restriction | null;
  }
}

export const SESSION_COOKIE = 'sakimori_session';
export const CSRF_COOKIE = 'sakimori_csrf';
/** The only routes answered without a principal: those the contract marks public. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(CONTRACT.filter((c) => c.public).map((c) => `/api/v1${c.url}`));
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Access { readonly principal: Principal; readonly restriction: Restriction }

/** The caller and its restriction; AUTH_REQUIRED on a public route called without credentials. */
export function access(req: FastifyRequest): Access {
  if (!req.principal || !req.restriction) throw new SakimoriError('AUTH_REQUIRED');
  return { principal: req.principal, restriction: req.restriction };
}

/** A cookie's value; a value that is not valid percent-encoding is a 400, not a crash. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        throw new SakimoriError('BAD_REQUEST', `cookie ${name} is not valid percent-encoding`, { cookie: name });
      }
    }
  }
  return undefined;
}

export function requireScope(req: FastifyRequest, scope: Scope): void {
  const { principal } = access(req);
  if (!principal.scopes.includes(scope)) throw new SakimoriError('FORBIDDEN', `needs scope ${scope}`, { scope });
}

/**
 * Only the data directory's owner, through the server's socket, may name local files (imports,
 * pcaps): they are on its own machine, and nobody else may make the server read its files.
 */
export function requirePeer(req: FastifyRequest, what: string): void {
  if (access(req).principal.via !== 'peer') throw new SakimoriError('FORBIDDEN', `${what} name local files: only the data directory's owner may, through the server's socket (sakimori on the server's machine)`);
}

/** Whether a path is served without a principal: the public API routes and the console's files. */
export function isPublicPath(path: string): boolean {
  if (PUBLIC_ROUTES.has(path)) return true;
  return !(path === '/api' || path.startsWith('/api/') || path === '/metrics' || path.startsWith('/metrics/') || isTaxiiPath(path));
}

/** The TAXII 2.1 server (api/taxii-routes.ts): its own media types, the same principals, and HTTP Basic too. */
export function isTaxiiPath(path: string): boolean {
  return path === '/taxii2' || path.startsWith('/taxii2/');
}

/** The OS user on the other end of the data directory's socket: a platform admin of this instance. */
export function peerPrincipal(): Principal {
  let name = 'local';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (containers): the generic name will do.
  }
  return { userId: `peer:${name}`, username: name, role: 'platform-admin', orgId: null, via: 'peer', scopes: ['read', 'write', 'admin'] };
}

export interface AuthOptions {
  /** The app serves the Unix socket in the data directory: its caller is the owner (peer trust). */
  readonly peer?: boolean;
}

/** Installs the hook on the instance it is called on: call it on the root before any route. */
export function installAuth(app: FastifyInstance, ctx: Pick<AppContext, 'config' | 'state'>, opts: AuthOptions = {}): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('restriction', null);
  const peer = opts.peer ? peerPrincipal() : undefined;
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    const p = peer ?? (await credentialPrincipal(ctx, req));
    if (p) {
      req.principal = p;
      req.restriction = await restrictionFor(ctx.state, p);
      if (isPublicPath(path)) return;
      // Signing out and managing one's own keys are open to every role: the key routes decide
      // themselves who may mint and revoke (a session or an admin key, never more than the caller).
      const selfService = path.startsWith('/api/v1/auth/') || path === '/api/v1/api-keys' || path.startsWith('/api/v1/api-keys/');
      const need: Scope = SAFE.has(req.method) || selfService ? 'read' : 'write';
      if (!p.scopes.includes(need)) throw new SakimoriError('FORBIDDEN', `needs scope ${need}`, { scope: need });
      return;
    }
    if (!isPublicPath(path)) throw new SakimoriError('AUTH_REQUIRED');
  });
}

async function basicPrincipal(ctx: Pick<AppContext, 'config' | 'state'>, req: FastifyRequest, encoded: string): Promise<Principal> {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new SakimoriError('AUTH_FAILED', 'HTTP Basic credentials are base64 of "username:password"');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Remembered for a second like keys (principal-cache.ts), so a burst of pages costs one
  // password hash; a failure is not remembered and counts against the throttle every time.
  const p = await cachedPrincipal('basic', `${encoded}\u0000${throttleSource(req.ip)}`, async () => {
    const u = await checkPassword(ctx.state, username, password, req.ip, { maxFailures: ctx.config.auth.maxFailedLogins, windowMinutes: ctx.config.auth.throttleMinutes });
    return { userId: u.id, username: u.username, role: u.role, orgId: u.orgId, via: 'session', scopes: scopesOfRole(u.role) };
  });
  if (!p) throw new SakimoriError('AUTH_FAILED');
  return p;
}

async function credentialPrincipal(ctx: Pick<AppContext, 'config' | 'state'>, req: FastifyRequest): Promise<Principal | undefined> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    // TAXII 2.1 servers must support HTTP Basic: the user's password, throttled as the console's sign-in is.
    if (/^Basic /i.test(auth) && isTaxiiPath(req.url.split('?')[0] ?? '')) return basicPrincipal(ctx, req, auth.slice(6).trim());
    if (!auth.startsWith('Bearer ')) throw new SakimoriError('AUTH_FAILED', 'the Authorization header takes "Bearer <API key>"');
    const key = auth.slice(7).trim();
    const p = await cachedPrincipal('key', key, () => apiKeyPrincipal(ctx.state, key));
    if (!p) throw new SakimoriError('AUTH_FAILED', 'API key unknown, expired or revoked');
    return p;
  }
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return undefined;
  const p = await cachedPrincipal('session', token, () => sessionPrincipal(ctx.state, token));
  if (p && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== p.csrfToken) throw new SakimoriError('CSRF_FAILED');
  return p;
}
