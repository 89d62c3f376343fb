/**
 * One remote TAXII 2.1 server as the client speaks to it: the API root, the credentials, and the
 * HTTP exchange with TAXII's media type. A TAXII error object from the server becomes our
 * TAXII_REMOTE_FAILED with its title, description and HTTP status, never a bare "fetch failed".
 *
 * The URL is a user's, the request the server's: every request first passes the outbound
 * address policy (net/outbound.ts, as webhooks do: no loopback, private, link-local, metadata…
 * address unless `share.remoteAllow` allows the range), and connects to the addresses checked,
 * so neither the discovery answer's API root nor a name that resolves elsewhere later leads
 * inside. Redirects are not followed.
 */
import http from 'node:http';
import https from 'node:https';
import { SakimoriError } from '../../../errors.js';
import { checkOutboundTarget, pinnedLookup, type OutboundPolicy } from '../../../net/outbound.js';
import { VERSION } from '../../../version.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export type RemoteAuth =
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'none' };

/** Where the client may connect: the operator's allowance (`share.remoteAllow`). */
export type RemotePolicy = OutboundPolicy;

/** The policy for a configured allowance. */
export function remotePolicy(allow: readonly string[]): RemotePolicy {
  return { allow, setting: 'share.remoteAllow' };
}

/** What each request needs: the credentials and where it may go. */
export interface RemoteAccess {
  readonly auth: RemoteAuth;
  readonly policy: RemotePolicy;
}

export interface TaxiiRemote extends RemoteAccess {
  /** The API root's URL, ending in `/`. */
  readonly apiRoot: string;
  /** The largest request body the API root accepts (its `max_content_length`). */
  readonly maxContentLength: number;
}

export interface TaxiiAnswer<T> {
  readonly body: T;
  readonly headers: Headers;
}

function authorization(auth: RemoteAuth): Record<string, string> {
  if (auth.kind === 'basic') return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  return {};
}

/** What a remote answered, for messages: its TAXII error's title and description when it sent one. */
function remoteError(url: string, status: number, text: string): SakimoriError {
  let said = text.slice(0, 300);
  try {
    const e = JSON.parse(text) as { title?: unknown; description?: unknown };
    if (typeof e.title === 'string') said = typeof e.description === 'string' ? `${e.title}: ${e.description}` : e.title;
  } catch {
    // Not a TAXII error object: the first characters of the answer say enough.
  }
  return new SakimoriError('TAXII_REMOTE_FAILED', `HTTP ${status}${said ? ` ${said}` : ''}`, { url, status });
}

const TIMEOUT_MS = 120_000;

interface RawAnswer { readonly status: number; readonly headers: Headers; readonly text: string }

/** One HTTP exchange with the checked addresses only. */
async function exchange(url: string, access: RemoteAccess, method: string, body: string | undefined): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  const target = await checkOutboundTarget(url, access.policy, signal);
  if (!target.ok) {
    // The URL's fault (or the discovery answer's), not the hub's: an answer the caller can read.
    if (target.permanent) throw new SakimoriError('BAD_REQUEST', `refused by policy: ${target.reason}`, { field: 'url', url });
    throw new SakimoriError('TAXII_REMOTE_FAILED', `could not reach the server (${target.reason})`, { url });
  }
  const u = target.url;
  const payload = body === undefined ? undefined : Buffer.from(body);
  const headers: Record<string, string | number> = { host: u.host, accept: TAXII_MEDIA_TYPE, 'user-agent': `Sakimori/${VERSION}`, ...authorization(access.auth) };
  if (payload) Object.assign(headers, { 'content-type': TAXII_MEDIA_TYPE, 'content-length': payload.length });
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = (u.protocol === 'https:' ? https : http).request({
      protocol: u.protocol, host: u.hostname.replace(/^\[|\]$/g, ''), ...(u.port ? { port: Number(u.port) } : {}), path: `${u.pathname}${u.search}`,
      method, headers, lookup: pinnedLookup(target.addresses), agent: false, signal,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function taxiiRequest<T>(
  url: string,
  access: RemoteAccess,
  init: { method?: 'GET' | 'POST' | 'DELETE'; body?: string } = {},
): Promise<TaxiiAnswer<T>> {
  let res: RawAnswer;
  try {
    res = await exchange(url, access, init.method ?? 'GET', init.body);
  } catch (e) {
    if (e instanceof SakimoriError) throw e;
    const cause = e instanceof Error ? (e as { code?: string }).code ?? e.message : String(e);
    throw new SakimoriError('TAXII_REMOTE_FAILED', `could not reach the server (${cause})`, { url });
  }
  if (res.status < 200 || res.status >= 300) throw remoteError(url, res.status, res.status >= 300 && res.status < 400 ? `${res.text.slice(0, 200)} (redirects are not followed)` : res.text);
  try {
    return { body: (res.text ? JSON.parse(res.text) : {}) as T, headers: res.headers };
  } catch {
    throw new SakimoriError('TAXII_REMOTE_FAILED', 'the answer is not JSON', { url, status: res.status });
  }
}

interface Discovery { api_roots?: unknown; default?: unknown }
interface ApiRootInfo { versions?: unknown; max_content_length?: unknown }

const withSlash = (u: string): string => (u.endsWith('/') ? u : `${u}/`);

/**
 * The API root behind a URL: the URL itself when it is an API root, else the discovery answer's
 * `default` (or its only API root). Its `max_content_length` bounds what a push sends at once.
 */
export async function connect(url: string, access: RemoteAccess): Promise<TaxiiRemote> {
  const base = withSlash(url);
  const first = await taxiiRequest<Discovery & ApiRootInfo>(base, access);
  let root = base;
  let info: ApiRootInfo = first.body;
  if (!Array.isArray(first.body.versions)) {
    const roots = Array.isArray(first.body.api_roots) ? first.body.api_roots.filter((r): r is string => typeof r === 'string') : [];
    const chosen = typeof first.body.default === 'string' ? first.body.default : roots.length === 1 ? roots[0] : undefined;
    if (!chosen) throw new SakimoriError('TAXII_REMOTE_FAILED', roots.length ? `the server has ${roots.length} API roots and no default: give one of them as the URL (${roots.join(', ')})` : 'neither a discovery endpoint nor an API root', { url });
    root = withSlash(new URL(chosen, base).toString());
    info = (await taxiiRequest<ApiRootInfo>(root, access)).body;
  }
  const versions = Array.isArray(info.versions) ? info.versions : [];
  if (!versions.some((v) => typeof v === 'string' && v.replace(/\s/g, '') === TAXII_MEDIA_TYPE)) {
    throw new SakimoriError('TAXII_REMOTE_FAILED', `the API root does not offer ${TAXII_MEDIA_TYPE}`, { url: root });
  }
  const max = typeof info.max_content_length === 'number' && info.max_content_length > 0 ? info.max_content_length : 1_048_576;
  return { apiRoot: root, auth: access.auth, policy: access.policy, maxContentLength: max };
}

export function collectionUrl(remote: TaxiiRemote, collectionId: string, tail: string): string {
  return `${remote.apiRoot}collections/${encodeURIComponent(collectionId)}/${tail}`;
}
