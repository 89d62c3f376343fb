/**
 * STIX 2.1 validation beyond the JSON schemas, for every STIX 2.1 type (`ACCEPTED_TYPES`), custom
 * objects and types extension-definitions define (custom-types.ts): `validateObject` checks one object on its own, `validateBundle` adds the
 * checks that need the other objects (marking-definition cycles, duplicate versions, unknown
 * marking definitions). An empty list means valid; each issue names the property and why.
 */
import { idType, parseId } from './ids.js';
import { describe, Issues, isRecord, type JsonRecord, type StixIssue } from './issues.js';
import { customKind } from './custom-types.js';
import { isAcceptedType, KIND, MARKING_PROPERTIES, META_COMMON, OWN_PROPERTIES, REQUIRED, SCO_COMMON, SDO_COMMON, type AcceptedType, type Kind } from './properties.js';
import { tlpOfMarkingId } from './tlp.js';
import { checkBoolean, checkCustomProperty, checkLang, checkExtensions, checkExternalReferences, checkInteger, checkOrder, checkStringList, checkTimestamp, hasToplevelExtension } from './validate-common.js';
import { checkGranularMarkings, checkMarkingDefinition, markingCycles } from './validate-markings.js';
import { checkRefProperties } from './validate-refs.js';
import { checkSco, SCO_EXTENSIONS } from './validate-sco.js';
import { checkMetaObject } from './validate-intel-sdos.js';
import { checkSdo } from './validate-sdo.js';

export type { StixIssue } from './issues.js';
export { ACCEPTED_TYPES } from './properties.js';

export function validateObject(o: unknown): StixIssue[] {
  const issues = new Issues();
  if (!isRecord(o)) {
    issues.add('', `a STIX object must be a JSON object, not ${describe(o)}`);
    return issues.list;
  }
  const type = o.type;
  if (typeof type !== 'string') {
    issues.add('type', type === undefined ? 'is required' : `must be a string, not ${describe(type)}`);
    return issues.list;
  }
  if (isAcceptedType(type)) {
    checkCommon(issues, type, KIND[type], o);
    checkOwn(issues, type, o);
    return issues.list;
  }
  const custom = customKind(type, o);
  if ('refused' in custom) issues.add('type', custom.refused);
  else checkCommon(issues, type, custom.kind, o);
  return issues.list;
}

/** What every object of its kind must have: id, spec_version, created/modified, the common properties, references, extensions. */
function checkCommon(issues: Issues, type: string, kind: Kind, o: JsonRecord): void {
  // id: type--UUID, its prefix the object's own type (section 2.9).
  if (o.id === undefined) issues.add('id', 'is required');
  else if (typeof o.id !== 'string') issues.add('id', `must be a string, not ${describe(o.id)}`);
  else {
    const p = parseId(o.id);
    if (typeof p === 'string') issues.add('id', p);
    else if (p.type !== type) issues.add('id', `the identifier's type "${p.type}" must be the object's type "${type}"`);
  }
  // spec_version: required on SDOs, SROs and meta-objects; optional on SCOs; '2.1' when present.
  if (o.spec_version === undefined) {
    if (kind !== 'sco') issues.add('spec_version', 'is required (2.1)');
  } else if (o.spec_version !== '2.1') issues.add('spec_version', `must be "2.1", not ${describe(o.spec_version)}`);

  if (kind === 'sdo' || kind === 'sro' || kind === 'meta') {
    for (const r of ['created', 'modified'] as const) if (o[r] === undefined) issues.add(r, `is required on ${type}`);
  }
  for (const k of ['created', 'modified'] as const) if (o[k] !== undefined) checkTimestamp(issues, k, o[k], { milliseconds: true });
  checkOrder(issues, o, 'created', 'modified');

  if (o.revoked !== undefined) checkBoolean(issues, 'revoked', o.revoked);
  if (o.confidence !== undefined) checkInteger(issues, 'confidence', o.confidence, 0, 100);
  if (o.labels !== undefined) checkStringList(issues, 'labels', o.labels);
  if (o.lang !== undefined) checkLang(issues, 'lang', o.lang);
  if (o.external_references !== undefined) checkExternalReferences(issues, 'external_references', o.external_references);
  if (o.granular_markings !== undefined) checkGranularMarkings(issues, o);
  if (o.extensions !== undefined) checkExtensions(issues, o.extensions, SCO_EXTENSIONS[type] ?? []);
  checkRefProperties(issues, type, o);
}

