/**
 * The SDOs beyond the hub's own vocabulary that peers send (attack patterns, campaigns, threat
 * actors, locations, groupings, malware analyses…, sections 4.1-4.19), and the versioned
 * meta-objects language-content and extension-definition (sections 7.1, 7.3): each one's MUSTs.
 * Strings, lists and timestamps common to every SDO are checked in validate-sdo.ts.
 */
import { checkLang, checkString, checkStringList } from './validate-common.js';
import { child, describe, isRecord, type Issues, type JsonRecord } from './issues.js';
import { checkTimestamp } from './validate-common.js';

export const EXTENSION_TYPES = ['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'];

export function checkIntelSdo(issues: Issues, type: string, o: JsonRecord): void {
  switch (type) {
    case 'location':
      checkLocation(issues, o);
      break;
    case 'grouping':
      if (o.context !== undefined) checkString(issues, 'context', o.context, { nonEmpty: true });
      break;
    case 'malware-analysis':
      if (o.product !== undefined) checkString(issues, 'product', o.product, { nonEmpty: true });
      if (o.result === undefined && o.analysis_sco_refs === undefined) issues.add('result', 'a malware-analysis needs result or analysis_sco_refs (or both)');
      break;
  }
}

function checkLocation(issues: Issues, o: JsonRecord): void {
  const lat = o.latitude;
  const lon = o.longitude;
  if (o.region === undefined && o.country === undefined && (lat === undefined || lon === undefined)) {
    issues.add('region', 'a location needs region, country, or latitude and longitude');
  }
  if ((lat === undefined) !== (lon === undefined)) issues.add(lat === undefined ? 'latitude' : 'longitude', `is required when ${lat === undefined ? 'longitude' : 'latitude'} is present`);
  if (lat !== undefined) checkRange(issues, 'latitude', lat, 90);
  if (lon !== undefined) checkRange(issues, 'longitude', lon, 180);
  if (o.precision !== undefined) {
    if (lat === undefined || lon === undefined) issues.add('precision', 'needs latitude and longitude');
    if (typeof o.precision !== 'number' || !Number.isFinite(o.precision) || o.precision < 0) issues.add('precision', `must be a distance in metres (a number, 0 or more), not ${describe(o.precision)}`);
  }
}

function checkRange(issues: Issues, path: string, v: unknown, bound: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) issues.add(path, `must be a number, not ${describe(v)}`);
  else if (v < -bound || v > bound) issues.add(path, `must be between -${bound} and ${bound}, not ${v}`);
}

export function checkMetaObject(issues: Issues, type: string, o: JsonRecord): void {
  if (type === 'language-content') {
    if (o.object_modified !== undefined) checkTimestamp(issues, 'object_modified', o.object_modified);
    const c = o.contents;
    if (c === undefined) return;
    if (!isRecord(c) || Object.keys(c).length === 0) {
      issues.add('contents', `must be a dictionary from language tags to translated properties, not ${describe(c)}`);
      return;
    }
    for (const [lang, props] of Object.entries(c)) {
      checkLang(issues, child('contents', lang), lang);
      if (!isRecord(props) || Object.keys(props).length === 0) issues.add(child('contents', lang), `must be a dictionary of translated properties, not ${describe(props)}`);
    }
    return;
  }
  // extension-definition
  for (const k of ['name', 'schema', 'version'] as const) if (o[k] !== undefined) checkString(issues, k, o[k], { nonEmpty: true });
  if (o.description !== undefined) checkString(issues, 'description', o.description);
  const types = o.extension_types;
  if (types !== undefined) {
    if (!Array.isArray(types) || types.length === 0) issues.add('extension_types', `must be a non-empty list, not ${describe(types)}`);
    else types.forEach((t, i) => {
      if (!EXTENSION_TYPES.includes(String(t))) issues.add(child('extension_types', i), `must be one of ${EXTENSION_TYPES.join(', ')}, not ${describe(t)}`);
    });
  }
  if (o.extension_properties !== undefined) {
    checkStringList(issues, 'extension_properties', o.extension_properties);
    if (!(Array.isArray(types) && types.includes('toplevel-property-extension'))) issues.add('extension_properties', 'is only for a toplevel-property-extension');
  }
}
