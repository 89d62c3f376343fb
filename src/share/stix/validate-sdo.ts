/** The SDOs and SROs the hub accepts (sections 4, 5): each type's own MUSTs. */
import { checkBoolean, checkInteger, checkKillChainPhases, checkOrder, checkString, checkStringList, checkTimestamp } from './validate-common.js';
import { child, describe, isRecord, Issues, type JsonRecord } from './issues.js';
import { isAcceptedType } from './properties.js';
import { checkSco } from './validate-sco.js';
import { isScoType } from './validate-refs.js';
import { parsePattern } from './pattern/parse.js';
import { checkIntelSdo } from './validate-intel-sdos.js';

/** The OASIS Incident Core extension (cti-stix-common-objects, incident-core). */
export const INCIDENT_CORE_EXTENSION = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
const INCIDENT_DETERMINATIONS = ['blocked', 'successful-attempt', 'failed-attempt', 'false-positive', 'low-value', 'suspected'];
const RECOVERABILITY = ['extended', 'not-applicable', 'not-recoverable', 'regular', 'supplemented'];
export const OPINIONS = ['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree'];

export function checkSdo(issues: Issues, type: string, o: JsonRecord): void {
  for (const k of [
    'name', 'description', 'abstract', 'content', 'explanation', 'pattern_version', 'identity_class', 'contact_information', 'relationship_type', 'objective',
    'resource_level', 'primary_motivation', 'sophistication', 'tool_version', 'version', 'configuration_version', 'analysis_engine_version',
    'analysis_definition_version', 'result_name', 'result', 'region', 'country', 'administrative_area', 'city', 'street_address', 'postal_code',
  ] as const) {
    if (o[k] !== undefined) checkString(issues, k, o[k], { nonEmpty: k === 'name' || k === 'relationship_type' || k === 'content' });
  }
  for (const k of [
    'aliases', 'roles', 'sectors', 'indicator_types', 'infrastructure_types', 'malware_types', 'report_types', 'authors', 'architecture_execution_envs',
    'implementation_languages', 'capabilities', 'goals', 'secondary_motivations', 'personal_motivations', 'threat_actor_types', 'tool_types', 'modules',
  ] as const) {
    if (o[k] !== undefined) checkStringList(issues, k, o[k]);
  }
  if (o.kill_chain_phases !== undefined) checkKillChainPhases(issues, 'kill_chain_phases', o.kill_chain_phases);
  // Beside created/modified, timestamps take any precision (section 2.16): "…T00:00:00Z" is valid.
  for (const k of ['first_seen', 'last_seen', 'valid_from', 'valid_until', 'published', 'first_observed', 'last_observed', 'start_time', 'stop_time', 'submitted', 'analysis_started', 'analysis_ended'] as const) {
    if (o[k] !== undefined) checkTimestamp(issues, k, o[k]);
  }
  checkOrder(issues, o, 'first_seen', 'last_seen');
  switch (type) {
    case 'indicator':
      checkIndicator(issues, o);
      break;
    case 'malware':
      if (o.is_family !== undefined) checkBoolean(issues, 'is_family', o.is_family);
      if (o.is_family === true && o.name === undefined) issues.add('name', 'is required for a malware family (is_family true)');
      break;
    case 'observed-data':
      checkObservedData(issues, o);
      break;
    case 'sighting':
      if (o.count !== undefined) checkInteger(issues, 'count', o.count, 0, 999_999_999);
      if (o.summary !== undefined) checkBoolean(issues, 'summary', o.summary);
      break;
    case 'opinion':
      if (o.opinion !== undefined && !OPINIONS.includes(String(o.opinion))) issues.add('opinion', `must be one of ${OPINIONS.join(', ')}, not ${describe(o.opinion)}`);
      break;
    case 'relationship':
      if (typeof o.relationship_type === 'string' && !/^[a-z0-9-]+$/.test(o.relationship_type)) issues.add('relationship_type', 'must be ASCII a-z, 0-9 and "-"');
      checkOrder(issues, o, 'start_time', 'stop_time', true);
      break;
    case 'incident':
      checkIncidentCore(issues, o);
      break;
    default:
      checkIntelSdo(issues, type, o);
  }
}

function checkIndicator(issues: Issues, o: JsonRecord): void {
  checkOrder(issues, o, 'valid_from', 'valid_until', true);
  if (o.pattern_type !== undefined) checkString(issues, 'pattern_type', o.pattern_type, { nonEmpty: true });
  if (o.pattern === undefined || !checkString(issues, 'pattern', o.pattern, { nonEmpty: true })) return;
  if (o.pattern_type === 'stix') {
    const r = parsePattern(o.pattern);
    if (!r.ok) issues.add('pattern', `is not a valid STIX pattern: ${r.error.message} (column ${r.error.column})`);
  }
}

