/**
 * The common form of ISO 8601 time stamps (`YYYY-MM-DD[T ]hh:mm:ss[.f…][Z|±hh:mm|±hhmm]`, no zone
 * meaning UTC) read with character arithmetic: ingest reads one or two per event, and Date.parse
 * or a regular expression cost a microsecond each, a tenth of an event's budget. Any other form
 * (and any field out of range) gives NaN, so the caller falls back to its general parser and
 * keeps its exact behaviour.
 */

let lastDay = -1;
let lastDayMs = 0;

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Microseconds since the epoch, or NaN when `s` is not in the common form. */
export function isoMicrosFast(s: string): number {
  const n = s.length;
  if (n < 19 || n > 40) return NaN;
  const c = two(s, 0);
  const y2 = two(s, 2);
  if (c < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return NaN;
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const se = two(s, 17);
  // 24:00, a leap second and such are left to the general parser (it has its own way with them).
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return NaN;
  const y = c * 100 + y2;
  const key = (y * 100 + mo) * 100 + d;
  if (key !== lastDay) {
    const ms = Date.UTC(y, mo - 1, d);
    // Days past the month's end (Feb 30) are not this form's to judge.
    if (new Date(ms).getUTCDate() !== d) return NaN;
    lastDay = key;
    lastDayMs = ms;
  }
  let i = 19;
  let micros = 0;
  if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
    i++;
    let digits = 0;
    for (; i < n; i++) {
      const x = s.charCodeAt(i) - 48;
      if (x < 0 || x > 9) break;
      if (digits < 6) micros = micros * 10 + x;
      digits++;
    }
    if (digits === 0 || digits > 9) return NaN;
    for (let k = digits; k < 6; k++) micros *= 10;
  }
  let offsetSeconds = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i === n - 1) {
      // Z
    } else if (z === 43 || z === 45) {
      const oh = two(s, i + 1);
      const colon = s.charCodeAt(i + 3) === 58;
      const om = two(s, colon ? i + 4 : i + 3);
      if (oh < 0 || om < 0 || oh > 23 || om > 59 || (colon ? i + 6 : i + 5) !== n) return NaN;
      offsetSeconds = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return NaN;
    }
  }
  return (lastDayMs / 1000 + h * 3600 + mi * 60 + se - offsetSeconds) * 1e6 + micros;
}
