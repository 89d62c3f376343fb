/**
 * Versions and revocation (STIX 2.1 section 3.6): a version is identified by id and `modified`;
 * the most recent `modified` is the current state; `revoked: true` is permanent and no later
 * version may follow it. SCOs and marking definitions have no versions (id alone).
 */
import { compareTimestamps } from './timestamps.js';

export interface Versioned {
  readonly id: string;
  readonly modified?: string;
  readonly created?: string;
  readonly revoked?: boolean;
}

/** The version key of an object: its `modified`, or '' when it is not versioned. */
export function versionOf(o: Versioned): string {
  return typeof o.modified === 'string' ? o.modified : '';
}

/**
 * Orders two versions of one object by `modified` at full precision (negative: a is older).
 * An unversioned object (no `modified`) orders before any versioned one.
 */
export function compareVersions(a: Versioned, b: Versioned): number {
  const ma = versionOf(a);
  const mb = versionOf(b);
  if (ma === '' || mb === '') return ma === mb ? 0 : ma === '' ? -1 : 1;
  return compareTimestamps(ma, mb);
}

/** Is `a` a newer version of the same object than `b`? (False for different ids.) */
export function isNewerVersion(a: Versioned, b: Versioned): boolean {
  return a.id === b.id && compareVersions(a, b) > 0;
}

/** The current version among several versions of objects (the newest per id). */
export function latestVersions<T extends Versioned>(objects: Iterable<T>): Map<string, T> {
  const out = new Map<string, T>();
  for (const o of objects) {
    const cur = out.get(o.id);
    if (!cur || compareVersions(o, cur) > 0) out.set(o.id, o);
  }
  return out;
}

export function isRevoked(o: Versioned): boolean {
  return o.revoked === true;
}

/**
 * Why `next` may not follow `current` as a new version of it, or null when it may: a different
 * object, not later, or a version after a revocation ("once an object is marked as revoked,
 * later versions of that object MUST NOT be created"). `created` must not change either.
 */
export function versionChangeProblem(current: Versioned, next: Versioned): string | null {
  if (current.id !== next.id) return `${next.id} is not a version of ${current.id}`;
  if (current.created !== undefined && next.created !== current.created) return `created must not change between versions (${current.created} → ${String(next.created)})`;
  if (compareVersions(next, current) <= 0) return `modified ${versionOf(next)} is not later than the current version's ${versionOf(current)}`;
  if (isRevoked(current)) return `${current.id} was revoked at ${versionOf(current)}: no later version may follow`;
  return null;
}

/**
 * The new version that revokes `o` (same object, `revoked: true`, `modified` now, which the
 * spec requires to change with the revocation). `now` must be later than the current version.
 */
export function revoke<T extends Versioned>(o: T, now: Date = new Date()): T & { revoked: true; modified: string } {
  let modified = now.toISOString();
  // Never move backwards: the revocation must be a later version than the current one.
  if (o.modified && compareTimestamps(modified, o.modified) <= 0) modified = laterThan(o.modified);
  return { ...o, revoked: true, modified };
}

/** The smallest later timestamp at the same precision (one more unit in the last digit). */
function laterThan(ts: string): string {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(ts);
  const frac = m?.[2] ?? '000';
  const next = (BigInt(frac) + 1n).toString().padStart(frac.length, '0');
  if (next.length > frac.length) return new Date(Date.parse(`${m?.[1] ?? ''}Z`) + 1000).toISOString().replace(/\.\d+Z$/, `.${'0'.repeat(frac.length)}Z`);
  return `${m?.[1] ?? ''}.${next}Z`;
}
