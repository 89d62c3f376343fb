/**
 * Objects shaped like what peers' STIX 2.1 exports carry — MISP (misp-stix: a grouping per event,
 * galaxies as attack patterns, threat actors…, `x-misp-*` custom objects, every SCO type) and
 * OpenCTI (its property extensions on every object, types of its own defined by an
 * extension-definition) — written from the STIX 2.1 specification and those tools' documented
 * output, not copied from them.
 */
import { TLP2_IDS } from '../tlp.js';

const ORG = 'identity--55f6ea5e-2c60-40e5-964f-47a8950d210f';
const C = '2023-05-10T08:30:00.000Z';
const M = '2023-05-11T09:00:00.123Z';
const sdo = (type: string, uuid: string, props: Record<string, unknown>): Record<string, unknown> => ({
  type, spec_version: '2.1', id: `${type}--${uuid}`, created_by_ref: ORG, created: C, modified: M, ...props,
});
const sco = (type: string, uuid: string, props: Record<string, unknown>): Record<string, unknown> => ({ type, spec_version: '2.1', id: `${type}--${uuid}`, ...props });

/** OpenCTI's own extension-definition for its metadata on every object, and the one for observables. */
export const OPENCTI_EXT = 'extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba';
export const OPENCTI_SCO_EXT = 'extension-definition--f93e2c80-4231-4f9a-af8b-95c9bd566a82';

