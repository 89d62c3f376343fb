import type { Config } from '../config/schema.js';
import type { AppContext } from '../app/context.js';
import { ERRORS, isSakimoriError, SakimoriError, type ErrorCode } from '../errors.js';
import { request, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { runningServerUrl, socketFor } from './server-file.js';

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

/**
 * Beside a server on the same data directory the CLI speaks through its socket as the directory's
 * owner; a server elsewhere needs a key: SAKIMORI_API_KEY (create one with `sakimori apikey create`).
 */
function authHeaders(): Record<string, string> {
  const key = process.env['SAKIMORI_API_KEY'];
  return key ? { authorization: `Bearer ${key}` } : {};
}

interface Answer { ok: boolean; status: number; statusText: string; text: string }

/** A request body: JSON, or a file streamed as it is read (an import of any size). */
type Body = { json: unknown } | { file: AsyncIterable<Uint8Array> } | undefined;

/** One HTTP exchange, over the server's Unix socket when it has one, else over TCP. */
async function exchange(method: string, url: string, body?: Body): Promise<Answer> {
  const payload = body && 'json' in body ? JSON.stringify(body.json) : undefined;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'json' in body ? 'application/json' : 'application/octet-stream' };
  const socketPath = socketFor(url);
  if (!socketPath) {
    const sent = body && 'file' in body
      ? { body: Readable.toWeb(Readable.from(body.file)) as ReadableStream<Uint8Array>, duplex: 'half' }
      : payload === undefined ? {} : { body: payload };
    const res = await fetch(url, { method, headers: { ...authHeaders(), ...headers }, ...sent } as RequestInit);
    return { ok: res.ok, status: res.status, statusText: res.statusText, text: await res.text() };
  }
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: `${u.pathname}${u.search}`, headers: { host: 'localhost', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body && 'file' in body) {
      const file = Readable.from(body.file);
      file.on('error', (e) => req.destroy(e));
      file.pipe(req);
    } else req.end(payload);
  });
}

export async function getJson<T>(url: string): Promise<T> {
  return callJson<T>('GET', url);
}

/** A write (or read) through a running server's API; the server's error code is kept. */
export async function callJson<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  return answerOf<T>(await exchange(method, url, body === undefined ? undefined : { json: body }), url);
}

/** A file posted as the request body (survey outputs, vulnerability feeds), streamed as it is read. */
export async function postFile<T>(url: string, file: AsyncIterable<Uint8Array>): Promise<T> {
  return answerOf<T>(await exchange('POST', url, { file }), url);
}

function answerOf<T>(res: Answer, url: string): T {
  if (!res.ok) throw answerError(res, url);
  try {
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  } catch {
    return undefined as T;
  }
}

/** The server's error as ours: its code, its message (which already starts with the catalogue text), where. */
function answerError(res: Answer, url: string): SakimoriError {
  let parsed: { code?: string; message?: string; where?: Record<string, string | number>; errorId?: string } | undefined;
  try {
    parsed = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    parsed = undefined;
  }
  const code = parsed?.code && parsed.code in ERRORS ? (parsed.code as ErrorCode) : res.status === 404 ? 'NOT_FOUND' : 'INTERNAL';
  const err = new SakimoriError(code, undefined, parsed?.where ?? { url });
  // A server fault shows only an id; the server's log has the details under it.
  err.message = `${parsed?.message ?? `${res.status} ${res.statusText}`}${parsed?.errorId ? ` (error id ${parsed.errorId}: see the server's log)` : ''}`;
  return err;
}

/** A GET whose answer is passed on as it arrives (an export of any size), over the server's socket when it has one. */
export async function streamGet(url: string, write: (text: string) => Promise<void>): Promise<void> {
  return streamCall('GET', url, undefined, write);
}

/** A request whose answer is passed on as it arrives (an export, progress lines), over the server's socket when it has one. */
export async function streamCall(method: 'GET' | 'POST', url: string, body: unknown, write: (text: string) => Promise<void>): Promise<void> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
  const socketPath = socketFor(url);
  if (!socketPath) {
    const res = await fetch(url, { method, headers: { ...authHeaders(), ...headers }, ...(payload === undefined ? {} : { body: payload }) });
    if (!res.ok || !res.body) throw answerError({ ok: false, status: res.status, statusText: res.statusText, text: await res.text() }, url);
    const decoder = new TextDecoder();
    for await (const b of res.body) await write(decoder.decode(b as Uint8Array, { stream: true }));
    return;
  }
  const u = new URL(url);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({ socketPath, method, path: `${u.pathname}${u.search}`, headers: { host: 'localhost', ...headers } }, resolve);
    req.on('error', reject);
    req.end(payload);
  });
  res.setEncoding('utf8');
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    let text = '';
    for await (const c of res) text += String(c);
    throw answerError({ ok: false, status, statusText: res.statusMessage ?? '', text }, url);
  }
  for await (const c of res) await write(String(c));
}

/** One line of a JSON-lines answer that ends a run: its result, or the server's error. */
export interface OutcomeLine<T> {
  readonly result?: T;
  readonly error?: { readonly code?: string; readonly message: string; readonly errorId?: string };
}

/**
 * A request whose answer is JSON lines: progress lines as the server works (each given to
 * `onProgress`, which says whether it was one), then one line with the result or the error.
 * Returns the result; the server's error is thrown with its code and, for a fault, its error id.
 */
export async function callJsonLines<L extends OutcomeLine<T>, T>(url: string, body: unknown, what: string, onProgress: (line: L) => boolean): Promise<T> {
  let rest = '';
  let outcome: L | undefined;
  await streamCall('POST', url, body, async (text) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const line = JSON.parse(l) as L;
      if (!onProgress(line)) outcome = line;
    }
  });
  if (outcome?.result !== undefined) return outcome.result;
  const e = outcome?.error;
  const err = new SakimoriError(e?.code && e.code in ERRORS ? (e.code as ErrorCode) : 'INTERNAL');
  err.message = e ? `${e.message}${e.errorId ? ` (error id ${e.errorId}: see the server's log)` : ''}` : `the server ended the ${what} without a result: see its log`;
  throw err;
}
