/**
 * STIX timestamps (section 2.16): RFC 3339, UTC with `Z`, `YYYY-MM-DDTHH:mm:ss[.s+]Z`, any number
 * of sub-second digits. Versions are ordered by `modified`, so comparison keeps the full
 * precision (a Date would drop everything below the millisecond) and does not compare texts of
 * different precision lexically ("…00.1Z" is later than "…00.01Z" but "…00.1Z" < "…00.10Z"
 * as text, though they are the same instant).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

export interface StixTime {
  /** `YYYY-MM-DDTHH:mm:ss`: fixed width, so it orders lexically. */
  readonly seconds: string;
  /** The sub-second digits as written ('' when none). */
  readonly fraction: string;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The parsed timestamp, or why the text is not one. */
export function parseStixTimestamp(text: string): StixTime | string {
  const m = TIMESTAMP.exec(text);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|z)$/.test(text)) return `"${text}" is not in UTC with the "Z" designation`;
    return `"${text}" is not an RFC 3339 timestamp of the form YYYY-MM-DDTHH:mm:ss[.s+]Z`;
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return `"${text}" has no such date`;
  // 60 is RFC 3339's leap second.
  if (hour > 23 || minute > 59 || second > 60) return `"${text}" has no such time of day`;
  return { seconds: text.slice(0, 19), fraction: m[7] ?? '' };
}

export function isStixTimestamp(text: string): boolean {
  return typeof parseStixTimestamp(text) !== 'string';
}

/** Sub-second digits written (created/modified need at least 3: "minimum precision MUST be milliseconds"). */
export function fractionDigits(text: string): number {
  const p = parseStixTimestamp(text);
  return typeof p === 'string' ? 0 : p.fraction.length;
}

/**
 * Orders two timestamps at full precision: negative when a is earlier, 0 when the same instant.
 * Texts that are not timestamps order before every timestamp (and among themselves as text), so
 * the function is total and a sort never throws.
 */
export function compareTimestamps(a: string, b: string): number {
  const pa = parseStixTimestamp(a);
  const pb = parseStixTimestamp(b);
  if (typeof pa === 'string' || typeof pb === 'string') {
    if (typeof pa !== 'string') return 1;
    if (typeof pb !== 'string') return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (pa.seconds !== pb.seconds) return pa.seconds < pb.seconds ? -1 : 1;
  const width = Math.max(pa.fraction.length, pb.fraction.length);
  const fa = pa.fraction.padEnd(width, '0');
  const fb = pb.fraction.padEnd(width, '0');
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/** Milliseconds since the epoch (precision below the millisecond dropped; a leap second read as :59.999). */
export function timestampMillis(text: string): number | undefined {
  const p = parseStixTimestamp(text);
  if (typeof p === 'string') return undefined;
  const leap = p.seconds.endsWith(':60');
  const base = Date.parse(`${leap ? `${p.seconds.slice(0, 17)}59` : p.seconds}Z`);
  const ms = leap ? 999 : Number(p.fraction.padEnd(3, '0').slice(0, 3));
  return base + ms;
}
