/**
 * What STIX 2.1 defines for each object type the hub accepts: its properties (so anything else
 * is a custom property and must follow section 11.1's naming rules), the required ones, and which
 * object types each reference property may point at.
 */

/**
 * Every type STIX 2.1 defines (sections 4-7), all of which the hub accepts; custom objects
 * (`x-…`) and types defined by an extension-definition are accepted too (custom-types.ts).
 */
export const ACCEPTED_TYPES = [
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure', 'intrusion-set',
  'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report', 'threat-actor', 'tool', 'vulnerability',
  'relationship', 'sighting',
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr', 'ipv6-addr', 'mac-addr',
  'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account', 'windows-registry-key', 'x509-certificate',
  'marking-definition', 'language-content', 'extension-definition',
] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

export function isAcceptedType(t: string): t is AcceptedType {
  return (ACCEPTED_TYPES as readonly string[]).includes(t);
}

/** `marking`: marking-definition (not versioned); `meta`: language-content and extension-definition (versioned, like SDOs). */
export type Kind = 'sdo' | 'sro' | 'sco' | 'marking' | 'meta';

export const KIND: Readonly<Record<AcceptedType, Kind>> = {
  'attack-pattern': 'sdo', campaign: 'sdo', 'course-of-action': 'sdo', grouping: 'sdo', identity: 'sdo', incident: 'sdo', indicator: 'sdo',
  infrastructure: 'sdo', 'intrusion-set': 'sdo', location: 'sdo', malware: 'sdo', 'malware-analysis': 'sdo', note: 'sdo', 'observed-data': 'sdo',
  opinion: 'sdo', report: 'sdo', 'threat-actor': 'sdo', tool: 'sdo', vulnerability: 'sdo',
  relationship: 'sro', sighting: 'sro',
  artifact: 'sco', 'autonomous-system': 'sco', directory: 'sco', 'domain-name': 'sco', 'email-addr': 'sco', 'email-message': 'sco', file: 'sco',
  'ipv4-addr': 'sco', 'ipv6-addr': 'sco', 'mac-addr': 'sco', mutex: 'sco', 'network-traffic': 'sco', process: 'sco', software: 'sco', url: 'sco',
  'user-account': 'sco', 'windows-registry-key': 'sco', 'x509-certificate': 'sco',
  'marking-definition': 'marking', 'language-content': 'meta', 'extension-definition': 'meta',
};

