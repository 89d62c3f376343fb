import { describe, expect, it } from 'vitest';
import { TLP1_IDS, TLP2_IDS, tlp2MarkingDefinition } from './tlp.js';
import { IDENTITY, T, validObjects } from './testing/valid-objects.js';
import { bundleShapeIssues, validateBundle, validateObject } from './validate.js';

type Obj = Record<string, unknown>;
const base = (name: string): Obj => structuredClone(validObjects()[name] as Obj);
const withProps = (name: string, patch: Obj): Obj => {
  const o = { ...base(name), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete o[k];
  return o;
};
/** The issues' "path: message" lines, for readable expectations. */
const issues = (o: unknown): string[] => validateObject(o).map((i) => `${i.path}: ${i.message}`);

describe('validateObject: the valid examples', () => {
  for (const [name, o] of Object.entries(validObjects())) {
    it(`${name} is valid`, () => expect(issues(o)).toEqual([]));
  }
});

describe('validateObject: common rules', () => {
  it('refuses what is not an object, has no type, or a type the hub does not accept', () => {
    expect(issues([])).toEqual([': a STIX object must be a JSON object, not a list']);
    expect(issues({ id: 'x' })).toEqual(['type: is required']);
    expect(issues({ type: 'widget', id: 'widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' })[0]).toMatch(/^type: type widget is not a STIX 2.1 type; the hub accepts custom objects/);
  });

  it('requires the common properties per kind and spec_version 2.1', () => {
    expect(issues(withProps('indicator', { created: undefined, spec_version: undefined }))).toEqual(['spec_version: is required (2.1)', 'created: is required on indicator']);
    expect(issues(withProps('indicator', { spec_version: '2.0' }))).toEqual(['spec_version: must be "2.0"'.replace('"2.0"', '"2.1", not the string "2.0"')]);
    // SCOs: spec_version optional, no created/modified.
    expect(issues(withProps('ipv4-addr', { spec_version: undefined }))).toEqual([]);
    expect(issues(withProps('ipv4-addr', { created: T }))).toEqual(['created: is not a STIX property of this type; a custom property must start with "x_" (section 11.1) or live in an extension']);
    expect(issues(withProps('marking-definition', { created: undefined }))).toContain('created: is required on marking-definition');
  });

  it('checks the id: syntax, RFC 4122 UUID, prefix equal to the type', () => {
    expect(issues(withProps('malware', { id: 'malware-0c7b5b88' }))).toEqual(['id: "malware-0c7b5b88" is not an identifier (type--UUID)']);
    expect(issues(withProps('malware', { id: 'tool--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' }))).toEqual(['id: the identifier\'s type "tool" must be the object\'s type "malware"']);
    expect(issues(withProps('malware', { id: 'malware--0c7b5b88-8ff7-4a4d-7a9d-feb398cd0061' }))[0]).toMatch(/not an RFC 4122 UUID/);
  });

  it('checks timestamps: RFC 3339, UTC Z, real dates, millisecond precision on created/modified, modified >= created', () => {
    expect(issues(withProps('identity', { created: '2016-04-06 20:03:00.000Z' }))[0]).toMatch(/^created: .* is not an RFC 3339 timestamp/);
    expect(issues(withProps('identity', { created: '2016-04-06T20:03:00.000+09:00', modified: undefined }))).toEqual(['modified: is required on identity', 'created: "2016-04-06T20:03:00.000+09:00" is not in UTC with the "Z" designation']);
    expect(issues(withProps('identity', { created: '2016-02-30T20:03:00.000Z' }))[0]).toMatch(/has no such date/);
    expect(issues(withProps('identity', { created: '2016-04-06T20:03:00Z', modified: '2016-04-06T20:03:00Z' }))).toEqual([
      'created: "2016-04-06T20:03:00Z" must be precise to at least the millisecond (three digits after the seconds)',
      'modified: "2016-04-06T20:03:00Z" must be precise to at least the millisecond (three digits after the seconds)',
    ]);
    expect(issues(withProps('identity', { modified: '2016-04-06T20:02:59.999Z' }))).toEqual(['modified: must be later than or equal to created (2016-04-06T20:02:59.999Z is before 2016-04-06T20:03:00.000Z)']);
    // Full precision: .0001 after .000 is later even though both round to the same millisecond.
    expect(issues(withProps('identity', { modified: '2016-04-06T20:03:00.0001Z' }))).toEqual([]);
    expect(issues(withProps('identity', { modified: '2016-04-06T20:02:59.9999999Z' }))).toHaveLength(1);
  });

  it('checks confidence, revoked, labels, lang', () => {
    expect(issues(withProps('indicator', { confidence: 101 }))).toEqual(['confidence: must be between 0 and 100, not 101']);
    expect(issues(withProps('indicator', { confidence: 5.5 }))).toEqual(['confidence: must be an integer, not number 5.5']);
    expect(issues(withProps('indicator', { revoked: 'yes' }))).toEqual(['revoked: must be true or false, not the string "yes"']);
    expect(issues(withProps('indicator', { labels: ['a', 3] }))).toEqual(['labels[1]: must be a string, not number 3']);
    expect(issues(withProps('indicator', { lang: 'ja-JP' }))).toEqual([]);
    expect(issues(withProps('indicator', { lang: 'Japanese language' }))).toEqual(['lang: "Japanese language" is not an RFC 5646 language tag']);
  });

  it('checks reference target types per property', () => {
    expect(issues(withProps('indicator', { created_by_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' }))).toEqual(['created_by_ref: must refer to identity, not a malware']);
    expect(issues(withProps('indicator', { object_marking_refs: [IDENTITY] }))).toEqual(['object_marking_refs[0]: must refer to marking-definition, not a identity']);
    expect(issues(withProps('sighting', { sighting_of_ref: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad' }))).toEqual(['sighting_of_ref: must refer to an SDO, not a relationship']);
    expect(issues(withProps('sighting', { sighting_of_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4' }))).toEqual(['sighting_of_ref: must refer to an SDO, not a ipv4-addr']);
    expect(issues(withProps('sighting', { where_sighted_refs: ['location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64', 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'] }))).toEqual(['where_sighted_refs[1]: must refer to identity or location, not a indicator']);
    expect(issues(withProps('sighting', { observed_data_refs: [IDENTITY] }))).toEqual(['observed_data_refs[0]: must refer to observed-data, not a identity']);
    expect(issues(withProps('relationship', { target_ref: TLP2_IDS.red }))).toEqual(['target_ref: must refer to an SDO or SCO, not a marking-definition']);
    expect(issues(withProps('relationship', { source_ref: 'bundle--44298a74-ba52-4f0c-87a3-1824e67d7fad' }))).toEqual(['source_ref: must refer to an SDO or SCO, not a bundle']);
    expect(issues(withProps('relationship', { target_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4' }))).toEqual([]);
    expect(issues(withProps('malware', { sample_refs: ['url--47c3cf9a-5027-5bf0-997a-017c7edc7c55'] }))).toEqual(['sample_refs[0]: must refer to file or artifact, not a url']);
    expect(issues(withProps('network-traffic', { src_ref: 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55' }))).toEqual(['src_ref: must refer to ipv4-addr or ipv6-addr or mac-addr or domain-name, not a url']);
    expect(issues(withProps('network-traffic', { dst_ref: 'mac-addr--757b1725-9903-54f5-a855-1240691d7659' }))).toEqual([]);
    expect(issues(withProps('observed-data', { object_refs: [IDENTITY] }))).toEqual(['object_refs[0]: must refer to an SCO or relationship, not a identity']);
    expect(issues(withProps('report', { object_refs: [] }))).toEqual(['object_refs: must not be an empty list']);
    expect(issues(withProps('report', { object_refs: 'x' }))).toEqual(['object_refs: must be a list of identifiers, not the string "x"']);
  });

  it('checks external references', () => {
    expect(issues(withProps('malware', { external_references: [{ source_name: 'cve' }] }))).toEqual([
      'external_references[0]: must have at least one of description, url or external_id',
      'external_references[0].external_id: is required when source_name is cve',
    ]);
    expect(issues(withProps('malware', { external_references: [{ source_name: 'capec', external_id: 'CAPEC-x' }] }))).toEqual(['external_references[0].external_id: "CAPEC-x" is not a CAPEC identifier']);
    expect(issues(withProps('malware', { external_references: [{ url: 'https://x.example/' }] }))).toEqual(['external_references[0].source_name: is required']);
    expect(issues(withProps('malware', { external_references: [{ source_name: 'x', url: 'https://x.example/', hashes: { 'SHA-256': 'abc' } }] }))).toEqual(['external_references[0].hashes.SHA-256: a SHA-256 hash is 64 hexadecimal digits']);
  });

  it('checks granular markings: selectors present on the object, one of marking_ref or lang', () => {
    const gm = (g: unknown[]): Obj => withProps('malware', { granular_markings: g, labels: ['a', 'b'] });
    expect(issues(gm([{ selectors: ['name', 'labels.[1]'], marking_ref: TLP2_IDS.red }, { selectors: ['name'], lang: 'ja' }]))).toEqual([]);
    expect(issues(gm([{ selectors: ['description'], marking_ref: TLP2_IDS.red }]))).toEqual(['granular_markings[0].selectors[0]: "description": the object has no property "description"']);
    expect(issues(gm([{ selectors: ['labels.[2]'], marking_ref: TLP2_IDS.red }]))).toEqual(['granular_markings[0].selectors[0]: "labels.[2]": the list has no item 2']);
    expect(issues(gm([{ selectors: ['name.[0]'], marking_ref: TLP2_IDS.red }]))).toEqual(['granular_markings[0].selectors[0]: "name.[0]": [0] indexes something that is not a list']);
    expect(issues(gm([{ selectors: ['labels.name'], marking_ref: TLP2_IDS.red }]))).toEqual(['granular_markings[0].selectors[0]: "labels.name": "name" names a property of something that is not an object']);
    expect(issues(gm([{ selectors: ['name'], marking_ref: TLP2_IDS.red, lang: 'en' }]))).toEqual(['granular_markings[0]: must have exactly one of marking_ref or lang']);
    expect(issues(gm([{ selectors: [], lang: 'en' }]))).toEqual(['granular_markings[0].selectors: must be a non-empty list of selectors, not a list']);
  });

  it('checks custom properties: x_ prefix, a-z 0-9 _, 3-250 characters; toplevel extensions exempt', () => {
    expect(issues(withProps('malware', { x_acme_org_risk_score: 10 }))).toEqual([]);
    expect(issues(withProps('malware', { risk_score: 10 }))).toEqual(['risk_score: is not a STIX property of this type; a custom property must start with "x_" (section 11.1) or live in an extension']);
    expect(issues(withProps('malware', { 'x_Acme-Score': 10 }))[0]).toMatch(/custom property name must be 3-250 characters of a-z, 0-9 and "_"/);
    expect(issues(withProps('malware', { x: 1 }))[0]).toMatch(/^x: .*3-250 characters/);
    expect(issues(withProps('malware', { risk_score: 10, extensions: { 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade': { extension_type: 'toplevel-property-extension' } } }))).toEqual([]);
  });

  it('checks extensions: predefined names or extension-definition ids, extension_type', () => {
    expect(issues(withProps('file', { extensions: { 'ntfs-ext': { sid: '1' } } }))).toEqual([]);
    expect(issues(withProps('file', { extensions: { 'tcp-ext': {} } }))[0]).toMatch(/^extensions.tcp-ext: is neither an extension defined for this type/);
    expect(issues(withProps('malware', { extensions: { 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade': { extension_type: 'property_extension' } } }))[0]).toMatch(/extension_type: must be new-sdo/);
  });
});

describe('validateObject: per type', () => {
  it('indicator: pattern_type, a valid STIX pattern with its column, valid_until after valid_from', () => {
    expect(issues(withProps('indicator', { pattern: "[ipv4-addr:value = '198.51.100.1' AND domain-name:value = 'x.example']" }))).toEqual([
      'pattern: is not a valid STIX pattern: AND joins comparisons on different object types (ipv4-addr and domain-name): within [ ] they must match one object; use OR, or separate [ ] AND [ ] (column 35)',
    ]);
    expect(issues(withProps('indicator', { pattern: "[file:size = 1", pattern_type: 'stix' }))[0]).toMatch(/\(column 15\)$/);
    // Other pattern languages are not parsed by us.
    expect(issues(withProps('indicator', { pattern: 'alert tcp any any -> any any (msg:"x";)', pattern_type: 'snort' }))).toEqual([]);
    expect(issues(withProps('indicator', { valid_until: '2016-01-01T00:00:00Z' }))).toEqual(['valid_until: must be later than valid_from (2016-01-01T00:00:00Z equals 2016-01-01T00:00:00Z)']);
    expect(issues(withProps('indicator', { pattern_type: undefined }))).toEqual(['pattern_type: is required on indicator']);
  });

  it('sighting: count 0-999999999, last_seen >= first_seen', () => {
    expect(issues(withProps('sighting', { count: 0 }))).toEqual([]);
    expect(issues(withProps('sighting', { count: 1_000_000_000 }))).toEqual(['count: must be between 0 and 999,999,999, not 1000000000']);
    expect(issues(withProps('sighting', { last_seen: '2015-12-21T18:59:59.999Z' }))[0]).toMatch(/^last_seen: must be later than or equal to first_seen/);
  });

  it('observed-data: number_observed 1-999999999, last >= first, object_refs xor objects', () => {
    expect(issues(withProps('observed-data', { number_observed: 0 }))).toEqual(['number_observed: must be between 1 and 999,999,999, not 0']);
    expect(issues(withProps('observed-data', { last_observed: '2015-12-21T18:00:00Z' }))[0]).toMatch(/^last_observed: must be later than or equal to first_observed/);
    expect(issues(withProps('observed-data', { objects: { 0: { type: 'ipv4-addr', value: '198.51.100.3' } } }))).toEqual(['objects: must not be present together with object_refs']);
    expect(issues(withProps('observed-data', { object_refs: undefined }))).toEqual(['object_refs: observed-data needs object_refs (or the deprecated objects), exactly one of them']);
    expect(issues(withProps('observed-data', { object_refs: undefined, objects: {} }))).toEqual(['objects: must be a dictionary of at least one cyber-observable object']);
    // The deprecated container: SCOs checked, references local to it.
    const objects = { 0: { type: 'network-traffic', src_ref: '1', protocols: ['tcp'] }, 1: { type: 'ipv4-addr', value: '203.0.113.10' } };
    expect(issues(withProps('observed-data', { object_refs: undefined, objects }))).toEqual([]);
    expect(issues(withProps('observed-data', { object_refs: undefined, objects: { ...objects, 0: { type: 'network-traffic', src_ref: '7', protocols: ['tcp'] }, 1: { type: 'ipv4-addr', value: '203.0.113.300' }, 2: { type: 'identity' }, 3: 5 } }))).toEqual([
      'objects.0.src_ref: must name another object of this container, not the string "7"',
      'objects.1.value: "203.0.113.300" is not an IPv4 address or CIDR block (a.b.c.d or a.b.c.d/n)',
      'objects.2.type: must be a cyber-observable object type, not the string "identity"',
      'objects.3: must be a cyber-observable object, not number 5',
    ]);
  });

  it('opinion: the opinion enumeration', () => {
    expect(issues(withProps('opinion', { opinion: 'meh' }))).toEqual(['opinion: must be one of strongly-disagree, disagree, neutral, agree, strongly-agree, not the string "meh"']);
  });

  it('malware: is_family required, a family needs a name', () => {
    expect(issues(withProps('malware', { is_family: undefined }))).toEqual(['is_family: is required on malware']);
    expect(issues(withProps('malware', { name: undefined }))).toEqual(['name: is required for a malware family (is_family true)']);
  });

  it('incident: the incident-core extension', () => {
    const ext = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
    expect(issues(withProps('incident', { extensions: { [ext]: { extension_type: 'property-extension', determination: 'confirmed', criticality: 101 } } }))).toEqual([
      `extensions.${ext}.determination: must be one of blocked, successful-attempt, failed-attempt, false-positive, low-value, suspected, not the string "confirmed"`,
      `extensions.${ext}.investigation_status: is required by the incident-core extension`,
      `extensions.${ext}.criticality: must be between 0 and 100, not 101`,
    ]);
    expect(issues(withProps('incident', { extensions: undefined }))).toEqual([]);
  });

  it('relationship: stop_time after start_time, relationship_type syntax', () => {
    expect(issues(withProps('relationship', { start_time: T, stop_time: T }))).toEqual([`stop_time: must be later than start_time (${T} equals ${T})`]);
    expect(issues(withProps('relationship', { relationship_type: 'Indicates' }))).toEqual(['relationship_type: must be ASCII a-z, 0-9 and "-"']);
  });

  it('marking-definition: the five TLP 2.0 definitions the hub publishes are valid', () => {
    for (const level of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) expect(issues(tlp2MarkingDefinition(level))).toEqual([]);
  });

  it('marking-definition: statement and TLP definitions, TLP ids, no self-marking', () => {
    expect(issues(withProps('statement', { definition: {} }))).toEqual(['definition.statement: is required for a statement marking']);
    expect(issues(withProps('statement', { definition_type: undefined }))).toEqual(['definition_type: is required when definition is present']);
    expect(issues({ type: 'marking-definition', spec_version: '2.1', id: TLP1_IDS.green, created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:GREEN', definition: { tlp: 'green' } })).toEqual([]);
    expect(issues({ type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41db', created: T, definition_type: 'tlp', definition: { tlp: 'green' } })).toEqual([
      `id: a TLP:GREEN marking must use the predefined id ${TLP1_IDS.green}`,
    ]);
    const tlp2 = base('marking-definition');
    expect(issues({ ...tlp2, id: TLP2_IDS.red })[0]).toMatch(/tlp_2_0: must be "red"/);
    expect(issues({ ...tlp2, extensions: undefined }).some((i) => /must carry the TLP 2.0 extension/.test(i))).toBe(true);
    expect(issues(withProps('statement', { object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41db'] }))).toEqual(['object_marking_refs: a marking definition must not mark itself']);
    expect(issues(withProps('statement', { modified: T }))[0]).toMatch(/^modified: is not a STIX property of this type/);
  });

  it('ipv4-addr and ipv6-addr: an address or a CIDR block', () => {
    for (const v of ['198.51.100.0/24', '0.0.0.0/0', '198.51.100.3/32']) expect(issues(withProps('ipv4-addr', { value: v }))).toEqual([]);
    expect(issues(withProps('ipv4-addr', { value: '198.51.100.0/33' }))).toEqual(['value: "198.51.100.0/33" has a prefix length outside 0-32']);
    expect(issues(withProps('ipv4-addr', { value: '198.51.100.256' }))[0]).toMatch(/is not an IPv4 address or CIDR block/);
    expect(issues(withProps('ipv4-addr', { value: '2001:db8::1' }))[0]).toMatch(/is not an IPv4 address/);
    expect(issues(withProps('ipv6-addr', { value: '2001:db8::1' }))).toEqual([]);
    expect(issues(withProps('ipv6-addr', { value: '2001:db8::/129' }))).toEqual(['value: "2001:db8::/129" has a prefix length outside 0-128']);
    expect(issues(withProps('ipv6-addr', { value: '198.51.100.3' }))[0]).toMatch(/is not an IPv6 address/);
  });

  it('domain-name and url: their syntax', () => {
    for (const v of ['example.com', 'a-b.example.co.jp', 'xn--wgv71a119e.jp', '日本語.jp', '_dmarc.example.com'.slice(1)]) expect(issues(withProps('domain-name', { value: v }))).toEqual([]);
    expect(issues(withProps('domain-name', { value: '-bad.example' }))[0]).toMatch(/label "-bad" is not/);
    expect(issues(withProps('domain-name', { value: 'a..example' }))[0]).toMatch(/label "" is not/);
    expect(issues(withProps('domain-name', { value: `${'a'.repeat(64)}.example` }))[0]).toMatch(/is not 1-63/);
    expect(issues(withProps('domain-name', { value: '198.51.100.3' }))[0]).toMatch(/the last label is all digits/);
    expect(issues(withProps('url', { value: 'example.com/x' }))[0]).toMatch(/it has no scheme/);
    expect(issues(withProps('url', { value: 'http://exa mple.com/' }))[0]).toMatch(/white space/);
  });

  it('network-traffic: src_ref or dst_ref, protocols, ports, start/end, is_active', () => {
    expect(issues(withProps('network-traffic', { src_ref: undefined }))).toEqual(['src_ref: a network-traffic object must have src_ref or dst_ref (or both)']);
    expect(issues(withProps('network-traffic', { protocols: undefined }))).toEqual(['protocols: is required on network-traffic']);
    expect(issues(withProps('network-traffic', { protocols: [] }))[0]).toMatch(/^protocols: must be a non-empty list/);
    expect(issues(withProps('network-traffic', { protocols: ['TCP'] }))).toEqual(['protocols[0]: protocol names are lowercase ("tcp")']);
    expect(issues(withProps('network-traffic', { dst_port: 65536 }))).toEqual(['dst_port: must be between 0 and 65,535, not 65536']);
    expect(issues(withProps('network-traffic', { start: '2016-01-01T00:00:01Z', end: '2016-01-01T00:00:00Z' }))[0]).toMatch(/^end: must be later than or equal to start/);
    expect(issues(withProps('network-traffic', { is_active: true, end: '2016-01-01T00:00:00Z' }))).toEqual(['is_active: must be false when end is present']);
  });

  it('file: hashes or name, hash syntax, size', () => {
    expect(issues(withProps('file', { hashes: undefined, name: undefined }))).toEqual(['hashes: a file object must have hashes or name (or both)']);
    expect(issues(withProps('file', { hashes: { MD5: 'zz' } }))).toEqual(['hashes.MD5: a MD5 hash is 32 hexadecimal digits']);
    expect(issues(withProps('file', { hashes: {} }))).toEqual(['hashes: must hold at least one hash']);
    expect(issues(withProps('file', { size: -1 }))[0]).toMatch(/^size: must be between 0/);
  });
});

describe('validateBundle', () => {
  const def = (id: string, marks: string[]): Obj => ({ type: 'marking-definition', spec_version: '2.1', id, created: T, definition_type: 'statement', definition: { statement: 'x' }, ...(marks.length ? { object_marking_refs: marks } : {}) });
  const A = 'marking-definition--0a000000-0000-4000-8000-000000000001';
  const B = 'marking-definition--0b000000-0000-4000-8000-000000000002';
  const C = 'marking-definition--0c000000-0000-4000-8000-000000000003';

  it('finds marking-definition cycles', () => {
    const r = validateBundle([def(A, [B]), def(B, [C]), def(C, [A]), base('identity')]);
    expect([...r.keys()]).toEqual([0, 1, 2]);
    expect(r.get(0)?.[0]?.message).toBe(`marking definitions mark one another in a cycle: ${A} → ${B} → ${C} → ${A}`);
    expect(validateBundle([def(A, [B]), def(B, [C]), def(C, [])]).size).toBe(0);
  });

  it('finds the same version twice', () => {
    const r = validateBundle([base('indicator'), base('identity'), base('indicator'), base('ipv4-addr'), base('ipv4-addr')]);
    expect(r.get(2)?.[0]?.message).toMatch(/the same object version as the object at index 0/);
    expect(r.get(4)?.[0]?.message).toMatch(/index 3/);
    expect(validateBundle([base('indicator'), { ...base('indicator'), modified: '2016-04-07T00:00:00.000Z' }]).size).toBe(0);
  });

  it('reports unknown marking definitions when told which are known', () => {
    const o = withProps('malware', { object_marking_refs: [TLP2_IDS.amber, TLP1_IDS.white, A, C] });
    const r = validateBundle([o, def(A, [])], { knownMarking: (id) => id === B });
    expect(r.get(0)).toEqual([{ path: 'object_marking_refs[3]', message: `unknown marking definition ${C}: neither in this bundle nor known to the hub` }]);
    expect(validateBundle([o]).size).toBe(0);
  });

  it('checks a bundle\'s own shape', () => {
    expect(bundleShapeIssues({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [] })).toEqual([]);
    expect(bundleShapeIssues({ type: 'bundle', id: 'x', spec_version: '2.0' }).map((i) => i.path)).toEqual(['id', 'spec_version']);
  });
});
