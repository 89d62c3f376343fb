/**
 * Checks of the values an import stores, so that a damaged record is reported where it was read
 * and never reaches the store (one value ClickHouse cannot parse would fail a whole batch).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { ServiceFinding } from '../schema/service-observation.js';
import type { ParseSink } from './types.js';

/** A dotted-quad IPv4 address without leading zeros beyond one digit per part, checked by char codes. */
export function isIPv4Fast(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let val = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || val > 255) return false;
      parts++;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && val === 0) return false; // "01"
      val = val * 10 + (c - 48);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}

/**
 * The address as stored (IPv4 dotted, IPv6 as written, lower case), or undefined when it is not
 * one. Zone ids (`fe80::1%eth0`) are refused: the store keeps addresses, not interfaces.
 */
export function checkIp(s: string): string | undefined {
  if (isIPv4Fast(s)) return s;
  if (s.length > 45 || s.indexOf(':') < 0 || s.indexOf('%') >= 0) return undefined;
  return isIPv6(s) ? s.toLowerCase() : undefined;
}

/** An integer port 0–65535 from a number or a decimal string, else undefined. */
export function checkPort(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 5) return undefined;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n <= 65535 ? n : undefined;
}

/** Seconds since 1970 (number or decimal string, fractions allowed) → epoch ms, else undefined. */
export function epochSecondsToMs(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? decimalSeconds(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 32_503_680_000) return undefined; // up to year 3000
  return Math.round(n * 1000);
}

/** Digits with an optional fraction (up to 12 integer digits), as a number; NaN otherwise. */
function decimalSeconds(v: string): number {
  const len = v.length;
  if (len === 0 || len > 40) return NaN;
  let n = 0;
  let i = 0;
  for (; i < len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  if (i === 0 || i > 12) return NaN;
  if (i === len) return n;
  if (v.charCodeAt(i) !== 46 || i + 1 === len || !/^\d+$/.test(v.slice(i + 1))) return NaN;
  return Number(v);
}

/**
 * `dateToMs` with a cache of the part without the fraction: survey outputs give many records per
 * second, so most records cost a string comparison.
 */
export function cachedDateToMs(): (v: string) => number | undefined {
  let lastKey = '';
  let lastMs = 0;
  // Records of several senders or threads interleave a few seconds: those stay cached too.
  const seen = new Map<string, number>();
  return (v) => {
    let key = v;
    let frac = 0;
    if (v.charCodeAt(19) === 46) {
      let j = 20;
      while (j < v.length && v.charCodeAt(j) >= 48 && v.charCodeAt(j) <= 57) j++;
      if (j === 20) return undefined;
      frac = Number(v.slice(20, Math.min(j, 23)).padEnd(3, '0'));
      key = v.slice(0, 19) + v.slice(j);
    }
    if (key !== lastKey) {
      let ms = seen.get(key);
      if (ms === undefined) {
        ms = dateToMs(key);
        if (ms === undefined) return undefined;
        if (seen.size >= 4096) seen.clear();
        seen.set(key, ms);
      }
      lastKey = key;
      lastMs = ms;
    }
    return lastMs + frac;
  };
}

/**
 * A date-time string → epoch ms. Accepts ISO 8601 / RFC 3339 with `Z`, `±hh:mm` or `±hhmm` (ZMap's
 * `timestamp_str`), fractions of any length; nanosecond fractions (Go) are cut to ms.
 */
export function dateToMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length < 10 || v.length > 64) return undefined;
  let s = v.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  const frac = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : '';
  const zone = m[4] === undefined ? 'Z' : m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  s = `${m[1]}T${m[2]}${frac}${zone}`;
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= 0 && t < 32_503_680_000_000 ? t : undefined;
}

/** Text as the banner column keeps it: control characters (C0, DEL, C1) escaped, other text kept, at most 4 KiB. */
export function bannerString(s: string, max = 4096): string {
  let out = '';
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && !(c >= 0x7f && c <= 0x9f)) out += s[i];
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out.length > max ? out.slice(0, max) : out;
}

/** The HTML <title> of a body, whitespace collapsed, entities of the common kinds decoded. */
export function htmlTitle(body: string): string {
  const m = /<title[^>]*>([\s\S]{0,2048}?)<\/title\s*>/i.exec(body.slice(0, 262_144));
  if (!m || m[1] === undefined) return '';
  return decodeEntities(m[1]).replace(/\s+/g, ' ').trim().slice(0, 512);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** XML/HTML character references: named (the five of XML plus nbsp), decimal and hex. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
    }
    return NAMED[e] ?? all;
  });
}

/** A CPE 2.2 URI (`cpe:/a:openbsd:openssh:9.2p1`, as nmap prints) as a CPE 2.3 formatted string. */
export function cpe23(uri: string): string | undefined {
  if (uri.startsWith('cpe:2.3:')) return uri;
  if (!uri.startsWith('cpe:/')) return undefined;
  const parts = uri.slice(5).split(':');
  const part = parts[0];
  if (part !== 'a' && part !== 'o' && part !== 'h') return undefined;
  const out = [part];
  for (let i = 1; i < 7; i++) {
    const p = parts[i];
    out.push(p === undefined || p === '' ? '*' : decodeURIComponentSafe(p).replace(/([^A-Za-z0-9_.\-])/g, '\\$1'));
  }
  while (out.length < 11) out.push('*');
  return `cpe:2.3:${out.join(':')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `SHA256:` + unpadded base64, as OpenSSH prints a host key fingerprint, from a hex digest. */
export function opensshSha256FromHex(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  return `SHA256:${Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '')}`;
}

/** One JSON-lines record as an object, or a problem reported for its line (undefined). */
export function jsonObjectLine(line: string, lineNo: number, sink: Pick<ParseSink, 'problem'>): Record<string, unknown> | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    sink.problem(lineNo, `not JSON: ${(e as Error).message.slice(0, 120)}`);
    return undefined;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    sink.problem(lineNo, 'not a JSON object');
    return undefined;
  }
  return o as Record<string, unknown>;
}

/** Leaf certificate fields from base64 DER; a certificate Node cannot parse keeps its fingerprint only. */
export function certFields(b64: string): Partial<ServiceFinding> {
  const der = Buffer.from(b64.replace(/\\x[0-9a-f]{2}|\s/g, ''), 'base64');
  if (der.length < 16) return {};
  const out: Partial<ServiceFinding> = { tls_fingerprint_sha256: createHash('sha256').update(der).digest('hex') };
  try {
    const c = new X509Certificate(der);
    out.tls_subject = c.subject.split('\n').reverse().join(', ');
    out.tls_issuer = c.issuer.split('\n').reverse().join(', ');
    const nb = Date.parse(c.validFrom);
    const na = Date.parse(c.validTo);
    if (Number.isFinite(nb)) out.tls_not_before = isoSeconds(nb);
    if (Number.isFinite(na)) out.tls_not_after = isoSeconds(na);
    const sans: string[] = [];
    for (const s of (c.subjectAltName ?? '').split(', ')) {
      if (s.startsWith('DNS:')) sans.push(s.slice(4));
      else if (s.startsWith('IP Address:')) sans.push(s.slice(11));
    }
    out.tls_sans = sans.slice(0, 100);
    out.tls_self_signed = c.subject === c.issuer ? 1 : 0;
  } catch {
    /* fingerprint only */
  }
  return out;
}

/** A time for the DateTime (seconds) columns: ISO 8601 without fractions. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