/** Section 3.2: common properties of SDOs and SROs, and of SCOs. */
export const SDO_COMMON = ['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'revoked', 'labels', 'confidence', 'lang', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions'];
export const SCO_COMMON = ['type', 'spec_version', 'id', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions'];
/** Section 7.2.1: a marking definition is not versioned (no `modified`, `revoked`). */
export const MARKING_PROPERTIES = ['type', 'spec_version', 'id', 'created', 'created_by_ref', 'external_references', 'object_marking_refs', 'granular_markings', 'extensions', 'name', 'definition_type', 'definition'];
/** Sections 7.1, 7.3: language-content and extension-definition are versioned but take fewer common properties than SDOs. */
export const META_COMMON = ['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'revoked', 'labels', 'external_references', 'object_marking_refs', 'granular_markings'];

/** Each type's own properties (sections 4, 5, 6), beside the common ones. */
export const OWN_PROPERTIES: Readonly<Record<AcceptedType, readonly string[]>> = {
  'attack-pattern': ['name', 'description', 'aliases', 'kill_chain_phases'],
  campaign: ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'objective'],
  'course-of-action': ['name', 'description'],
  grouping: ['name', 'description', 'context', 'object_refs'],
  identity: ['name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  incident: ['name', 'description', 'kill_chain_phases'],
  'intrusion-set': ['name', 'description', 'aliases', 'first_seen', 'last_seen', 'goals', 'resource_level', 'primary_motivation', 'secondary_motivations'],
  location: ['name', 'description', 'latitude', 'longitude', 'precision', 'region', 'country', 'administrative_area', 'city', 'street_address', 'postal_code'],
  'malware-analysis': [
    'product', 'version', 'host_vm_ref', 'operating_system_ref', 'installed_software_refs', 'configuration_version', 'modules', 'analysis_engine_version',
    'analysis_definition_version', 'submitted', 'analysis_started', 'analysis_ended', 'result_name', 'result', 'analysis_sco_refs', 'sample_ref',
  ],
  'threat-actor': [
    'name', 'description', 'threat_actor_types', 'aliases', 'first_seen', 'last_seen', 'roles', 'goals', 'sophistication', 'resource_level',
    'primary_motivation', 'secondary_motivations', 'personal_motivations',
  ],
  tool: ['name', 'description', 'tool_types', 'aliases', 'kill_chain_phases', 'tool_version'],
  vulnerability: ['name', 'description'],
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
  'language-content': ['object_ref', 'object_modified', 'contents'],
  'extension-definition': ['name', 'description', 'schema', 'version', 'extension_types', 'extension_properties'],
  artifact: ['mime_type', 'payload_bin', 'url', 'hashes', 'encryption_algorithm', 'decryption_key'],
  'autonomous-system': ['number', 'name', 'rir'],
  directory: ['path', 'path_enc', 'ctime', 'mtime', 'atime', 'contains_refs'],
  'email-addr': ['value', 'display_name', 'belongs_to_ref'],
  'email-message': [
    'is_multipart', 'date', 'content_type', 'from_ref', 'sender_ref', 'to_refs', 'cc_refs', 'bcc_refs', 'message_id', 'subject', 'received_lines',
    'additional_header_fields', 'body', 'body_multipart', 'raw_email_ref',
  ],
  'mac-addr': ['value'],
  mutex: ['name'],
  process: ['is_hidden', 'pid', 'created_time', 'cwd', 'command_line', 'environment_variables', 'opened_connection_refs', 'creator_user_ref', 'image_ref', 'parent_ref', 'child_refs'],
  software: ['name', 'cpe', 'swid', 'languages', 'vendor', 'version'],
  'user-account': [
    'user_id', 'credential', 'account_login', 'account_type', 'display_name', 'is_service_account', 'is_privileged', 'can_escalate_privs', 'is_disabled',
    'account_created', 'account_expires', 'credential_last_changed', 'account_first_login', 'account_last_login',
  ],
  'windows-registry-key': ['key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys'],
  'x509-certificate': [
    'is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer', 'validity_not_before', 'validity_not_after', 'subject',
    'subject_public_key_algorithm', 'subject_public_key_modulus', 'subject_public_key_exponent', 'x509_v3_extensions',
  ],
  'domain-name': ['value', 'resolves_to_refs'],
  'ipv4-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': ['value', 'resolves_to_refs', 'belongs_to_refs'],
  url: ['value'],
  'network-traffic': ['start', 'end', 'is_active', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'src_byte_count', 'dst_byte_count', 'src_packets', 'dst_packets', 'ipfix', 'src_payload_ref', 'dst_payload_ref', 'encapsulates_refs', 'encapsulated_by_ref'],
  file: ['hashes', 'size', 'name', 'name_enc', 'magic_number_hex', 'mime_type', 'ctime', 'mtime', 'atime', 'parent_directory_ref', 'contains_refs', 'content_ref'],
};

export const REQUIRED: Readonly<Record<AcceptedType, readonly string[]>> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  grouping: ['context', 'object_refs'],
  'intrusion-set': ['name'],
  'malware-analysis': ['product'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
  location: [],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['created_by_ref', 'name', 'schema', 'version', 'extension_types'],
  artifact: [],
  'autonomous-system': ['number'],
  directory: ['path'],
  'email-addr': ['value'],
  'email-message': ['is_multipart'],
  'mac-addr': ['value'],
  mutex: ['name'],
  process: [],
  software: ['name'],
  'user-account': [],
  'windows-registry-key': [],
  'x509-certificate': [],
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
  'grouping.object_refs': [ANY],
  'malware-analysis.host_vm_ref': ['software'],
  'malware-analysis.operating_system_ref': ['software'],
  'malware-analysis.installed_software_refs': ['software'],
  'malware-analysis.analysis_sco_refs': [SCO_TARGET],
  'malware-analysis.sample_ref': ['file', 'network-traffic', 'artifact'],
  'language-content.object_ref': [SDO_TARGET, 'relationship', 'sighting'],
  'email-addr.belongs_to_ref': ['user-account'],
  'email-message.from_ref': ['email-addr'],
  'email-message.sender_ref': ['email-addr'],
  'email-message.to_refs': ['email-addr'],
  'email-message.cc_refs': ['email-addr'],
  'email-message.bcc_refs': ['email-addr'],
  'email-message.raw_email_ref': ['artifact'],
  'directory.contains_refs': ['file', 'directory'],
  'process.opened_connection_refs': ['network-traffic'],
  'process.creator_user_ref': ['user-account'],
  'process.image_ref': ['file'],
  'process.parent_ref': ['process'],
  'process.child_refs': ['process'],
  'windows-registry-key.creator_user_ref': ['user-account'],
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
