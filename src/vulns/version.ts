/**
 * Version comparison as NVD applies it to CPE match ranges: a version is a run of tokens, digits
 * compared as numbers and letters compared lexically (case-insensitive), separators (`.`, `-`,
 * `_`, `+`, `:` …) only divide tokens. So 1.2 < 1.10, 7.4 < 7.4p1 < 7.5, 2.4.49 < 2.4.50.
 *
 * Two refinements over plain token order, both from how products name pre-releases:
 * - a version that is a prefix of another is older (7.4 < 7.4p1, 1.0 < 1.0.1), except when the
 *   longer one continues with a pre-release word (alpha, beta, rc, pre, preview, dev):
 *   1.0rc1 < 1.0;
 * - at the same position a word sorts before a number (2.0a < 2.0.1, 1.0.rc1 < 1.0.0).
 */
export type VersionToken = number | string;

const PRE_RELEASE = new Set(['alpha', 'beta', 'rc', 'pre', 'preview', 'dev']);

/** The tokens of a version (digits as numbers, letters lower-cased); empty for an empty string. */
export function versionTokens(v: string): VersionToken[] {
  const out: VersionToken[] = [];
  const n = v.length;
  let i = 0;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && v.charCodeAt(j) >= 48 && v.charCodeAt(j) <= 57) j++;
      out.push(Number(v.slice(i, j)));
      i = j;
    } else if ((c | 0x20) >= 97 && (c | 0x20) <= 122) {
      let j = i + 1;
      while (j < n && (v.charCodeAt(j) | 0x20) >= 97 && (v.charCodeAt(j) | 0x20) <= 122) j++;
      out.push(v.slice(i, j).toLowerCase());
      i = j;
    } else {
      i++;
    }
  }
  return out;
}

/** Compares token lists: negative when a is older, 0 equal, positive when a is newer. */
export function compareTokens(a: readonly VersionToken[], b: readonly VersionToken[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return typeof y === 'string' && PRE_RELEASE.has(y) ? 1 : -1;
    if (y === undefined) return typeof x === 'string' && PRE_RELEASE.has(x) ? -1 : 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
    return typeof x === 'string' ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: string, b: string): number {
  return compareTokens(versionTokens(a), versionTokens(b));
}

/** Bounds of an NVD range; absent bounds are open. */
export interface VersionRange {
  readonly startIncluding?: readonly VersionToken[] | undefined;
  readonly startExcluding?: readonly VersionToken[] | undefined;
  readonly endIncluding?: readonly VersionToken[] | undefined;
  readonly endExcluding?: readonly VersionToken[] | undefined;
}

export function inRange(v: readonly VersionToken[], r: VersionRange): boolean {
  if (r.startIncluding && compareTokens(v, r.startIncluding) < 0) return false;
  if (r.startExcluding && compareTokens(v, r.startExcluding) <= 0) return false;
  if (r.endIncluding && compareTokens(v, r.endIncluding) > 0) return false;
  if (r.endExcluding && compareTokens(v, r.endExcluding) >= 0) return false;
  return true;
}

export function hasBounds(r: VersionRange): boolean {
  return r.startIncluding !== undefined || r.startExcluding !== undefined || r.endIncluding !== undefined || r.endExcluding !== undefined;
}
