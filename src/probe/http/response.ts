/**
 * HTTP/1.x response parser for a survey: pure (bytes in, record out), tolerant, and it never
 * throws. Malformed responses are recorded as far as they go, with the problems seen; `more`
 * is only returned while the peer may still send (eof=false). Header names are lower-cased and
 * repeated headers joined with ", "; chunked and content-length bodies are decoded.
 */

export type BodyFraming = 'chunked' | 'content-length' | 'close' | 'none';

export interface HttpResponse {
  /** "HTTP/1.1" as sent (may be odd: "HTTP/1.x" is kept as is). */
  readonly version: string;
  /** Status code; 0 when the status line had none. */
  readonly status: number;
  readonly reason: string;
  readonly statusLine: string;
  /** Header lines as received (latin1), folded lines joined; for the banner. */
  readonly headerLines: readonly string[];
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly framing: BodyFraming;
  /** The header section and the body were read to their end as framed. */
  readonly complete: boolean;
  /** Malformed things seen (bad header lines, bad chunk sizes, truncation …). */
  readonly problems: readonly string[];
  /** Interim (1xx) responses skipped before this one. */
  readonly interim: readonly number[];
}

export type ParseOutcome =
  | { readonly kind: 'more' }
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'not-http'; readonly error: string };

export interface ParseOptions {
  /** Set for a response to HEAD or when only the header section is wanted: no body is read. */
  readonly headOnly?: boolean;
  /** Header lines kept at most (the rest is counted as a problem). Default 200. */
  readonly maxHeaders?: number;
  /**
   * With eof: the reading stopped on our side (byte bound or timeout), not because the peer
   * closed; a body delimited by the close is then incomplete.
   */
  readonly cut?: boolean;
}

const MAGIC = 'HTTP/';
const MAX_INTERIM = 10;

/** Index just after the blank line ending the header section, and where that blank line starts. */
function headerEnd(buf: Buffer, from: number): { lineEnd: number; next: number } | null {
  for (let i = buf.indexOf(0x0a, from); i >= 0; i = buf.indexOf(0x0a, i + 1)) {
    // "\n\n" or "\n\r\n"
    if (buf[i + 1] === 0x0a) return { lineEnd: i, next: i + 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { lineEnd: i, next: i + 3 };
  }
  return null;
}

function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

interface Head {
  version: string;
  status: number;
  reason: string;
  statusLine: string;
  headerLines: string[];
  headers: Record<string, string>;
  problems: string[];
}

function parseHead(text: string, maxHeaders: number): Head {
  const lines = splitLines(text);
  const statusLine = lines[0] ?? '';
  const problems: string[] = [];
  const m = /^(HTTP\/\S*)(?:[ \t]+(\d{3})(?=[ \t]|$))?[ \t]*(.*)$/.exec(statusLine);
  let version = 'HTTP/';
  let status = 0;
  let reason = '';
  if (m !== null) {
    version = m[1] ?? 'HTTP/';
    status = m[2] !== undefined ? Number(m[2]) : 0;
    reason = (m[3] ?? '').trim();
    if (m[2] === undefined) problems.push('status line without a 3-digit status code');
    if (!/^HTTP\/\d\.\d$/.test(version)) problems.push(`odd protocol version "${version.slice(0, 20)}"`);
  }
  const headerLines: string[] = [];
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  let dropped = 0;
  let badLines = 0;
  let lastName: string | null = null;
  for (const line of lines.slice(1)) {
    if (line.length === 0) continue;
    if ((line[0] === ' ' || line[0] === '\t') && lastName !== null && headerLines.length > 0) {
      // obs-fold: continuation of the previous header (RFC 9112 §5.2 says replace by a space).
      headerLines[headerLines.length - 1] += ` ${line.trim()}`;
      headers[lastName] = `${headers[lastName] ?? ''} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      badLines++;
      lastName = null;
      continue;
    }
    if (headerLines.length >= maxHeaders) { dropped++; continue; }
    headerLines.push(line);
    const value = line.slice(colon + 1).trim();
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${prev}, ${value}`;
    lastName = name;
  }
  if (badLines > 0) problems.push(`${badLines} malformed header line(s) skipped`);
  if (dropped > 0) problems.push(`${dropped} header line(s) over the ${maxHeaders}-line bound dropped`);
  return { version, status, reason, statusLine, headerLines, headers, problems };
}

type Body = { body: Buffer; complete: boolean; more: boolean; problems: string[] };

function readChunked(buf: Buffer, start: number, eof: boolean): Body {
  const parts: Buffer[] = [];
  const problems: string[] = [];
  let at = start;
  const done = (complete: boolean, problem?: string): Body => {
    if (problem !== undefined) problems.push(problem);
    return { body: Buffer.concat(parts), complete, more: false, problems };
  };
  for (;;) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) {
      if (!eof && buf.length - at < 1024) return { body: Buffer.alloc(0), complete: false, more: true, problems };
      return done(false, buf.length - at >= 1024 ? 'chunk size line too long' : 'chunked body cut before the last chunk');
    }
    const sizeLine = buf.subarray(at, nl).toString('latin1').replace(/\r$/, '');
    const sizeText = (sizeLine.split(';')[0] ?? '').trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return done(false, `bad chunk size "${sizeLine.slice(0, 40)}"`);
    const size = parseInt(sizeText, 16);
    at = nl + 1;
    if (size === 0) {
      // Trailer section up to an empty line; a server that closes right after "0\r\n" is forgiven.
      for (;;) {
        const tl = buf.indexOf(0x0a, at);
        if (tl < 0) {
          if (!eof) return { body: Buffer.alloc(0), complete: false, more: true, problems };
          return done(true);
        }
        const line = buf.subarray(at, tl).toString('latin1').replace(/\r$/, '');
        at = tl + 1;
        if (line.length === 0) return done(true);
      }
    }
    if (buf.length - at < size + 1) {
      if (!eof) return { body: Buffer.alloc(0), complete: false, more: true, problems };
      parts.push(buf.subarray(at, Math.min(buf.length, at + size)));
      return done(false, 'chunked body cut inside a chunk');
    }
    parts.push(buf.subarray(at, at + size));
    at += size;
    // CRLF (or a bare LF) after the chunk data.
    if (buf[at] === 0x0d && buf[at + 1] === 0x0a) at += 2;
    else if (buf[at] === 0x0a) at += 1;
    else if (buf[at] === 0x0d && at + 1 >= buf.length) {
      if (!eof) return { body: Buffer.alloc(0), complete: false, more: true, problems };
      return done(false, 'chunked body cut after a chunk');
    } else return done(false, 'chunk data not followed by CRLF');
  }
}

