import type { Config } from '../config/schema.js';
import type { AppContext } from '../app/context.js';
import { ERRORS, isSakimoriError, SakimoriError, type ErrorCode } from '../errors.js';
import { runningServerUrl } from './server-file.js';

/**
 * Runs a read command against the stores, or — when a server holds the data directory — against
 * that server's API, so `report` and `host` work whether or not `serve` is running.
 */
export async function viaStoresOrServer<T>(
  config: Config,
  local: (ctx: AppContext) => Promise<T>,
  remote: (baseUrl: string) => Promise<T>,
): Promise<T> {
  // A running server owns the embedded stores: ask it without loading them at all.
  if (!config.clickhouseUrl || !config.postgresUrl) {
    const url = await runningServerUrl(config.dataDir);
    if (url) return remote(url);
  }
  let ctx: AppContext;
  try {
    const { openContext } = await import('../app/context.js');
    ctx = await openContext(config);
  } catch (e) {
    if (isSakimoriError(e) && e.code === 'STORE_LOCKED') {
      const url = await runningServerUrl(config.dataDir);
      if (url) return remote(url);
    }
    throw e;
  }
  try {
    return await local(ctx);
  } finally {
    await ctx.close();
  }
}

/** A running server with users needs a key: SAKIMORI_API_KEY (create one with `sakimori apikey create`). */
function authHeaders(): Record<string, string> {
  const key = process.env['SAKIMORI_API_KEY'];
  return key ? { authorization: `Bearer ${key}` } : {};
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: authHeaders() });
  const body = (await res.json()) as T & { code?: string; message?: string };
  if (!res.ok) {
    const code = body.code && body.code in ERRORS ? (body.code as ErrorCode) : res.status === 404 ? 'NOT_FOUND' : 'INTERNAL';
    throw new SakimoriError(code, body.message ?? res.statusText, { url });
  }
  return body;
}

/** A write (or read) through a running server's API; the server's error code is kept. */
export async function callJson<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : undefined) as (T & { code?: string; message?: string; where?: Record<string, string | number> }) | undefined;
  if (!res.ok) {
    const code = parsed?.code && parsed.code in ERRORS ? (parsed.code as ErrorCode) : 'INTERNAL';
    // The server's message already starts with the catalogue text of its code.
    const err = new SakimoriError(code, undefined, parsed?.where ?? { url });
    err.message = parsed?.message ?? res.statusText;
    throw err;
  }
  return parsed as T;
}
