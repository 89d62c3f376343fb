/**
 * Every property of every STIX type the hub accepts, classified after the 2023 Japanese guidance
 * on sharing cyber-attack damage information (サイバー攻撃被害に係る情報の共有・公表ガイダンス,
 * March 2023): attack-technical information (malware, C2 and scanner addresses, techniques,
 * indicators' patterns) can be shared early without the victim's consent once victim-identifying
 * details are removed; victim-identifying information (the victim's address, name, contact,
 * precise location, where something was sighted, what was seen on its hosts) needs the victim's
 * consent. docs/sharing.md "Victim-identifying fields" is this table in prose.
 *
 * Some objects are victim-identifying only when they describe a victim (an identity, an address,
 * observed-data): the object says so (`roles: ["victim"]`, `labels: ["victim"]`, an individual),
 * or another object does (a sighting's `where_sighted_refs`, a `targets` relationship): see
 * `victimRefsOf`, whose findings the hub keeps per object id (share_victim_refs).
 */
import type { JsonValue, StixObject } from '../stix/types.js';

/**
 * common: STIX's common properties (ids, times, markings); attack-technical: shareable early;
 * generalised: coarse enough to share (a sector, a country); victim: victim-identifying always;
 * victim-if-victim: victim-identifying when the object describes a victim.
 */
export type FieldClass = 'common' | 'attack-technical' | 'generalised' | 'victim' | 'victim-if-victim';

/** What release without consent would need (the victims' flow does it on a new object): */
export type VictimAction =
  | 'withhold' // leave the property out
  | 'pseudonymise' // an address: prefix-preserving CryptoPAn under the hub's key
  | 'generalise' // an organisation or place: sector, size band, region
  | 'replace-with-hub'; // where something was sighted: the hub's own identity

export interface VictimField { readonly path: string; readonly why: string; readonly action: VictimAction }

export const INCIDENT_CORE = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