function checkObservedData(issues: Issues, o: JsonRecord): void {
  if (o.number_observed !== undefined) checkInteger(issues, 'number_observed', o.number_observed, 1, 999_999_999);
  checkOrder(issues, o, 'first_observed', 'last_observed');
  const hasRefs = o.object_refs !== undefined;
  const hasObjects = o.objects !== undefined;
  if (hasRefs === hasObjects) issues.add(hasRefs ? 'objects' : 'object_refs', hasRefs ? 'must not be present together with object_refs' : 'observed-data needs object_refs (or the deprecated objects), exactly one of them');
  if (Array.isArray(o.object_refs) && !o.object_refs.some((r) => typeof r === 'string' && !r.startsWith('relationship--'))) issues.add('object_refs', 'must name at least one SCO');
  if (hasObjects && (!isRecord(o.objects) || Object.keys(o.objects).length === 0)) issues.add('objects', 'must be a dictionary of at least one cyber-observable object');
  else if (isRecord(o.objects)) checkObservableContainer(issues, o.objects);
}

/**
 * The deprecated observable container (section 2.13, still what many producers send): SCOs
 * keyed by local identifiers, whose references name other keys of the same dictionary.
 */
function checkObservableContainer(issues: Issues, objects: JsonRecord): void {
  for (const [key, sco] of Object.entries(objects)) {
    const p = child('objects', key);
    if (!isRecord(sco)) {
      issues.add(p, `must be a cyber-observable object, not ${describe(sco)}`);
      continue;
    }
    if (typeof sco.type !== 'string' || !isScoType(sco.type)) {
      issues.add(child(p, 'type'), `must be a cyber-observable object type, not ${describe(sco.type)}`);
      continue;
    }
    const inner = new Issues();
    if (isAcceptedType(sco.type)) checkSco(inner, sco.type, sco);
    for (const i of inner.list) issues.add(child(p, i.path), i.message);
    for (const [k, v] of Object.entries(sco)) {
      const refs = k.endsWith('_ref') ? [v] : k.endsWith('_refs') && Array.isArray(v) ? v : [];
      refs.forEach((r, j) => {
        if (typeof r !== 'string' || !(r in objects)) issues.add(k.endsWith('_refs') ? child(child(p, k), j) : child(p, k), `must name another object of this container, not ${describe(r)}`);
      });
    }
  }
}

function checkIncidentCore(issues: Issues, o: JsonRecord): void {
  const e = isRecord(o.extensions) ? o.extensions[INCIDENT_CORE_EXTENSION] : undefined;
  if (e === undefined) return;
  const p = `extensions.${INCIDENT_CORE_EXTENSION}`;
  if (!isRecord(e)) return; // checkExtensions says it is not an object
  if (e.extension_type !== 'property-extension') issues.add(child(p, 'extension_type'), `must be "property-extension", not ${describe(e.extension_type)}`);
  if (e.determination === undefined) issues.add(child(p, 'determination'), 'is required by the incident-core extension');
  else if (!INCIDENT_DETERMINATIONS.includes(String(e.determination))) issues.add(child(p, 'determination'), `must be one of ${INCIDENT_DETERMINATIONS.join(', ')}, not ${describe(e.determination)}`);
  if (e.investigation_status === undefined) issues.add(child(p, 'investigation_status'), 'is required by the incident-core extension');
  else checkString(issues, child(p, 'investigation_status'), e.investigation_status, { nonEmpty: true });
  if (e.criticality !== undefined) checkInteger(issues, child(p, 'criticality'), e.criticality, 0, 100);
  if (e.recoverability !== undefined && !RECOVERABILITY.includes(String(e.recoverability))) issues.add(child(p, 'recoverability'), `must be one of ${RECOVERABILITY.join(', ')}, not ${describe(e.recoverability)}`);
  for (const k of ['detection_methods', 'incident_types'] as const) if (e[k] !== undefined) checkStringList(issues, child(p, k), e[k]);
  if (e.impacted_entity_counts !== undefined) {
    if (!isRecord(e.impacted_entity_counts)) issues.add(child(p, 'impacted_entity_counts'), `must be a dictionary of counts, not ${describe(e.impacted_entity_counts)}`);
    else for (const [k, n] of Object.entries(e.impacted_entity_counts)) checkInteger(issues, child(child(p, 'impacted_entity_counts'), k), n, 0, Number.MAX_SAFE_INTEGER);
  }
  if (e.scores !== undefined) {
    if (!Array.isArray(e.scores)) issues.add(child(p, 'scores'), `must be a list of scores, not ${describe(e.scores)}`);
    else e.scores.forEach((item, i) => {
      let sp = child(child(p, 'scores'), i);
      // The extension's own examples wrap each score as { "incident-score": { … } }; both shapes are read.
      const s = isRecord(item) && isRecord(item['incident-score']) ? item['incident-score'] : item;
      if (s !== item) sp = child(sp, 'incident-score');
      if (!isRecord(s)) return issues.add(sp, `must be an object, not ${describe(s)}`);
      if (s.name === undefined) issues.add(child(sp, 'name'), 'is required');
      else checkString(issues, child(sp, 'name'), s.name, { nonEmpty: true });
      if (typeof s.value !== 'number' || !Number.isFinite(s.value)) issues.add(child(sp, 'value'), `must be a number, not ${describe(s.value)}`);
    });
  }
}
