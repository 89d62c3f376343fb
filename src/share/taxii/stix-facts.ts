/**
 * Small STIX facts the object store and the TAXII query need beyond validation (which is
 * `validateObject`, stix/validate.ts): the timestamp syntax of filters, and the marking
 * references of an object.
 */
/** RFC 3339 in UTC, as STIX 2.1 section 3.2 requires of every timestamp. */
export const STIX_TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every marking-definition an object refers to (object-level and granular). */
export function markingRefs(o: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const refs = o['object_marking_refs'];
  if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.push(r);
  const granular = o['granular_markings'];
  if (Array.isArray(granular)) for (const g of granular) if (isRecord(g) && typeof g['marking_ref'] === 'string') out.push(g['marking_ref']);
  return out;
}
