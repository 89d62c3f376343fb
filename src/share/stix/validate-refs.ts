/** Reference properties (`*_ref`, `*_refs`): identifiers, of the types each property may name. */
import { ID_CONTRIBUTING, parseId } from './ids.js';
import { child, describe, type Issues } from './issues.js';
import { ANY, REF_TARGETS, SCO_TARGET, SDO_OR_SCO, SDO_TARGET } from './properties.js';
import { SDO_TYPES, SRO_TYPES } from './types.js';

const SDOS = new Set<string>(SDO_TYPES);
const SCOS = new Set<string>(Object.keys(ID_CONTRIBUTING));

export function isSdoType(t: string): boolean {
  return SDOS.has(t);
}
export function isScoType(t: string): boolean {
  return SCOS.has(t);
}
export function isSroType(t: string): boolean {
  return (SRO_TYPES as readonly string[]).includes(t);
}

function targetMatches(target: string, type: string): boolean {
  if (target === ANY) return true;
  if (target === SDO_TARGET) return SDOS.has(type);
  if (target === SCO_TARGET) return SCOS.has(type);
  if (target === SDO_OR_SCO) return SDOS.has(type) || SCOS.has(type);
  return target === type;
}

function targetText(targets: readonly string[]): string {
  return targets.map((t) => (t === SDO_TARGET ? 'an SDO' : t === SCO_TARGET ? 'an SCO' : t === SDO_OR_SCO ? 'an SDO or SCO' : t)).join(' or ');
}

/** The allowed target types of a reference property on an object of `type`, if restricted. */
export function refTargets(type: string, property: string): readonly string[] | undefined {
  return REF_TARGETS[`${type}.${property}`] ?? REF_TARGETS[property];
}

/** One reference: an identifier whose type the property allows. */
export function checkRef(issues: Issues, path: string, value: unknown, targets: readonly string[] | undefined): void {
  if (typeof value !== 'string') {
    issues.add(path, `must be an identifier (type--UUID), not ${describe(value)}`);
    return;
  }
  const p = parseId(value);
  if (typeof p === 'string') {
    issues.add(path, p);
    return;
  }
  if (targets && !targets.some((t) => targetMatches(t, p.type))) {
    issues.add(path, `must refer to ${targetText(targets)}, not a ${p.type}`);
  }
}

/**
 * Every `_ref`/`_refs` property at the top level of an object (section 3.3: embedded
 * relationships), with the target types its definition restricts it to.
 */
export function checkRefProperties(issues: Issues, type: string, o: Readonly<Record<string, unknown>>): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.endsWith('_ref')) {
      checkRef(issues, k, v, refTargets(type, k));
    } else if (k.endsWith('_refs')) {
      if (!Array.isArray(v)) {
        issues.add(k, `must be a list of identifiers, not ${describe(v)}`);
        continue;
      }
      if (v.length === 0) issues.add(k, 'must not be an empty list');
      const targets = refTargets(type, k);
      v.forEach((e, i) => checkRef(issues, child(k, i), e, targets));
    }
  }
}