const COMMON = ['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'revoked', 'labels', 'confidence', 'lang', 'object_marking_refs', 'granular_markings', 'extensions', 'defanged'] as const;

type Table = Readonly<Record<string, FieldClass>>;
interface TypeRule { readonly fields: Table; /** Properties not listed (custom x_…, newer versions). */ readonly otherwise: FieldClass }

const attack = (props: readonly string[]): TypeRule => ({ fields: Object.fromEntries(props.map((p) => [p, 'attack-technical' as const])), otherwise: 'attack-technical' });

/** Accepted types → property → class. A type not listed is held back whole (`classOf`). */
export const CLASSIFICATION: Readonly<Record<string, TypeRule>> = {
  indicator: attack(['name', 'description', 'indicator_types', 'pattern', 'pattern_type', 'pattern_version', 'valid_from', 'valid_until', 'kill_chain_phases', 'external_references']),
  malware: attack(['name', 'description', 'malware_types', 'is_family', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen', 'operating_system_refs', 'architecture_execution_envs', 'implementation_languages', 'capabilities', 'sample_refs', 'external_references']),
  infrastructure: {
    // C2 servers, scanners, botnets: attack-technical; a victim's own infrastructure (a `targets` target, labelled victim) is not.
    fields: { name: 'victim-if-victim', description: 'victim-if-victim', infrastructure_types: 'attack-technical', aliases: 'victim-if-victim', kill_chain_phases: 'attack-technical', first_seen: 'attack-technical', last_seen: 'attack-technical', external_references: 'victim-if-victim' },
    otherwise: 'victim-if-victim',
  },
  'attack-pattern': attack(['name', 'description', 'aliases', 'kill_chain_phases', 'external_references']),
  campaign: attack(['name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective', 'external_references']),
  'course-of-action': attack(['name', 'description', 'action', 'external_references']),
  'intrusion-set': attack(['name', 'description', 'aliases', 'first_seen', 'last_seen', 'goals', 'resource_level', 'primary_motivation', 'secondary_motivations', 'external_references']),
  'threat-actor': attack(['name', 'description', 'threat_actor_types', 'aliases', 'first_seen', 'last_seen', 'roles', 'goals', 'sophistication', 'resource_level', 'primary_motivation', 'secondary_motivations', 'personal_motivations', 'external_references']),
  tool: attack(['name', 'description', 'tool_types', 'aliases', 'kill_chain_phases', 'tool_version', 'external_references']),
  vulnerability: attack(['name', 'description', 'external_references']),
  'malware-analysis': attack(['product', 'version', 'host_vm_ref', 'operating_system_ref', 'installed_software_refs', 'configuration_version', 'modules', 'analysis_engine_version', 'analysis_definition_version', 'submitted', 'analysis_started', 'analysis_ended', 'result_name', 'result', 'analysis_sco_refs', 'sample_ref', 'external_references']),
  report: attack(['name', 'description', 'report_types', 'published', 'object_refs', 'external_references']),
  grouping: attack(['name', 'description', 'context', 'object_refs', 'external_references']),
  note: attack(['abstract', 'content', 'authors', 'object_refs', 'external_references']),
  opinion: attack(['explanation', 'authors', 'opinion', 'object_refs', 'external_references']),
  identity: {
    fields: { name: 'victim-if-victim', description: 'victim-if-victim', roles: 'generalised', identity_class: 'generalised', sectors: 'generalised', contact_information: 'victim-if-victim', external_references: 'victim-if-victim' },
    otherwise: 'victim-if-victim',
  },
  location: {
    // A country or region is coarse enough to share; anything that finds the place is not.
    fields: { name: 'victim', description: 'victim', latitude: 'victim', longitude: 'victim', precision: 'victim', region: 'generalised', country: 'generalised', administrative_area: 'generalised', city: 'victim', street_address: 'victim', postal_code: 'victim', external_references: 'victim' },
    otherwise: 'victim',
  },
  incident: {
    // An incident is a victim's: its name, story and references name it; the incident-core
    // extension's counts and kinds are generalised (see incidentCoreFields).
    fields: { name: 'victim', description: 'victim', kill_chain_phases: 'attack-technical', external_references: 'victim' },
    otherwise: 'victim',
  },
  'observed-data': {
    fields: { first_observed: 'attack-technical', last_observed: 'attack-technical', number_observed: 'attack-technical', object_refs: 'victim-if-victim', objects: 'victim-if-victim' },
    otherwise: 'victim-if-victim',
  },
  sighting: {
    fields: { description: 'attack-technical', first_seen: 'attack-technical', last_seen: 'attack-technical', count: 'attack-technical', sighting_of_ref: 'attack-technical', observed_data_refs: 'victim', where_sighted_refs: 'victim', summary: 'attack-technical', external_references: 'attack-technical' },
    otherwise: 'attack-technical',
  },
  relationship: {
    // `X targets <identity|location|infrastructure>` names the victim; every other relationship links attack objects.
    fields: { relationship_type: 'attack-technical', description: 'victim-if-victim', source_ref: 'attack-technical', target_ref: 'victim-if-victim', start_time: 'attack-technical', stop_time: 'attack-technical', external_references: 'victim-if-victim' },
    otherwise: 'attack-technical',
  },
  'marking-definition': { fields: { name: 'common', definition_type: 'common', definition: 'common' }, otherwise: 'common' },
  // Addresses, names and files are attack-technical as the hub shares them (C2, scanners,
  // payloads); the same address seen on a victim's host is victim-identifying (victim-if-victim).
  'ipv4-addr': { fields: { value: 'victim-if-victim', resolves_to_refs: 'victim-if-victim', belongs_to_refs: 'attack-technical' }, otherwise: 'victim-if-victim' },
  'ipv6-addr': { fields: { value: 'victim-if-victim', resolves_to_refs: 'victim-if-victim', belongs_to_refs: 'attack-technical' }, otherwise: 'victim-if-victim' },
  'domain-name': { fields: { value: 'victim-if-victim', resolves_to_refs: 'victim-if-victim' }, otherwise: 'victim-if-victim' },
  url: { fields: { value: 'victim-if-victim' }, otherwise: 'victim-if-victim' },
  'network-traffic': {
    fields: { start: 'attack-technical', end: 'attack-technical', is_active: 'attack-technical', src_ref: 'victim-if-victim', dst_ref: 'victim-if-victim', src_port: 'attack-technical', dst_port: 'attack-technical', protocols: 'attack-technical', src_byte_count: 'attack-technical', dst_byte_count: 'attack-technical', src_packets: 'attack-technical', dst_packets: 'attack-technical', ipfix: 'attack-technical', src_payload_ref: 'attack-technical', dst_payload_ref: 'attack-technical', encapsulates_refs: 'attack-technical', encapsulated_by_ref: 'attack-technical' },
    otherwise: 'attack-technical',
  },
  file: {
    // A sample's hashes are attack-technical; its name and path on a victim's disk are not.
    fields: { hashes: 'attack-technical', size: 'attack-technical', name: 'victim-if-victim', name_enc: 'victim-if-victim', magic_number_hex: 'attack-technical', mime_type: 'attack-technical', ctime: 'victim-if-victim', mtime: 'victim-if-victim', atime: 'victim-if-victim', parent_directory_ref: 'victim-if-victim', contains_refs: 'attack-technical', content_ref: 'attack-technical' },
    otherwise: 'victim-if-victim',
  },
  'autonomous-system': attack(['number', 'name', 'rir']),
  'x509-certificate': attack(['is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer', 'validity_not_before', 'validity_not_after', 'subject', 'subject_public_key_algorithm', 'subject_public_key_modulus', 'subject_public_key_exponent', 'x509_v3_extensions']),
  // A MAC address is seen only on a local network: always the victim's device. An e-mail
  // address is a person's: a phishing sender's is shared as a pattern in an indicator instead.
  'mac-addr': { fields: { value: 'victim' }, otherwise: 'victim' },
  'email-addr': { fields: { value: 'victim', display_name: 'victim', belongs_to_ref: 'victim' }, otherwise: 'victim' },
};

/** The incident-core extension: counts and kinds are generalised, references to the victim's events and impacts are not. */
const INCIDENT_CORE_FIELDS: Table = {
  extension_type: 'common', determination: 'generalised', investigation_status: 'generalised', blocked: 'generalised', criticality: 'generalised',
  detection_methods: 'generalised', impacted_entity_counts: 'generalised', incident_types: 'generalised', recoverability: 'generalised', scores: 'generalised',
  task_refs: 'victim', event_refs: 'victim', impact_refs: 'victim', sighting_refs: 'victim', other_refs: 'victim',
};

const ACTION_BY_PROPERTY: Readonly<Record<string, VictimAction>> = {
  value: 'pseudonymise', src_ref: 'pseudonymise', dst_ref: 'pseudonymise', resolves_to_refs: 'pseudonymise',
  name: 'generalise', city: 'generalise', latitude: 'generalise', longitude: 'generalise', precision: 'generalise', street_address: 'generalise', postal_code: 'generalise',
  where_sighted_refs: 'replace-with-hub',
};

// Maps built once from the tables: classification runs for every object of every page out.
const COMMON_SET: ReadonlySet<string> = new Set(COMMON);
const RULES = new Map(Object.entries(CLASSIFICATION).map(([t, r]) => [t, { fields: new Map(Object.entries(r.fields)), otherwise: r.otherwise }]));
const isCommon = (p: string): boolean => COMMON_SET.has(p);
/** Own keys only: a type or property named `toString` or `__proto__` must not find Object's. */
const own = <V>(t: Readonly<Record<string, V>>, k: string): V | undefined => (Object.hasOwn(t, k) ? t[k] : undefined);
const actionOf = (p: string): VictimAction => own(ACTION_BY_PROPERTY, p) ?? 'withhold';

/** The class of one top-level property of a type; a type the hub does not classify is held back. */
export function classOf(type: string, property: string): FieldClass {
  if (isCommon(property)) return 'common';
  const rule = RULES.get(type);
  if (!rule) return 'victim';
  return rule.fields.get(property) ?? rule.otherwise;
}

const has = (v: JsonValue | undefined, word: string): boolean =>
  Array.isArray(v) && v.some((x) => typeof x === 'string' && x.toLowerCase() === word);

/**
 * Does this object describe a victim? `byReference` is why another object made it one (a
 * sighting's where_sighted_refs, a targets relationship), as kept in share_victim_refs.
 */
export function describesVictim(o: StixObject, byReference?: string): string | undefined {
  if (byReference) return byReference;
  if (o.type === 'identity') {
    if (has(o['roles'], 'victim')) return 'an identity with the role victim';
    if (o['identity_class'] === 'individual') return 'an individual';
  }
  if (has(o.labels, 'victim')) return `${o.type} labelled victim`;
  if (o.type === 'relationship' && o['relationship_type'] === 'targets') {
    const t = typeof o['target_ref'] === 'string' ? o['target_ref'].split('--')[0] : '';
    if (t === 'identity' || t === 'location' || t === 'infrastructure') return `targets a ${t}: the target is a victim`;
  }
  return undefined;
}

export interface VictimContext {
  /** Why another object made this one a victim (share_victim_refs), if it did. */
  readonly byReference?: string | undefined;
  /** Identities that name no victim: the hub's own, which anonymised sightings point at. */
  readonly anonymous?: ReadonlySet<string> | undefined;
}

/**
 * The victim-identifying properties present in `o` (top-level paths, and the incident-core
 * extension's as `extensions.<id>.<property>`), each with why and what release would need.
 */
export function victimFields(o: StixObject, ctx: VictimContext = {}): VictimField[] {
  let victim: string | undefined | null = null; // worked out only when a property needs it
  const out: VictimField[] = [];
  for (const p in o) {
    if (!Object.hasOwn(o, p)) continue;
    const v = o[p];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    // Sighted at the hub itself (the anonymised form): names no victim.
    if (p === 'where_sighted_refs' && ctx.anonymous && refs(v).every((r) => ctx.anonymous?.has(r))) continue;
    const c = classOf(o.type, p);
    if (c === 'common' || c === 'attack-technical' || c === 'generalised') continue;
    if (c === 'victim') {
      out.push({ path: p, why: RULES.has(o.type) ? `${o.type}.${p} identifies a victim` : `${o.type} is not a type the hub classifies`, action: actionOf(p) });
      continue;
    }
    if (victim === null) victim = describesVictim(o, ctx.byReference);
    if (victim) out.push({ path: p, why: `${o.type}.${p} of a victim (${victim})`, action: actionOf(p) });
  }
  const ext = o.extensions;
  const core = ext && typeof ext === 'object' && !Array.isArray(ext) ? own(ext as Record<string, JsonValue>, INCIDENT_CORE) : undefined;
  if (core && typeof core === 'object' && !Array.isArray(core)) {
    for (const [p, v] of Object.entries(core)) {
      if (v === null || (Array.isArray(v) && v.length === 0)) continue;
      if ((own(INCIDENT_CORE_FIELDS, p) ?? 'victim') === 'victim') out.push({ path: `extensions.${INCIDENT_CORE}.${p}`, why: `the incident's ${p} point at the victim's own events and assets`, action: 'withhold' });
    }
  }
  return out;
}

const refs = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/**
 * Objects that `objects` make victims by reference: what a sighting was sighted at and the
 * observed-data it saw there, the target of a `targets` relationship, and the observables inside
 * a victim's observed-data (followed through the batch until nothing new is found).
 * Returns id → why.
 */
export function victimRefsOf(objects: readonly StixObject[], known: ReadonlyMap<string, string> = new Map(), anonymous: ReadonlySet<string> = new Set()): Map<string, string> {
  const found = new Map<string, string>();
  const isVictim = (id: string): boolean => found.has(id) || known.has(id);
  for (const o of objects) {
    if (o.type === 'sighting') {
      for (const r of refs(o['where_sighted_refs'])) if (!found.has(r) && !anonymous.has(r)) found.set(r, `sighted at, by ${o.id}`);
      for (const r of refs(o['observed_data_refs'])) if (!found.has(r)) found.set(r, `seen at the sighting's victim, by ${o.id}`);
    }
    if (o.type === 'relationship' && o['relationship_type'] === 'targets') {
      const t = refs(o['target_ref'])[0];
      const kind = t?.split('--')[0];
      if (t && (kind === 'identity' || kind === 'location' || kind === 'infrastructure') && !found.has(t)) found.set(t, `targeted, by ${o.id}`);
    }
  }
  // Observables seen on a victim's host are the victim's; follow until no new one (bounded by the batch).
  for (let changed = true; changed;) {
    changed = false;
    for (const o of objects) {
      if (o.type !== 'observed-data' || !(isVictim(o.id) || has(o.labels, 'victim'))) continue;
      for (const r of refs(o['object_refs'])) {
        if (!found.has(r) && !known.has(r)) {
          found.set(r, `observed on a victim's host, in ${o.id}`);
          changed = true;
        }
      }
    }
  }
  return found;
}
