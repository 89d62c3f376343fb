/**
 * A minimal RESP (REdis Serialization Protocol, version 2) codec for the survey: commands go out
 * as arrays of bulk strings; one reply comes back. The decoder takes the peer's bytes and never
 * throws: `incomplete` (wait for more), `malformed` (not RESP, or over a bound) or the value.
 * RESP3-only types (sent only after HELLO 3, which we never send) are malformed.
 */

/** A command as RESP sends it: `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export type RespValue =
  | { readonly type: 'simple'; readonly value: string }
  | { readonly type: 'error'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'bulk'; readonly value: Buffer | null }
  | { readonly type: 'array'; readonly value: readonly RespValue[] | null };

export type RespResult =
  | { readonly kind: 'value'; readonly value: RespValue; readonly used: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

export interface RespLimits {
  /** Longest bulk string accepted. */
  readonly maxBulk: number;
  /** Longest simple string / error / integer line (without CRLF). */
  readonly maxLine: number;
  /** Most array elements. */
  readonly maxElements: number;
  /** Deepest array nesting. */
  readonly maxDepth: number;
}

export const DEFAULT_RESP_LIMITS: RespLimits = { maxBulk: 60 * 1024, maxLine: 4096, maxElements: 1024, maxDepth: 4 };

type Step = RespResult;

/** The line at `pos` up to CRLF (without it), or why not. */
function line(buf: Buffer, pos: number, max: number): { kind: 'line'; text: string; next: number } | { kind: 'incomplete' } | { kind: 'malformed'; reason: string } {
  const end = buf.indexOf('\r\n', pos, 'latin1');
  if (end < 0) {
    if (buf.length - pos > max + 1) return { kind: 'malformed', reason: `line longer than ${max} bytes` };
    return { kind: 'incomplete' };
  }
  if (end - pos > max) return { kind: 'malformed', reason: `line longer than ${max} bytes` };
  return { kind: 'line', text: buf.toString('latin1', pos, end), next: end + 2 };
}

function parseLength(text: string, what: string): number | string {
  if (!/^-?\d{1,10}$/.test(text)) return `${what} length "${text.slice(0, 20)}" is not a number`;
  const n = Number(text);
  if (n < -1) return `${what} length ${n}`;
  return n;
}

function parseAt(buf: Buffer, pos: number, lim: RespLimits, depth: number): Step {
  const t = buf[pos];
  if (t === undefined) return { kind: 'incomplete' };
  const l = line(buf, pos + 1, lim.maxLine);
  if (l.kind !== 'line') return l;
  switch (t) {
    case 0x2b: // +
      return { kind: 'value', value: { type: 'simple', value: l.text }, used: l.next };
    case 0x2d: // -
      return { kind: 'value', value: { type: 'error', value: l.text }, used: l.next };
    case 0x3a: { // :
      if (!/^[+-]?\d{1,19}$/.test(l.text)) return { kind: 'malformed', reason: `integer "${l.text.slice(0, 20)}"` };
      return { kind: 'value', value: { type: 'integer', value: Number(l.text) }, used: l.next };
    }
    case 0x24: { // $
      const n = parseLength(l.text, 'bulk');
      if (typeof n === 'string') return { kind: 'malformed', reason: n };
      if (n === -1) return { kind: 'value', value: { type: 'bulk', value: null }, used: l.next };
      if (n > lim.maxBulk) return { kind: 'malformed', reason: `bulk string of ${n} bytes over the ${lim.maxBulk}-byte bound` };
      if (buf.length < l.next + n + 2) return { kind: 'incomplete' };
      if (buf[l.next + n] !== 0x0d || buf[l.next + n + 1] !== 0x0a) return { kind: 'malformed', reason: 'bulk string not followed by CRLF' };
      return { kind: 'value', value: { type: 'bulk', value: buf.subarray(l.next, l.next + n) }, used: l.next + n + 2 };
    }
    case 0x2a: { // *
      const n = parseLength(l.text, 'array');
      if (typeof n === 'string') return { kind: 'malformed', reason: n };
      if (n === -1) return { kind: 'value', value: { type: 'array', value: null }, used: l.next };
      if (n > lim.maxElements) return { kind: 'malformed', reason: `array of ${n} elements over the ${lim.maxElements} bound` };
      if (depth >= lim.maxDepth && n > 0) return { kind: 'malformed', reason: `arrays nested deeper than ${lim.maxDepth}` };
      const items: RespValue[] = [];
      let p = l.next;
      for (let i = 0; i < n; i++) {
        const r = parseAt(buf, p, lim, depth + 1);
        if (r.kind !== 'value') return r;
        items.push(r.value);
        p = r.used;
      }
      return { kind: 'value', value: { type: 'array', value: items }, used: p };
    }
    default:
      return { kind: 'malformed', reason: `not a RESP type byte: 0x${t.toString(16).padStart(2, '0')}` };
  }
}

/**
 * One reply from the start of `buf`. The type byte is checked before waiting for a line end, so
 * text that is not RESP (an HTTP reply, a banner) is refused at once.
 */
export function decodeReply(buf: Buffer, limits: RespLimits = DEFAULT_RESP_LIMITS): RespResult {
  const t = buf[0];
  if (t === undefined) return { kind: 'incomplete' };
  if (t !== 0x2b && t !== 0x2d && t !== 0x3a && t !== 0x24 && t !== 0x2a) {
    return { kind: 'malformed', reason: `not a RESP type byte: 0x${t.toString(16).padStart(2, '0')}` };
  }
  return parseAt(buf, 0, limits, 0);
}

/**
 * INFO text (`# Section` headers, `key:value` lines, CRLF or LF) → key → value, at most
 * `maxFields` fields; lines without a colon are skipped. Never throws.
 */
export function parseInfo(text: string, maxFields = 500): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    if (out.size >= maxFields) break;
    const l = raw.trim();
    if (l.length === 0 || l.startsWith('#')) continue;
    const i = l.indexOf(':');
    if (i <= 0) continue;
    const k = l.slice(0, i);
    if (!out.has(k)) out.set(k, l.slice(i + 1));
  }
  return out;
}
