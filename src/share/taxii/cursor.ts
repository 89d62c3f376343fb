/**
 * The `next` cursor of TAXII paging: opaque to the client, bound to the collection, the endpoint
 * (and object) and the filters it was made for, and holding the `date_added` of the last object
 * the page covered. A cursor brought to another collection or with other filters is refused
 * (medallion's cursor worked across collections); it only ever moves the position within the
 * request's own collection and filters, so even a forged one reads nothing the request could not.
 */
import { createHash } from 'node:crypto';
import { SakimoriError } from '../../errors.js';
import type { TaxiiQuery } from './taxii-query.js';

export interface CursorScope {
  readonly collectionId: string;
  /** The endpoint, and the object id for an object's versions. */
  readonly endpoint: string;
  readonly query: TaxiiQuery;
}

/** What binds a cursor: everything of the request but the page size and the cursor itself. */
function binding(s: CursorScope): string {
  const q = s.query;
  const canonical = JSON.stringify([s.endpoint, q.addedAfter, [...q.ids].sort(), [...q.types].sort(), [...q.versions].sort(), [...q.specVersions].sort()]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export function makeCursor(s: CursorScope, lastDateAdded: string): string {
  return Buffer.from(JSON.stringify({ c: s.collectionId, b: binding(s), a: lastDateAdded })).toString('base64url');
}

/** The date_added the cursor continues after; BAD_REQUEST when it is not one of this scope. */
export function readCursor(s: CursorScope, next: string): string {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const { c, b, a } = o;
  if (typeof c !== 'string' || typeof b !== 'string' || typeof a !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(a)) {
    throw new SakimoriError('BAD_REQUEST', 'next: not a cursor of this server', { parameter: 'next' });
  }
  if (c !== s.collectionId) throw new SakimoriError('BAD_REQUEST', 'next: the cursor belongs to another collection', { parameter: 'next' });
  if (b !== binding(s)) throw new SakimoriError('BAD_REQUEST', 'next: the cursor was made for another endpoint or other filters; keep the filters of the first page', { parameter: 'next' });
  return a;
}