export function mispObjects(): Record<string, Record<string, unknown>> {
  return {
    organisation: { type: 'identity', spec_version: '2.1', id: ORG, created: C, modified: C, name: 'CIRCL', identity_class: 'organization' },
    grouping: sdo('grouping', '5e384ae7-672c-4250-9cda-3b4da964451a', {
      name: 'Mirai C2 infrastructure', context: 'suspicious-activity', labels: ['Threat level 2', 'misp:tool="MISP-STIX-Converter"'],
      object_refs: ['indicator--91ae0a21-c7ae-4c7f-b84b-b84a7ce53d1f', 'x-misp-attribute--518b4bcb-a86b-4783-9457-391d548b605b'],
      object_marking_refs: [TLP2_IDS.green],
    }),
    // MISP writes valid_from from the attribute's timestamp, to the second: no fraction, which STIX allows.
    indicator: sdo('indicator', '91ae0a21-c7ae-4c7f-b84b-b84a7ce53d1f', {
      pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', pattern_version: '2.1', valid_from: '2023-05-10T08:30:00Z',
      kill_chain_phases: [{ kill_chain_name: 'misp-category', phase_name: 'Network activity' }], labels: ['misp:type="ip-dst"', 'misp:to_ids="True"'],
    }),
    'x-misp-attribute': sdo('x-misp-attribute', '518b4bcb-a86b-4783-9457-391d548b605b', {
      labels: ['misp:type="comment"'], x_misp_category: 'Other', x_misp_type: 'comment', x_misp_value: 'seen from the honeynet',
    }),
    'x-misp-object': sdo('x-misp-object', '5b23c82b-6508-4bdc-b580-045b0a00020f', {
      x_misp_name: 'phone', x_misp_meta_category: 'misc', x_misp_attributes: [{ type: 'text', object_relation: 'brand', value: 'Acme' }],
    }),
    'attack-pattern': sdo('attack-pattern', 'dcaa092b-7de9-4a21-977f-7fcb77e89c48', {
      name: 'Brute Force - T1110', description: 'Adversaries may use brute force techniques to gain access to accounts.',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'credential-access' }], external_references: [{ source_name: 'mitre-attack', external_id: 'T1110' }],
    }),
    'course-of-action': sdo('course-of-action', '2c3ce852-06a2-40ee-8fe6-086f6402a739', { name: 'Password Policies - M1027' }),
    'threat-actor': sdo('threat-actor', 'c6fe8f31-a27d-4cc3-926b-a81a9c1bb17a', {
      name: 'APT 28', aliases: ['Sofacy', 'Fancy Bear'], threat_actor_types: ['nation-state'], sophistication: 'expert', resource_level: 'government',
      primary_motivation: 'organizational-gain', first_seen: '2004-01-01T00:00:00Z',
    }),
    'intrusion-set': sdo('intrusion-set', '4e2d9f3e-7d34-4e0f-8d1d-3e2f4b8a9c10', { name: 'Sandworm', goals: ['disruption'], first_seen: '2009-01-01T00:00:00Z', last_seen: '2023-01-01T00:00:00Z' }),
    campaign: sdo('campaign', '83422c77-904c-4dc1-aff5-5c38f3a2c55c', { name: 'Operation Cloud Hopper', objective: 'espionage', first_seen: '2016-04-06T00:00:00Z' }),
    tool: sdo('tool', '8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', { name: 'masscan', tool_types: ['network-capture'], tool_version: '1.3.2' }),
    vulnerability: sdo('vulnerability', '0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', { name: 'CVE-2023-1389', external_references: [{ source_name: 'cve', external_id: 'CVE-2023-1389' }] }),
    location: sdo('location', 'a6e9345f-5a15-4c29-8bb3-7dcc5d168d64', { name: 'Japan', region: 'eastern-asia', country: 'JP' }),
    'malware-analysis': sdo('malware-analysis', 'd25dcbc2-1e61-4b8c-9b9a-0e2f4a4a6b11', {
      product: 'cuckoo', result: 'malicious', analysis_started: '2023-05-10T08:00:00Z', analysis_ended: '2023-05-10T08:05:00Z',
      sample_ref: 'file--365d0ec1-5c4a-5a1a-9a7e-2a6f3f5c0c4d',
    }),
    'email-message': sco('email-message', 'f25c4e5e-1a2b-5c3d-8e4f-5a6b7c8d9e0f', {
      is_multipart: false, subject: 'Invoice', date: '2023-05-10T07:59:01Z', from_ref: 'email-addr--9b7e29b3-fd8d-562e-b3f0-8fc8134f5dda',
      to_refs: ['email-addr--d1b3bf0c-f02a-51a1-8102-11aba7959868'], body: 'Please see attached.',
    }),
    'email-addr': sco('email-addr', '9b7e29b3-fd8d-562e-b3f0-8fc8134f5dda', { value: 'billing@example.com', display_name: 'Billing' }),
    'x509-certificate': sco('x509-certificate', '463d7b2a-8516-5a50-a3d7-6f801465d5de', {
      serial_number: '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06', validity_not_before: '2016-03-12T12:00:00Z', validity_not_after: '2016-08-21T12:00:00Z',
      hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' },
    }),
    'autonomous-system': sco('autonomous-system', 'f720c34b-98ae-597f-ade5-27ef187498b5', { number: 15139, name: 'Slime Industries', rir: 'ARIN' }),
    'mac-addr': sco('mac-addr', '65cfcf98-8a6e-5a1b-8f61-379ac4f92d00', { value: 'd2:fb:49:24:37:18' }),
    mutex: sco('mutex', 'eba44954-d4e4-5d3b-814c-2b17dd8de300', { name: '__CLEANSWEEP__' }),
    software: sco('software', 'a1827f6d-ca53-5605-9e93-4316cd22a00a', { name: 'Word', cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*', vendor: 'Microsoft', version: '2002', languages: ['eng'] }),
    'user-account': sco('user-account', '0d5b424b-93b8-5cd8-ac36-306e1789d63c', { user_id: '1001', account_login: 'jdoe', account_type: 'unix', is_privileged: false, account_created: '2016-01-20T12:31:12Z', extensions: { 'unix-account-ext': { gid: 1001 } } }),
    'windows-registry-key': sco('windows-registry-key', '2ba37ae7-2745-5082-9dfd-9486dad41016', { key: 'hkey_local_machine\\system\\bar\\foo', values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }] }),
    process: sco('process', 'f52a906a-0dfc-40bd-92f1-e7778ead38a9', { pid: 1221, created_time: '2016-01-20T14:11:25.55Z', command_line: './gedit-bin --new-window', extensions: { 'windows-process-ext': { aslr_enabled: true } } }),
    artifact: sco('artifact', '4cce66f8-6eaa-53cb-85d5-3a85fca3a6c5', { mime_type: 'application/zip', url: 'https://example.com/sample.zip', hashes: { 'SHA-256': '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b' } }),
    directory: sco('directory', '93c0a9b0-520d-545d-9094-1a08ddf46b05', { path: 'C:\\Windows\\System32', ctime: '2016-01-20T14:11:25Z' }),
  };
}