function framing(status: number, headers: Record<string, string>, headOnly: boolean, problems: string[]): { kind: BodyFraming; length?: number } {
  if (headOnly || (status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' };
  const te = headers['transfer-encoding'];
  if (te !== undefined) {
    const codings = te.toLowerCase().split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (codings[codings.length - 1] === 'chunked') {
      if (headers['content-length'] !== undefined) problems.push('both Transfer-Encoding and Content-Length (chunked used)');
      return { kind: 'chunked' };
    }
    problems.push(`transfer-encoding "${te.slice(0, 40)}" without chunked last: read to close`);
    return { kind: 'close' };
  }
  const cl = headers['content-length'];
  if (cl !== undefined) {
    const values = [...new Set(cl.split(',').map((s) => s.trim()))];
    const v = values[0] ?? '';
    if (values.length > 1) problems.push(`conflicting Content-Length values "${cl.slice(0, 40)}"`);
    if (/^\d{1,15}$/.test(v)) return { kind: 'content-length', length: Number(v) };
    problems.push(`bad Content-Length "${cl.slice(0, 40)}": read to close`);
    return { kind: 'close' };
  }
  return { kind: 'close' };
}

/**
 * Parses what was received so far. `eof` says no more bytes will come (closed, cap or timeout):
 * then a partial response is returned with complete=false rather than `more`.
 */
export function parseHttpResponse(buf: Buffer, eof: boolean, opts: ParseOptions = {}): ParseOutcome {
  const maxHeaders = opts.maxHeaders ?? 200;
  let at = 0;
  // A few stray blank lines before the status line are tolerated (RFC 9112 §2.2 for requests).
  while (at < buf.length && at < 8 && (buf[at] === 0x0d || buf[at] === 0x0a)) at++;
  const interim: number[] = [];
  for (;;) {
    const avail = buf.length - at;
    const prefix = buf.subarray(at, at + MAGIC.length).toString('latin1');
    if (prefix !== MAGIC.slice(0, prefix.length) || (avail === 0 && eof) || (avail < MAGIC.length && eof)) {
      if (interim.length > 0 && avail === 0) break; // only interim responses, then silence
      return { kind: 'not-http', error: avail === 0 ? 'no response' : 'response does not start with "HTTP/"' };
    }
    if (avail < MAGIC.length) return { kind: 'more' };
    const end = headerEnd(buf, at);
    if (end === null) {
      if (!eof) return { kind: 'more' };
      // Cut inside the header section: keep the complete lines.
      const text = buf.subarray(at).toString('latin1');
      const lastNl = text.lastIndexOf('\n');
      const head = parseHead(lastNl >= 0 ? text.slice(0, lastNl) : text, maxHeaders);
      head.problems.push('header section not terminated');
      return {
        kind: 'response',
        response: { ...head, body: Buffer.alloc(0), framing: 'none', complete: false, interim },
      };
    }
    const head = parseHead(buf.subarray(at, end.lineEnd).toString('latin1'), maxHeaders);
    at = end.next;
    if (head.status >= 100 && head.status < 200 && head.status !== 101 && interim.length < MAX_INTERIM) {
      interim.push(head.status);
      continue;
    }
    const f = framing(head.status, head.headers, opts.headOnly === true, head.problems);
    const base = { ...head, framing: f.kind, interim };
    if (f.kind === 'none') return { kind: 'response', response: { ...base, body: Buffer.alloc(0), complete: true } };
    if (f.kind === 'content-length') {
      const len = f.length ?? 0;
      if (buf.length - at >= len) {
        const extra = buf.length - at - len;
        if (extra > 0) head.problems.push(`${extra} byte(s) after the Content-Length body`);
        return { kind: 'response', response: { ...base, body: buf.subarray(at, at + len), complete: true } };
      }
      if (!eof) return { kind: 'more' };
      head.problems.push(`body cut at ${buf.length - at} of ${len} bytes`);
      return { kind: 'response', response: { ...base, body: buf.subarray(at), complete: false } };
    }
    if (f.kind === 'chunked') {
      const b = readChunked(buf, at, eof);
      if (b.more) return { kind: 'more' };
      head.problems.push(...b.problems);
      return { kind: 'response', response: { ...base, body: b.body, complete: b.complete } };
    }
    // Read to close: complete only when the peer closed (the caller says so through eof).
    if (!eof) return { kind: 'more' };
    if (opts.cut === true) head.problems.push('body delimited by the close cut before the peer closed');
    return { kind: 'response', response: { ...base, body: buf.subarray(at), complete: opts.cut !== true } };
  }
  return { kind: 'not-http', error: `only interim responses (${interim.join(', ')})` };
}
