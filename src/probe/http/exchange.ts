/**
 * One HTTP/1.1 request and its response over a socket the probe context opened: our own client,
 * so that a malformed response is recorded instead of thrown and every read is bounded (bytes
 * kept, a timeout between bytes and one for the whole response, the survey's abort signal).
 * The socket is always destroyed at the end (requests carry `Connection: close`).
 */
import { isIPv6, type Socket } from 'node:net';
import { VERSION } from '../../version.js';
import { parseHttpResponse, type HttpResponse, type ParseOutcome } from './response.js';

export const USER_AGENT = `Sakimori/${VERSION} (Internet exposure survey)`;
/** Bytes kept per connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface ExchangeOptions {
  /** Longest wait for the next bytes. */
  readonly readTimeoutMs: number;
  /** Longest wait for the whole response. Default 3 × readTimeoutMs. */
  readonly totalTimeoutMs?: number;
  /** Bytes read at most. Default 64 KiB. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Stop once the header section is parsed (the body is not wanted). */
  readonly headOnly?: boolean;
}

export type ExchangeEnd = 'parsed' | 'closed' | 'cap' | 'timeout' | 'aborted' | 'error';

export interface ExchangeResult {
  /** Never `more`. */
  readonly outcome: Exclude<ParseOutcome, { kind: 'more' }>;
  /** Bytes received (at most maxBytes). */
  readonly raw: Buffer;
  /** Why reading stopped. */
  readonly end: ExchangeEnd;
  /** Socket error message, when one ended the reading. */
  readonly socketError?: string;
  readonly elapsedMs: number;
}

export interface RequestOptions {
  readonly method?: string;
  readonly path: string;
  /** Host header value. */
  readonly host: string;
  /** Extra header lines (name, value); values must not contain CR/LF. */
  readonly headers?: readonly (readonly [string, string])[];
}

/** Host header for an IP target: brackets for IPv6, the port unless it is the scheme's default. */
export function hostHeader(ip: string, port: number, tls: boolean): string {
  const h = isIPv6(ip) ? `[${ip}]` : ip;
  return port === (tls ? 443 : 80) ? h : `${h}:${port}`;
}

export function buildRequest(r: RequestOptions): Buffer {
  const lines = [
    `${r.method ?? 'GET'} ${r.path} HTTP/1.1`,
    `Host: ${r.host}`,
    `User-Agent: ${USER_AGENT}`,
    'Accept: */*',
    ...(r.headers ?? []).map(([n, v]) => `${n}: ${v.replace(/[\r\n]/g, ' ')}`),
    'Connection: close',
    '', '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

export function httpExchange(sock: Socket, request: Buffer, opts: ExchangeOptions): Promise<ExchangeResult> {
  const maxBytes = opts.maxBytes ?? MAX_RESPONSE_BYTES;
  const totalMs = opts.totalTimeoutMs ?? opts.readTimeoutMs * 3;
  const t0 = Date.now();
  const parseOpts = { headOnly: opts.headOnly === true };
  return new Promise<ExchangeResult>((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let settled = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const finish = (end: ExchangeEnd, outcome: Exclude<ParseOutcome, { kind: 'more' }> | null, socketError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(total);
      opts.signal?.removeEventListener('abort', onAbort);
      sock.removeListener('data', onData);
      const raw = Buffer.concat(chunks, n);
      let out = outcome;
      if (out === null) {
        const p = parseHttpResponse(raw, true, { ...parseOpts, cut: end !== 'closed' });
        out = p.kind === 'more' ? { kind: 'not-http', error: 'incomplete response' } : p;
      }
      if (out.kind === 'not-http' && raw.length === 0) {
        const why = end === 'timeout' ? `no response within ${opts.readTimeoutMs} ms`
          : end === 'aborted' ? 'aborted'
            : end === 'error' ? `connection error before any response: ${socketError ?? ''}` : 'connection closed without a response';
        out = { kind: 'not-http', error: why };
      }
      sock.destroy();
      resolve({ outcome: out, raw, end, elapsedMs: Date.now() - t0, ...(socketError !== undefined ? { socketError } : {}) });
    };
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => finish('timeout', null), opts.readTimeoutMs);
    };
    const total = setTimeout(() => finish('timeout', null), totalMs);
    const onAbort = (): void => finish('aborted', null);
    const onData = (d: Buffer): void => {
      if (settled) return;
      const room = maxBytes - n;
      const piece = d.length > room ? d.subarray(0, room) : d;
      chunks.push(piece);
      n += piece.length;
      if (n >= maxBytes) { finish('cap', null); return; }
      const p = parseHttpResponse(Buffer.concat(chunks, n), false, parseOpts);
      if (p.kind !== 'more') { finish('parsed', p); return; }
      armIdle();
    };
    if (opts.signal?.aborted === true) { finish('aborted', null); return; }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    sock.on('data', onData);
    sock.on('end', () => finish('closed', null));
    sock.on('close', () => finish('closed', null));
    sock.on('error', (e: Error) => finish('error', null, e.message));
    armIdle();
    sock.write(request, (e) => { if (e) finish('error', null, e.message); });
  });
}

export function isResponse(o: ExchangeResult['outcome']): o is { kind: 'response'; response: HttpResponse } {
  return o.kind === 'response';
}
