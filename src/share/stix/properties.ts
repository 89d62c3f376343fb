/**
 * What STIX 2.1 defines for each object type the hub accepts: its properties (so anything else
 * is a custom property and must follow section 11.1's naming rules), the required ones, and which
 * object types each reference property may point at.
 */

/** The types this hub accepts (issue 16, item 1); anything else is refused with a clear reason. */
export const ACCEPTED_TYPES = [
  'identity', 'indicator', 'observed-data', 'sighting', 'infrastructure', 'malware', 'relationship', 'report', 'note', 'opinion',
  'incident', 'marking-definition', 'ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'network-traffic', 'file',
] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

export function isAcceptedType(t: string): t is AcceptedType {
  return (ACCEPTED_TYPES as readonly string[]).includes(t);
}

export type Kind = 'sdo' | 'sro' | 'sco' | 'meta';

export const KIND: Readonly<Record<AcceptedType, Kind>> = {
  identity: 'sdo', indicator: 'sdo', 'observed-data': 'sdo', infrastructure: 'sdo', malware: 'sdo', report: 'sdo', note: 'sdo',
  opinion: 'sdo', incident: 'sdo', relationship: 'sro', sighting: 'sro', 'marking-definition': 'meta',
  'ipv4-addr': 'sco', 'ipv6-addr': 'sco', 'domain-name': 'sco', url: 'sco', 'network-traffic': 'sco', file: 'sco',
};

/** Section 3.2: common properties of SDOs and SROs, and of SCOs. */
export const SDO_COMMON = ['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'revoked', 'labels', 'confidence', 'lang', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions'];
export const SCO_COMMON = ['type', 'spec_version', 'id', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions'];
/** Section 7.2.1: a marking definition is not versioned (no `modified`, `revoked`). */
export const MARKING_PROPERTIES = ['type', 'spec_version', 'id', 'created', 'created_by_ref', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions', 'name', 'definition_type', 'definition'];

/** Each type's own properties (sections 4, 5, 6), beside the common ones. */
export const OWN_PROPERTIES: Readonly<Record<AcceptedType, readonly string[]>> = {
  identity: ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  incident: ['name', 'description', 'kill_chain_phases'],
  indicator: ['name', 'description', 'indicator_types', 'pattern', 'pattern_type', 'pattern_version', 'valid_from', 'valid_until', 'kill_chain_phases'],
  infrastructure: ['name', 'description', 'infrastructure_types', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen'],
  malware: ['name', 'description', 'malware_types', 'is_family', 'aliases', 'kill_chain_phases', 'first_seen', 'last_seen', 'operating_system_refs', 'architecture_execution_envs', 'implementation_languages', 'capabilities', 'sample_refs'],
  note: ['abstract', 'content', 'authors', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed', 'objects', 'object_refs'],
  opinion: ['explanation', 'authors', 'opinion', 'object_refs'],
  report: ['name', 'description', 'report_types', 'published', 'object_refs'],
  relationship: ['relationship_type', 'description', 'source_ref', 'target_ref', 'start_time', 'stop_time'],
  sighting: ['description', 'first_seen', 'last_seen', 'count', 'sighting_of_ref', 'observed_data_refs', 'where_sighted_refs', 'summary'],
  'marking-definition': [],
  'domain-name': ['value', 'resolves_to_refs'],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  url: ['value'],
  'network-traffic': ['start', 'end', 'is_active', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'src_byte_count', 'dst_byte_count', 'src_packets', 'dst_packets', 'ipfix', 'src_payload_ref', 'dst_payload_ref', 'encapsulates_refs', 'encapsulated_by_ref'],
  file: ['hashes', 'size', 'name', 'name_enc', 'magic_number_hex', 'mime_type', 'ctime', 'mtime', 'atime', 'parent_directory_ref', 'contains_refs', 'content_ref'],
};

export const REQUIRED: Readonly<Record<AcceptedType, readonly string[]>> = {
  identity: ['name'],
  incident: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  infrastructure: ['name'],
  malware: ['is_family'],
  note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'],
  opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'marking-definition': ['created'],
  'domain-name': ['value'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  url: ['value'],
  'network-traffic': ['protocols'],
  file: [],
};

/** Any type: the reference may point at an object of every type. */
export const ANY = '*';
export const SDO_TARGET = 'sdo';
export const SCO_TARGET = 'sco';
/** "an SDO or SCO (cannot reference an SRO, bundle, language-content, marking-definition, or extension-definition)". */
export const SDO_OR_SCO = 'sdo|sco';

/**
 * Which object types a reference property may name. Keys are property names, qualified by the
 * object type when the same name means different things on different types.
 */
export const REF_TARGETS: Readonly<Record<string, readonly string[]>> = {
  created_by_ref: ['identity'],
  object_marking_refs: ['marking-definition'],
  marking_ref: ['marking-definition'],
  'sighting.sighting_of_ref': [SDO_TARGET],
  'sighting.observed_data_refs': ['observed-data'],
  'sighting.where_sighted_refs': ['identity', 'location'],
  'relationship.source_ref': [SDO_OR_SCO],
  'relationship.target_ref': [SDO_OR_SCO],
  'observed-data.object_refs': [SCO_TARGET, 'relationship'],
  'report.object_refs': [ANY],
  'note.object_refs': [ANY],
  'opinion.object_refs': [ANY],
  'malware.sample_refs': ['file', 'artifact'],
  'malware.operating_system_refs': ['software'],
  'network-traffic.src_ref': ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
  'network-traffic.dst_ref': ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
  'network-traffic.src_payload_ref': ['artifact'],
  'network-traffic.dst_payload_ref': ['artifact'],
  'network-traffic.encapsulates_refs': ['network-traffic'],
  'network-traffic.encapsulated_by_ref': ['network-traffic'],
  'file.parent_directory_ref': ['directory'],
  'file.contains_refs': [SCO_TARGET],
  'file.content_ref': ['artifact'],
  'domain-name.resolves_to_refs': ['ipv4-addr', 'ipv6-addr', 'domain-name'],
  'ipv4-addr.resolves_to_refs': ['mac-addr'],
  'ipv4-addr.belongs_to_refs': ['autonomous-system'],
  'ipv6-addr.resolves_to_refs': ['mac-addr'],
  'ipv6-addr.belongs_to_refs': ['autonomous-system'],
};
