/**
 * One remote TAXII 2.1 server as the client speaks to it: the API root, the credentials, and the
 * HTTP exchange with TAXII's media type. A TAXII error object from the server becomes our
 * TAXII_REMOTE_FAILED with its title, description and HTTP status, never a bare "fetch failed".
 */
import { SakimoriError } from '../../../errors.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export type RemoteAuth =
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'none' };

export interface TaxiiRemote {
  /** The API root's URL, ending in `/`. */
  readonly apiRoot: string;
  readonly auth: RemoteAuth;
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

export async function taxiiRequest<T>(
  url: string,
  auth: RemoteAuth,
  init: { method?: 'GET' | 'POST' | 'DELETE'; body?: string } = {},
): Promise<TaxiiAnswer<T>> {
  const headers: Record<string, string> = { accept: TAXII_MEDIA_TYPE, ...authorization(auth) };
  if (init.body !== undefined) headers['content-type'] = TAXII_MEDIA_TYPE;
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: init.body }), redirect: 'error' });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    throw new SakimoriError('TAXII_REMOTE_FAILED', `could not reach the server (${cause})`, { url });
  }
  const text = await res.text();
  if (!res.ok) throw remoteError(url, res.status, text);
  try {
    return { body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
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
export async function connect(url: string, auth: RemoteAuth): Promise<TaxiiRemote> {
  const base = withSlash(url);
  const first = await taxiiRequest<Discovery & ApiRootInfo>(base, auth);
  let root = base;
  let info: ApiRootInfo = first.body;
  if (!Array.isArray(first.body.versions)) {
    const roots = Array.isArray(first.body.api_roots) ? first.body.api_roots.filter((r): r is string => typeof r === 'string') : [];
    const chosen = typeof first.body.default === 'string' ? first.body.default : roots.length === 1 ? roots[0] : undefined;
    if (!chosen) throw new SakimoriError('TAXII_REMOTE_FAILED', roots.length ? `the server has ${roots.length} API roots and no default: give one of them as the URL (${roots.join(', ')})` : 'neither a discovery endpoint nor an API root', { url });
    root = withSlash(new URL(chosen, base).toString());
    info = (await taxiiRequest<ApiRootInfo>(root, auth)).body;
  }
  const versions = Array.isArray(info.versions) ? info.versions : [];
  if (!versions.some((v) => typeof v === 'string' && v.replace(/\s/g, '') === TAXII_MEDIA_TYPE)) {
    throw new SakimoriError('TAXII_REMOTE_FAILED', `the API root does not offer ${TAXII_MEDIA_TYPE}`, { url: root });
  }
  const max = typeof info.max_content_length === 'number' && info.max_content_length > 0 ? info.max_content_length : 1_048_576;
  return { apiRoot: root, auth, maxContentLength: max };
}

export function collectionUrl(remote: TaxiiRemote, collectionId: string, tail: string): string {
  return `${remote.apiRoot}collections/${encodeURIComponent(collectionId)}/${tail}`;
}