/** A STIX 2.1 type's own rules: its required properties, no undefined ones but custom properties, and each type's MUSTs. */
function checkOwn(issues: Issues, type: AcceptedType, o: JsonRecord): void {
  const kind = KIND[type];
  for (const r of REQUIRED[type]) if (o[r] === undefined) issues.add(r, `is required on ${type}`);
  // Properties this type does not define: custom properties (section 11.1), unless an extension puts its own at the top level.
  const known = knownProperties(type);
  if (!hasToplevelExtension(o)) for (const k of Object.keys(o)) if (!known.has(k)) checkCustomProperty(issues, k);

  if (kind === 'sco') checkSco(issues, type, o);
  else if (kind === 'marking') checkMarkingDefinition(issues, o);
  else if (kind === 'meta') checkMetaObject(issues, type, o);
  else checkSdo(issues, type, o);
}

const KNOWN = new Map<AcceptedType, ReadonlySet<string>>();
function knownProperties(type: AcceptedType): ReadonlySet<string> {
  let k = KNOWN.get(type);
  if (!k) {
    const kind = KIND[type];
    const common = kind === 'sco' ? SCO_COMMON : kind === 'marking' ? MARKING_PROPERTIES : kind === 'meta' ? META_COMMON : SDO_COMMON;
    k = new Set([...common, ...OWN_PROPERTIES[type]]);
    KNOWN.set(type, k);
  }
  return k;
}

export interface BundleOptions {
  /** Marking definitions known outside the bundle (stored ones); TLP 1.0/2.0 ids are always known. Without it, unknown markings are not reported. */
  readonly knownMarking?: (id: string) => boolean;
}

/**
 * Validates each object and the checks across them; the map holds only the indexes with issues.
 * A bundle is read as a whole: a marking defined in it is known to every object in it.
 */
export function validateBundle(objects: readonly unknown[], options: BundleOptions = {}): Map<number, StixIssue[]> {
  const out = new Map<number, StixIssue[]>();
  const add = (i: number, issue: StixIssue): void => {
    const l = out.get(i);
    if (l) l.push(issue);
    else out.set(i, [issue]);
  };
  objects.forEach((o, i) => {
    for (const issue of validateObject(o)) add(i, issue);
  });

  const definitions = new Map<string, readonly string[]>();
  const definitionIndex = new Map<string, number>();
  const versions = new Map<string, number>();
  objects.forEach((o, i) => {
    if (!isRecord(o) || typeof o.id !== 'string') return;
    if (o.type === 'marking-definition') {
      definitions.set(o.id, Array.isArray(o.object_marking_refs) ? o.object_marking_refs.filter((r): r is string => typeof r === 'string') : []);
      definitionIndex.set(o.id, i);
    }
    // One version is id + modified (SCOs and marking definitions are not versioned: the id alone).
    const version = `${o.id}\u0000${typeof o.modified === 'string' ? o.modified : ''}`;
    const first = versions.get(version);
    if (first === undefined) versions.set(version, i);
    else add(i, { path: 'id', message: `the same object version as the object at index ${first} (${o.id}${typeof o.modified === 'string' ? ` modified ${o.modified}` : ''})` });
  });

  for (const [id, cycle] of markingCycles(definitions)) add(definitionIndex.get(id) as number, { path: 'object_marking_refs', message: `marking definitions mark one another in a cycle: ${cycle}` });

  if (options.knownMarking) {
    const known = options.knownMarking;
    objects.forEach((o, i) => {
      if (!isRecord(o)) return;
      const refs = [
        ...(Array.isArray(o.object_marking_refs) ? o.object_marking_refs.map((r, j) => [`object_marking_refs[${j}]`, r] as const) : []),
        ...(Array.isArray(o.granular_markings) ? o.granular_markings.map((g, j) => [`granular_markings[${j}].marking_ref`, isRecord(g) ? g.marking_ref : undefined] as const) : []),
      ];
      for (const [path, r] of refs) {
        if (typeof r !== 'string' || idType(r) !== 'marking-definition') continue;
        if (!definitions.has(r) && !tlpOfMarkingId(r) && !known(r)) add(i, { path, message: `unknown marking definition ${r}: neither in this bundle nor known to the hub` });
      }
    });
  }
  return out;
}

/** A bundle object's own shape (section 8): type 'bundle', an id, objects a list. */
export function bundleShapeIssues(b: unknown): StixIssue[] {
  const issues = new Issues();
  if (!isRecord(b)) {
    issues.add('', `a bundle must be a JSON object, not ${describe(b)}`);
    return issues.list;
  }
  if (b.type !== 'bundle') issues.add('type', `must be "bundle", not ${describe(b.type)}`);
  if (typeof b.id !== 'string' || idType(b.id) !== 'bundle') issues.add('id', `must be a bundle identifier (bundle--UUID), not ${describe(b.id)}`);
  if (b.objects !== undefined && !Array.isArray(b.objects)) issues.add('objects', `must be a list, not ${describe(b.objects)}`);
  if (b.spec_version !== undefined) issues.add('spec_version', 'a STIX 2.1 bundle has no spec_version (it was STIX 2.0\'s)');
  return issues.list;
}

export function isValidObject(o: unknown): boolean {
  return validateObject(o).length === 0;
}