export function openctiObjects(): Record<string, Record<string, unknown>> {
  const meta = (type: string): Record<string, unknown> => ({
    [OPENCTI_EXT]: { extension_type: 'property-extension', id: '9c0b7d3e-1f2a-4b5c-8d6e-7f8091a2b3c4', type, created_at: '2023-05-10T08:30:00.000Z', updated_at: '2023-05-11T09:00:00.123Z', is_inferred: false },
  });
  return {
    'extension-definition': {
      type: 'extension-definition', spec_version: '2.1', id: OPENCTI_EXT, created_by_ref: ORG, created: '2022-01-01T00:00:00.000Z', modified: '2022-01-01T00:00:00.000Z',
      name: 'OpenCTI properties', schema: 'https://github.com/OpenCTI-Platform/opencti/blob/master/opencti-platform/opencti-graphql/src/modules/', version: '1.0',
      extension_types: ['property-extension', 'new-sdo'],
    },
    'intrusion-set': { ...sdo('intrusion-set', '1b6a9c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d', { name: 'APT41', confidence: 75 }), extensions: meta('Intrusion-Set') },
    location: { ...sdo('location', '2c7b0d3e-4f5a-4b6c-8d7e-8f9a0b1c2d3e', { name: 'France', country: 'FR', x_opencti_location_type: 'Country' }), extensions: meta('Country') },
    indicator: {
      ...sdo('indicator', '3d8c1e4f-5a6b-4c7d-9e8f-9a0b1c2d3e4f', { name: 'bad.example', pattern: "[domain-name:value = 'bad.example']", pattern_type: 'stix', valid_from: '2023-05-10T08:30:00.000Z', valid_until: '2024-05-10T08:30:00.000Z', x_opencti_score: 80, x_mitre_platforms: ['linux'] }),
      extensions: meta('Indicator'),
    },
    'domain-name': { ...sco('domain-name', 'bedb4899-d24b-5401-bc86-8f6b4cc18ec7', { value: 'example.com' }), extensions: { [OPENCTI_SCO_EXT]: { extension_type: 'property-extension', score: 50, description: 'seen' } } },
    // A type of OpenCTI's own: a new SDO its extension-definition defines.
    'case-incident': {
      ...sdo('case-incident', '4e9d2f5a-6b7c-4d8e-8f9a-0b1c2d3e4f5a', { name: 'Phishing wave', severity: 'high', priority: 'P2', object_refs: ['indicator--3d8c1e4f-5a6b-4c7d-9e8f-9a0b1c2d3e4f'] }),
      extensions: { [OPENCTI_EXT]: { extension_type: 'new-sdo', id: '4e9d2f5a-6b7c-4d8e-8f9a-0b1c2d3e4f5a', type: 'Case-Incident' } },
    },
    // A new SCO: no created/modified.
    'cryptocurrency-wallet': { ...sco('cryptocurrency-wallet', '5fae3a6b-7c8d-4e9f-9a0b-1c2d3e4f5a6b', { value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' }), extensions: { [OPENCTI_SCO_EXT]: { extension_type: 'new-sco' } } },
    'language-content': {
      type: 'language-content', spec_version: '2.1', id: 'language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d', created: C, modified: C,
      object_ref: 'intrusion-set--1b6a9c2d-3e4f-4a5b-9c6d-7e8f9a0b1c2d', object_modified: M, contents: { ja: { name: 'APT41 (日本語)' }, de: { description: 'Eine Gruppe' } },
    },
  };
}
