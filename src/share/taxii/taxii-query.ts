/**
 * The query parameters of the TAXII 2.1 collection endpoints (`added_after`, `limit`, `next`,
 * `match[id|type|version|spec_version]`, comma lists allowed), checked strictly: a malformed value
 * or a match field the endpoint does not take is an error naming the parameter, never silently
 * ignored (an ignored filter would hand out more than was asked for).
 */
import { SakimoriError } from '../../errors.js';
import { STIX_TIMESTAMP } from './stix-facts.js';

export type TaxiiEndpoint = 'objects' | 'manifest' | 'object' | 'versions' | 'delete';

/** The match fields each endpoint takes (TAXII 2.1 sections 5.3 to 5.8). */
const MATCH_FIELDS: Readonly<Record<TaxiiEndpoint, readonly string[]>> = {
  objects: ['id', 'type', 'version', 'spec_version'],
  manifest: ['id', 'type', 'version', 'spec_version'],
  object: ['version', 'spec_version'],
  versions: ['spec_version'],
  delete: ['version', 'spec_version'],
};
const PAGED: ReadonlySet<TaxiiEndpoint> = new Set(['objects', 'manifest', 'object', 'versions']);

export interface TaxiiQuery {
  readonly addedAfter: string | null;
  /** null: the server's maximum. */
  readonly limit: number | null;
  readonly next: string | null;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly versions: readonly string[];
  readonly specVersions: readonly string[];
}

const ID = /^[a-z0-9][a-z0-9-]*[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const SPEC = /^\d{1,2}\.\d{1,2}$/;

const bad = (param: string, message: string): SakimoriError => new SakimoriError('BAD_REQUEST', `${param}: ${message}`, { parameter: param });

/**
 * A timestamp cut to the microseconds the store keeps, never rounded up: rounding `added_after`
 * up would skip an object added within the rounded-away fraction.
 */
export function toMicroseconds(param: string, value: string): string {
  if (!STIX_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) throw bad(param, `"${value.slice(0, 64)}" is not a timestamp such as 2021-06-10T00:00:00.000Z`);
  return value.replace(/(\.\d{6})\d+Z$/, '$1Z');
}

function one(param: string, v: unknown): string | null {
  if (v === undefined) return null;
  if (typeof v === 'string') return v;
  throw bad(param, 'give it once');
}

/** A comma list (repeated parameters add to it); each item checked by `valid`. */
function list(param: string, v: unknown, valid: (s: string) => string): string[] {
  if (v === undefined) return [];
  const raw = typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  if (raw === null) throw bad(param, 'a comma-separated list');
  const items = raw.flatMap((s) => s.split(',')).map((s) => s.trim());
  if (items.some((s) => s === '')) throw bad(param, 'an empty item in the list');
  return [...new Set(items.map(valid))];
}

export function parseTaxiiQuery(endpoint: TaxiiEndpoint, q: Readonly<Record<string, unknown>>): TaxiiQuery {
  for (const key of Object.keys(q)) {
    const m = /^match\[(.*)\]$/.exec(key);
    if (m) {
      if (!MATCH_FIELDS[endpoint].includes(m[1] ?? '')) throw bad(key, `this endpoint filters by ${MATCH_FIELDS[endpoint].map((f) => `match[${f}]`).join(', ')}`);
    } else if (key.startsWith('match')) throw bad(key, 'a filter is written match[field]');
    else if (!PAGED.has(endpoint) && ['added_after', 'limit', 'next'].includes(key)) throw bad(key, 'this endpoint does not page');
  }
  const after = one('added_after', q['added_after']);
  const limitText = one('limit', q['limit']);
  let limit: number | null = null;
  if (limitText !== null) {
    if (!/^\d{1,9}$/.test(limitText) || Number(limitText) < 1) throw bad('limit', `"${limitText.slice(0, 32)}" is not a whole number of at least 1`);
    limit = Number(limitText);
  }
  const next = one('next', q['next']);
  return {
    addedAfter: after === null ? null : toMicroseconds('added_after', after),
    limit,
    next: next === null || next === '' ? null : next,
    ids: list('match[id]', q['match[id]'], (s) => {
      if (!ID.test(s)) throw bad('match[id]', `"${s.slice(0, 80)}" is not a STIX id (type--UUID)`);
      return s;
    }),
    types: list('match[type]', q['match[type]'], (s) => {
      if (!TYPE.test(s)) throw bad('match[type]', `"${s.slice(0, 80)}" is not a STIX type`);
      return s;
    }),
    versions: list('match[version]', q['match[version]'], (s) => (s === 'first' || s === 'last' || s === 'all' ? s : toMicroseconds('match[version]', s))),
    specVersions: list('match[spec_version]', q['match[spec_version]'], (s) => {
      if (!SPEC.test(s)) throw bad('match[spec_version]', `"${s.slice(0, 16)}" is not a version such as 2.1`);
      return s;
    }),
  };
}
