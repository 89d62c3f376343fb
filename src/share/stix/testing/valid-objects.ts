/** One valid object of each type the hub accepts, for tests to mutate (built from the STIX 2.1 examples' shapes). */
import { TLP2_IDS, tlp2MarkingDefinition } from '../tlp.js';

export const IDENTITY = 'identity--311b2d2d-f010-4473-83ec-1edf84858f4c';
export const T = '2016-04-06T20:03:00.000Z';
export const T2 = '2016-04-06T20:03:48.000Z';

export function validObjects(): Record<string, Record<string, unknown>> {
  return {
    identity: { type: 'identity', spec_version: '2.1', id: IDENTITY, created: T, modified: T, name: 'ACME Widget, Inc.', identity_class: 'organization' },
    indicator: {
      type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created_by_ref: IDENTITY, created: T, modified: T2,
      indicator_types: ['malicious-activity'], name: 'Poison Ivy Malware', pattern: "[file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877']",
      pattern_type: 'stix', valid_from: '2016-01-01T00:00:00Z', object_marking_refs: [TLP2_IDS.amber], confidence: 80,
    },
    'observed-data': {
      type: 'observed-data', spec_version: '2.1', id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf', created_by_ref: IDENTITY, created: T, modified: T,
      first_observed: '2015-12-21T19:00:00Z', last_observed: '2015-12-21T19:00:00Z', number_observed: 50, object_refs: ['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],
    },
    sighting: {
      type: 'sighting', spec_version: '2.1', id: 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75', created_by_ref: IDENTITY, created: T, modified: T,
      first_seen: '2015-12-21T19:00:00Z', last_seen: '2015-12-21T19:00:00Z', count: 3, sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      observed_data_refs: ['observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf'], where_sighted_refs: [IDENTITY],
    },
    infrastructure: { type: 'infrastructure', spec_version: '2.1', id: 'infrastructure--38c47d93-d984-4fd9-b87b-d69d0841628d', created: T, modified: T, name: 'Poison Ivy C2', infrastructure_types: ['command-and-control'] },
    malware: { type: 'malware', spec_version: '2.1', id: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', created: T, modified: T, name: 'Cryptolocker', is_family: true, malware_types: ['ransomware'] },
    relationship: {
      type: 'relationship', spec_version: '2.1', id: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad', created: T, modified: T, relationship_type: 'indicates',
      source_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', target_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
    },
    report: { type: 'report', spec_version: '2.1', id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3', created_by_ref: IDENTITY, created: T, modified: T, name: 'The Black Vine Cyberespionage Group', report_types: ['campaign'], published: T, object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] },
    note: { type: 'note', spec_version: '2.1', id: 'note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', created: T, modified: T, content: 'This note indicates the various steps taken.', object_refs: ['malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'] },
    opinion: { type: 'opinion', spec_version: '2.1', id: 'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7', created: T, modified: T, opinion: 'strongly-disagree', object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] },
    incident: {
      type: 'incident', spec_version: '2.1', id: 'incident--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T, modified: T, name: 'Phishing at ACME',
      extensions: { 'extension-definition--ef765651-680c-498d-9894-99799f2fa126': { extension_type: 'property-extension', determination: 'suspected', investigation_status: 'open', criticality: 70 } },
    },
    'marking-definition': tlp2MarkingDefinition('green'),
    statement: { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41db', created: T, definition_type: 'statement', definition: { statement: 'Copyright 2019, Example Corp' } },
    'ipv4-addr': { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' },
    'ipv6-addr': { type: 'ipv6-addr', spec_version: '2.1', id: 'ipv6-addr--085ddd4a-8c4f-5f95-83a7-5b6ac1c2b3b4', value: '2001:0db8::/96' },
    'domain-name': { type: 'domain-name', spec_version: '2.1', id: 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7', value: 'example.com' },
    url: { type: 'url', spec_version: '2.1', id: 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55', value: 'https://example.com/research/index.html' },
    'network-traffic': { type: 'network-traffic', spec_version: '2.1', id: 'network-traffic--6e0cb830-0305-57d4-8536-7be874d42005', src_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', dst_port: 23, protocols: ['ipv4', 'tcp'] },
    file: { type: 'file', spec_version: '2.1', id: 'file--949eb97a-da1e-5292-8959-03c4249dc9f3', hashes: { 'SHA-256': 'fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db' }, size: 25536, name: 'foo.dll' },
  };
}
