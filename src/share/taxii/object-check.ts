/**
 * What the object store checks of each object before storing it. The STIX validation proper is
 * `validateObject` (stix/validate.ts, the stix part); until it is merged, this is the minimum the
 * store itself relies on: an object with a type, an id of that type, a 2.1 spec_version and
 * timestamps it can order versions by, with marking references that are marking-definition ids.
 */
export interface ObjectIssue { readonly path: string; readonly message: string }

const TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** RFC 3339 in UTC, as STIX 2.1 section 3.2 requires of every timestamp. */
export const STIX_TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkObject(o: unknown): ObjectIssue[] {
  if (!isRecord(o)) return [{ path: '', message: 'an object is a JSON object' }];
  const issues: ObjectIssue[] = [];
  const type = o['type'];
  if (typeof type !== 'string' || !TYPE.test(type)) issues.push({ path: 'type', message: 'type is 3 to 250 characters of a-z, 0-9 and -' });
  const id = o['id'];
  if (typeof id !== 'string') issues.push({ path: 'id', message: 'id is required' });
  else {
    const sep = id.indexOf('--');
    if (sep < 0 || !UUID.test(id.slice(sep + 2))) issues.push({ path: 'id', message: `id "${id}" is not type--UUID` });
    else if (typeof type === 'string' && id.slice(0, sep) !== type) issues.push({ path: 'id', message: `id "${id}" is not of type ${type}` });
  }
  const spec = o['spec_version'];
  if (spec !== undefined && spec !== '2.1') issues.push({ path: 'spec_version', message: `spec_version is "2.1" (found ${JSON.stringify(spec)})` });
  for (const f of ['created', 'modified'] as const) {
    const t = o[f];
    if (t !== undefined && (typeof t !== 'string' || !STIX_TIMESTAMP.test(t) || Number.isNaN(Date.parse(t)))) issues.push({ path: f, message: `${f} is a timestamp such as 2021-06-10T00:00:00.000Z` });
  }
  const created = o['created'];
  const modified = o['modified'];
  if (typeof created === 'string' && typeof modified === 'string' && Date.parse(modified) < Date.parse(created)) issues.push({ path: 'modified', message: 'modified is earlier than created' });
  const refs = o['object_marking_refs'];
  if (refs !== undefined && (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string' || !r.startsWith('marking-definition--')))) {
    issues.push({ path: 'object_marking_refs', message: 'object_marking_refs is a list of marking-definition ids' });
  }
  const granular = o['granular_markings'];
  if (granular !== undefined && (!Array.isArray(granular) || granular.some((g) => !isRecord(g) || (g['marking_ref'] !== undefined && (typeof g['marking_ref'] !== 'string' || !g['marking_ref'].startsWith('marking-definition--')))))) {
    issues.push({ path: 'granular_markings', message: 'granular_markings is a list of objects whose marking_ref is a marking-definition id' });
  }
  return issues;
}

/** Every marking-definition an object refers to (object-level and granular). */
export function markingRefs(o: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const refs = o['object_marking_refs'];
  if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.push(r);
  const granular = o['granular_markings'];
  if (Array.isArray(granular)) for (const g of granular) if (isRecord(g) && typeof g['marking_ref'] === 'string') out.push(g['marking_ref']);
  return out;
}
