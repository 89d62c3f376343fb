/**
 * RTSP/1.0 (RFC 2326) as far as the survey needs it: an OPTIONS request out, the status line and
 * headers of the response in. The decoder never throws: `incomplete`, `malformed` (not RTSP, or
 * over the header bound) or the response. The body is not read (OPTIONS answers have none).
 */
import { isIP } from 'node:net';
import { parseChallenges } from '../http/auth.js';

export const RTSP_USER_AGENT = 'Sakimori-Survey/1.0';
export const MAX_RTSP_HEAD = 16 * 1024;

/** `OPTIONS rtsp://ip:port/ RTSP/1.0` with CSeq and User-Agent (IPv6 in brackets). */
export function encodeOptions(ip: string, port: number, cseq = 1, userAgent = RTSP_USER_AGENT): Buffer {
  const host = isIP(ip) === 6 ? `[${ip}]` : ip;
  return Buffer.from(`OPTIONS rtsp://${host}:${port}/ RTSP/1.0\r\nCSeq: ${cseq}\r\nUser-Agent: ${userAgent}\r\n\r\n`, 'latin1');
}

export interface RtspResponse {
  /** e.g. `RTSP/1.0`. */
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  /** The status line as received. */
  readonly statusLine: string;
  /** Headers in order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  /** The raw head (status line and headers, without the blank line). */
  readonly head: string;
}

export type RtspResult =
  | { readonly kind: 'response'; readonly response: RtspResponse; readonly used: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

const STATUS_LINE = /^(RTSP\/\d\.\d) (\d{3})(?: (.*))?$/;

/** First value of a header (case-insensitive name). */
export function header(r: RtspResponse, name: string): string | undefined {
  const n = name.toLowerCase();
  return r.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** Every value of a header (e.g. several WWW-Authenticate challenges). */
export function headers(r: RtspResponse, name: string): string[] {
  const n = name.toLowerCase();
  return r.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

/**
 * The response head from the start of `buf`. Lines end in CRLF (a bare LF is accepted, as many
 * cameras send it); the head ends at an empty line. Refused early when the first bytes cannot
 * start `RTSP/`.
 */
export function decodeResponse(buf: Buffer, maxHead = MAX_RTSP_HEAD): RtspResult {
  const prefix = buf.toString('latin1', 0, Math.min(buf.length, 5));
  if (!'RTSP/'.startsWith(prefix)) return { kind: 'malformed', reason: `not an RTSP response: "${prefix.replace(/[^\x20-\x7e]/g, '.')}"` };
  const text = buf.toString('latin1', 0, Math.min(buf.length, maxHead + 4));
  const m = /\r?\n\r?\n/.exec(text);
  if (m === null) {
    if (buf.length > maxHead) return { kind: 'malformed', reason: `response head over ${maxHead} bytes` };
    // Status line checked as soon as it is whole.
    const nl = text.indexOf('\n');
    if (nl >= 0 && !STATUS_LINE.test(text.slice(0, nl).replace(/\r$/, ''))) return { kind: 'malformed', reason: `status line "${text.slice(0, Math.min(nl, 80))}"` };
    return { kind: 'incomplete' };
  }
  if (m.index > maxHead) return { kind: 'malformed', reason: `response head over ${maxHead} bytes` };
  const head = text.slice(0, m.index);
  const lines = head.split(/\r?\n/);
  const statusLine = lines[0] ?? '';
  const sm = STATUS_LINE.exec(statusLine);
  if (sm === null) return { kind: 'malformed', reason: `status line "${statusLine.slice(0, 80)}"` };
  const hs: [string, string][] = [];
  for (const l of lines.slice(1)) {
    if (/^[ \t]/.test(l) && hs.length > 0) { // folded continuation
      const last = hs[hs.length - 1];
      if (last !== undefined) last[1] = `${last[1]} ${l.trim()}`;
      continue;
    }
    const i = l.indexOf(':');
    if (i <= 0) continue;
    if (hs.length >= 100) break;
    hs.push([l.slice(0, i).trim(), l.slice(i + 1).trim()]);
  }
  return {
    kind: 'response',
    response: { version: sm[1] ?? '', status: Number(sm[2]), reason: (sm[3] ?? '').trim(), statusLine, headers: hs, head },
    used: m.index + m[0].length,
  };
}

const SCHEME_NAMES: Readonly<Record<string, string>> = { basic: 'Basic', digest: 'Digest' };

/**
 * Scheme and realm of each WWW-Authenticate challenge (Basic/Digest), at most 10. Cameras send
 * several challenges in one header as well as in several headers (RFC 7235 §4.1), and realms
 * with commas or escaped quotes: parsed as HTTP challenges are.
 */
export function authChallenges(r: RtspResponse): { scheme: string; realm?: string }[] {
  return parseChallenges(headers(r, 'WWW-Authenticate').join(', ')).slice(0, 10).map((c) => {
    const realm = c.params['realm']?.slice(0, 200);
    return { scheme: SCHEME_NAMES[c.scheme] ?? c.scheme.slice(0, 40), ...(realm !== undefined ? { realm } : {}) };
  });
}
