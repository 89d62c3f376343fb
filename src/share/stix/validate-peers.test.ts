import { describe, expect, it } from 'vitest';
import { mispObjects, OPENCTI_EXT, openctiObjects } from './testing/peer-objects.js';
import { validateBundle, validateObject } from './validate.js';

type Obj = Record<string, unknown>;
const issues = (o: unknown): string[] => validateObject(o).map((i) => `${i.path}: ${i.message}`);
const patch = (o: Obj | undefined, p: Obj): Obj => {
  const out = { ...structuredClone(o ?? {}), ...p };
  for (const [k, v] of Object.entries(p)) if (v === undefined) delete out[k];
  return out;
};
const misp = mispObjects();
const opencti = openctiObjects();

describe('objects MISP and OpenCTI export', () => {
  for (const [name, o] of [...Object.entries(misp).map(([k, v]) => [`MISP ${k}`, v] as const), ...Object.entries(opencti).map(([k, v]) => [`OpenCTI ${k}`, v] as const)]) {
    it(`${name} is accepted`, () => expect(issues(o)).toEqual([]));
  }
  it('a whole export validates as one bundle', () => {
    expect([...validateBundle([...Object.values(misp), ...Object.values(opencti)]).entries()]).toEqual([]);
  });
});

describe('the required properties of the types peers send (sections 4-7)', () => {
  const missing = (o: Obj | undefined, k: string): string[] => issues(patch(o, { [k]: undefined }));
  it('SDOs: name, context and object_refs, product', () => {
    for (const t of ['attack-pattern', 'campaign', 'course-of-action', 'threat-actor', 'intrusion-set', 'tool', 'vulnerability']) {
      expect(missing(misp[t], 'name'), t).toEqual([`name: is required on ${t}`]);
    }
    expect(missing(misp.grouping, 'context')).toEqual(['context: is required on grouping']);
    expect(missing(misp.grouping, 'object_refs')).toEqual(['object_refs: is required on grouping']);
    expect(missing(misp['malware-analysis'], 'product')).toEqual(['product: is required on malware-analysis']);
    expect(missing(misp['malware-analysis'], 'result')).toEqual(['result: a malware-analysis needs result or analysis_sco_refs (or both)']);
  });
  it('location: region, country or both coordinates, in range; precision needs them', () => {
    expect(issues(patch(misp.location, { region: undefined, country: undefined }))).toEqual(['region: a location needs region, country, or latitude and longitude']);
    expect(issues(patch(misp.location, { region: undefined, country: undefined, latitude: 35.68, longitude: 139.69, precision: 1000 }))).toEqual([]);
    expect(issues(patch(misp.location, { latitude: 91 }))).toEqual(['longitude: is required when latitude is present', 'latitude: must be between -90 and 90, not 91']);
    expect(issues(patch(misp.location, { precision: 10 }))).toEqual(['precision: needs latitude and longitude']);
  });
  it('SCOs: their MUSTs', () => {
    expect(missing(misp['autonomous-system'], 'number')).toEqual(['number: is required on autonomous-system']);
    expect(issues(patch(misp['autonomous-system'], { number: -1 }))).toEqual(['number: must be between 0 and 4,294,967,295, not -1']);
    expect(missing(misp['email-message'], 'is_multipart')).toEqual(['is_multipart: is required on email-message']);
    expect(issues(patch(misp['email-message'], { is_multipart: true }))).toEqual(['body: must not be present when is_multipart is true (use body_multipart)']);
    expect(issues(patch(misp['email-message'], { from_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4' }))).toEqual(['from_ref: must refer to email-addr, not a ipv4-addr']);
    expect(issues(patch(misp['email-addr'], { value: 'not an address' }))[0]).toMatch(/^value: .* is not an e-mail address/);
    expect(issues(patch(misp['mac-addr'], { value: 'D2-FB-49-24-37-18' }))[0]).toMatch(/lowercase, colon-delimited MAC-48/);
    expect(missing(misp.mutex, 'name')).toEqual(['name: is required on mutex']);
    expect(missing(misp.software, 'name')).toEqual(['name: is required on software']);
    expect(missing(misp.directory, 'path')).toEqual(['path: is required on directory']);
    expect(issues(patch(misp.artifact, { hashes: undefined }))).toEqual(['hashes: is required when url is present']);
    expect(issues(patch(misp.artifact, { payload_bin: 'aGVsbG8=' }))).toEqual(['url: must not be present together with payload_bin']);
    expect(issues(patch(misp.artifact, { url: undefined, hashes: undefined }))).toEqual(['payload_bin: an artifact needs payload_bin or url']);
    expect(issues(patch(misp['windows-registry-key'], { values: [{ name: 'Foo', data_type: 'REG_STRING' }] }))[0]).toMatch(/^values\[0\]\.data_type: must be one of REG_NONE/);
    expect(issues({ type: 'process', id: 'process--f52a906a-0dfc-40bd-92f1-e7778ead38a9' })[0]).toMatch(/^: a process object needs at least one of its own properties/);
    expect(issues({ type: 'x509-certificate', id: 'x509-certificate--463d7b2a-8516-5a50-a3d7-6f801465d5de', spec_version: '2.1' })[0]).toMatch(/needs at least one of its own properties/);
    expect(issues(patch(misp.process, { pid: -3 }))).toEqual(['pid: must be between 0 and 9,007,199,254,740,991, not -3']);
  });
  it('the stricter checks of the types already validated stay', () => {
    expect(issues(patch(misp.indicator, { pattern: "[ipv4-addr:value = '1.2.3.4'" }))[0]).toMatch(/^pattern: is not a valid STIX pattern/);
    expect(issues(patch(misp.indicator, { colour: 'red' }))[0]).toMatch(/^colour: is not a STIX property of this type/);
    expect(issues(patch(misp.tool, { colour: 'red' }))[0]).toMatch(/^colour: is not a STIX property of this type/);
  });
});

describe('timestamps: created/modified to the millisecond, the others at any precision (sections 2.16, 3.2)', () => {
  it('accepts valid_from, first_seen, analysis_started, validity_not_before… without a fraction', () => {
    expect(issues(patch(misp.indicator, { valid_from: '2023-05-10T08:30:00Z', valid_until: '2024-05-10T08:30:00Z' }))).toEqual([]);
    expect(issues(patch(misp.campaign, { first_seen: '2016-04-06T00:00:00Z', last_seen: '2016-05-06T00:00:00Z' }))).toEqual([]);
    expect(issues(patch(misp['malware-analysis'], { submitted: '2023-05-10T07:00:00Z' }))).toEqual([]);
    expect(issues(patch(misp['x509-certificate'], { validity_not_after: '2016-08-21T12:00:00.5Z' }))).toEqual([]);
  });
  it('refuses created/modified without milliseconds on every versioned kind, custom ones included', () => {
    for (const o of [misp.vulnerability, misp['x-misp-attribute'], opencti['case-incident'], opencti['extension-definition'], opencti['language-content']]) {
      expect(issues(patch(o, { created: '2023-05-10T08:30:00Z', modified: '2023-05-10T08:30:00Z' })), String(o?.type)).toEqual([
        'created: "2023-05-10T08:30:00Z" must be precise to at least the millisecond (three digits after the seconds)',
        'modified: "2023-05-10T08:30:00Z" must be precise to at least the millisecond (three digits after the seconds)',
      ]);
    }
  });
  it('still refuses a timestamp that is not RFC 3339 UTC anywhere', () => {
    expect(issues(patch(misp['threat-actor'], { first_seen: '2004-01-01' }))[0]).toMatch(/^first_seen: .* is not an RFC 3339 timestamp/);
    expect(issues(patch(misp['user-account'], { account_created: '2016-01-20T12:31:12+09:00' }))[0]).toMatch(/not in UTC/);
  });
});

describe('custom objects and extension-defined types (sections 7.3, 11)', () => {
  it('an x- custom object with created/modified is checked as an SDO; one without as a custom observable', () => {
    expect(issues(patch(misp['x-misp-attribute'], { spec_version: undefined }))).toEqual(['spec_version: is required (2.1)']);
    expect(issues(patch(misp['x-misp-attribute'], { modified: undefined }))).toEqual(['modified: is required on x-misp-attribute']);
    expect(issues({ type: 'x-acme-gadget', id: 'x-acme-gadget--5fae3a6b-7c8d-4e9f-9a0b-1c2d3e4f5a6b', serial: 'AB-1' })).toEqual([]);
    expect(issues(patch(misp['x-misp-attribute'], { id: 'x-misp-object--518b4bcb-a86b-4783-9457-391d548b605b' }))[0]).toMatch(/must be the object's type "x-misp-attribute"/);
    expect(issues(patch(misp['x-misp-attribute'], { created_by_ref: 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061' }))).toEqual(['created_by_ref: must refer to identity, not a malware']);
    expect(issues(patch(misp['x-misp-attribute'], { object_marking_refs: ['not-an-id'] }))[0]).toMatch(/^object_marking_refs\[0\]: "not-an-id" is not an identifier/);
  });
  it('a type that is neither STIX, x-, nor defined by an extension is refused; so is an extension of the wrong kind', () => {
    const ci = opencti['case-incident'];
    expect(issues(patch(ci, { extensions: undefined }))[0]).toMatch(/^type: type case-incident is not a STIX 2.1 type/);
    expect(issues(patch(ci, { extensions: { [OPENCTI_EXT]: { extension_type: 'property-extension' } } }))[0]).toMatch(/^type: type case-incident is not a STIX 2.1 type/);
    expect(issues(patch(ci, { type: 'Case_Incident' }))[0]).toMatch(/^type: "Case_Incident" is not a STIX type name/);
  });
  it('a new SDO needs created/modified; a new SCO takes neither as required', () => {
    expect(issues(patch(opencti['case-incident'], { created: undefined }))).toEqual(['created: is required on case-incident']);
    expect(issues(patch(opencti['cryptocurrency-wallet'], { spec_version: undefined }))).toEqual([]);
  });
  it('extension-definition and language-content: their required properties and shapes', () => {
    const ed = opencti['extension-definition'];
    expect(issues(patch(ed, { created_by_ref: undefined, schema: undefined }))).toEqual(['created_by_ref: is required on extension-definition', 'schema: is required on extension-definition']);
    expect(issues(patch(ed, { extension_types: ['new-thing'] }))).toEqual(['extension_types[0]: must be one of new-sdo, new-sco, new-sro, property-extension, toplevel-property-extension, not the string "new-thing"']);
    expect(issues(patch(ed, { extension_properties: ['x_score'] }))).toEqual(['extension_properties: is only for a toplevel-property-extension']);
    const lc = opencti['language-content'];
    expect(issues(patch(lc, { contents: { 'not a tag!': { name: 'x' } } }))[0]).toMatch(/^contents.not a tag!: .* is not an RFC 5646 language tag/);
    expect(issues(patch(lc, { object_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41db' }))[0]).toMatch(/^object_ref: must refer to an SDO or relationship or sighting/);
  });
});
