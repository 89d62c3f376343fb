/**
 * Time stamps of text flow files: wall-clock times of a named time zone (Argus and nfdump print
 * the local time of the machine that ran them, without a zone) and epoch seconds with fractions.
 * Fractions below the millisecond are dropped (the store keeps milliseconds).
 */
import { SakimoriError } from '../../errors.js';

/** Wall-clock time of one zone → ms since the epoch (NaN for an impossible date). */
export type WallClock = (year: number, month: number, day: number, hour: number, minute: number, second: number) => number;

const HOUR_MS = 3_600_000;

/**
 * The clock of an IANA time zone (`UTC`, `Asia/Tokyo`, `Europe/Berlin`). The offset is looked up
 * once per wall-clock hour and cached. In the hour a clock is set back (which happens twice) or
 * skipped, one of the two offsets is taken: the text cannot say which was meant. An unknown zone
 * throws BAD_TIME.
 */
export function wallClock(zone: string): WallClock {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') return utcClock;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw new SakimoriError('BAD_TIME', `unknown time zone ${JSON.stringify(zone)} (give an IANA name such as Asia/Tokyo)`);
  }
  /** Offset of the zone from UTC at instant t, in ms. */
  const offsetAt = (t: number): number => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    return asUtc - Math.floor(t / 1000) * 1000;
  };
  const cache = new Map<number, number>();
  return (year, month, day, hour, minute, second) => {
    const wall = utcClock(year, month, day, hour, minute, second);
    if (Number.isNaN(wall)) return NaN;
    const key = Math.floor(wall / HOUR_MS);
    let off = cache.get(key);
    if (off === undefined) {
      const base = key * HOUR_MS;
      off = offsetAt(base - offsetAt(base));
      if (cache.size >= 8192) cache.clear();
      cache.set(key, off);
    }
    return wall - off;
  };
}

function utcClock(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April into 1 May: such a date is not a date.
  return new Date(t).getUTCDate() === day || second === 60 ? t : NaN;
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let k = from; k < from + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Milliseconds of a fraction `.ddd…` at `from` (the dot), or -1 when it is not digits; digits past the third are dropped. */
function fractionMs(s: string, from: number): number {
  if (from >= s.length) return 0;
  if (s.charCodeAt(from) !== 46 || from + 1 >= s.length) return -1;
  let ms = 0;
  for (let k = from + 1; k < s.length; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    if (k <= from + 3) ms += c * (k === from + 1 ? 100 : k === from + 2 ? 10 : 1);
  }
  return ms;
}

/**
 * `YYYY-MM-DD hh:mm:ss[.fff…]` (also with `/` between the date's parts, or `T` before the time)
 * read on `clock` → ms since the epoch, or NaN.
 */
export function wallTimeToMs(s: string, clock: WallClock): number {
  if (s.length < 19) return NaN;
  const d1 = s.charCodeAt(4);
  const sep = s.charCodeAt(10);
  if ((d1 !== 45 && d1 !== 47) || s.charCodeAt(7) !== d1 || (sep !== 32 && sep !== 84) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return NaN;
  const frac = fractionMs(s, 19);
  if (frac < 0) return NaN;
  return clock(y, mo, d, h, mi, sec) + frac;
}

/** Seconds, optionally with a fraction (`1596347378.734373`, `0.512`) → whole ms (below-ms digits dropped), or NaN. */
export function secondsToMs(s: string): number {
  const n = s.length;
  let i = 0;
  let whole = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  if (i === 0 || i > 12) return NaN;
  const frac = fractionMs(s, i);
  return frac < 0 ? NaN : whole * 1000 + frac;
}

/** ISO 8601 / RFC 3339 (`2019-03-15T12:00:00.123456Z`, `…+09:00`, `…+0900`, no zone = UTC) → ms, or NaN. */
export function isoTimeToMs(s: string): number {
  let core = s;
  let offsetMs = 0;
  if (s.charCodeAt(s.length - 1) === 90) core = s.slice(0, -1); // 'Z'
  else {
    const k = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
    if (k >= 19) {
      const zone = s.slice(k + 1);
      const m = /^(\d{2}):?(\d{2})$/.exec(zone);
      if (!m) return NaN;
      offsetMs = (Number(m[1]) * 60 + Number(m[2])) * 60_000 * (s.charCodeAt(k) === 45 ? -1 : 1);
      core = s.slice(0, k);
    }
  }
  return wallTimeToMs(core, utcClock) - offsetMs;
}
