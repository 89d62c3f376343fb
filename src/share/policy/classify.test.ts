import { describe, expect, it } from 'vitest';
import { CLASSIFICATION, classOf, INCIDENT_CORE, victimFields, victimRefsOf } from './classify.js';
import type { StixObject } from '../stix/types.js';
import { SCO_TYPES, SDO_TYPES, SRO_TYPES } from '../stix/types.js';
import { seededRandom } from '../../util/seeded-random.js';

const T = '2026-12-01T00:00:00.000Z';
const U = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const obj = (type: string, props: Record<string, unknown>): StixObject => ({ type, spec_version: '2.1', id: `${type}--${U}`, created: T, modified: T, ...props }) as StixObject;
const paths = (o: StixObject, byReference?: string): string[] => victimFields(o, { byReference }).map((f) => f.path);

describe('victim-identifying fields', () => {
  it('classifies every type the hub accepts', () => {
    for (const t of [...SDO_TYPES, ...SCO_TYPES, ...SRO_TYPES, 'marking-definition']) expect(CLASSIFICATION[t], t).toBeDefined();
    expect(classOf('indicator', 'pattern')).toBe('attack-technical');
    expect(classOf('indicator', 'object_marking_refs')).toBe('common');
    expect(classOf('sighting', 'where_sighted_refs')).toBe('victim');
    expect(classOf('x-unknown-thing', 'anything')).toBe('victim');
  });

  it('attack-technical objects carry none: an indicator, malware, a scanner address, C2 infrastructure', () => {
    expect(paths(obj('indicator', { pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: T, name: 'Mirai scanner' }))).toEqual([]);
    expect(paths(obj('malware', { name: 'Mirai', is_family: true }))).toEqual([]);
    expect(paths({ type: 'ipv4-addr', id: `ipv4-addr--${U}`, value: '198.51.100.7' } as StixObject)).toEqual([]);
    expect(paths(obj('infrastructure', { name: 'C2', infrastructure_types: ['command-and-control'] }))).toEqual([]);
  });

  it('finds a sighting\'s location and seen data, an incident\'s victim, a victim identity, a precise place', () => {
    expect(paths(obj('sighting', { sighting_of_ref: `indicator--${U}`, where_sighted_refs: [`identity--${U}`], count: 3 }))).toEqual(['where_sighted_refs']);
    expect(victimFields(obj('sighting', { sighting_of_ref: `indicator--${U}`, where_sighted_refs: ['identity--hub'] }), { anonymous: new Set(['identity--hub']) })).toEqual([]);
    expect(paths(obj('incident', { name: 'Ransomware at Example Corp', extensions: { [INCIDENT_CORE]: { extension_type: 'property-extension', determination: 'successful-attempt', impact_refs: [`impact--${U}`] } } })))
      .toEqual(['name', `extensions.${INCIDENT_CORE}.impact_refs`]);
    expect(paths(obj('identity', { name: 'Example Corp', identity_class: 'organization', roles: ['victim'], sectors: ['manufacturing'], contact_information: 'soc@corp.example' }))).toEqual(['name', 'contact_information']);
    expect(paths(obj('identity', { name: 'Example ISP', identity_class: 'organization' }))).toEqual([]);
    expect(paths(obj('identity', { name: 'Taro Yamada', identity_class: 'individual' }))).toEqual(['name']);
    expect(paths(obj('location', { country: 'JP', region: 'eastern-asia' }))).toEqual([]);
    expect(paths(obj('location', { country: 'JP', street_address: '1-1 Chiyoda', latitude: 35.68, longitude: 139.76 }))).toEqual(['street_address', 'latitude', 'longitude']);
    expect(paths({ type: 'ipv4-addr', id: `ipv4-addr--${U}`, value: '192.0.2.7' } as StixObject, 'observed on a victim')).toEqual(['value']);
    expect(victimFields({ type: 'ipv4-addr', id: `ipv4-addr--${U}`, value: '192.0.2.7' } as StixObject, { byReference: 'x' })[0]?.action).toBe('pseudonymise');
  });

  it('follows references: what a sighting was sighted at, its observed-data, their observables, a targets relationship', () => {
    const od = obj('observed-data', { object_refs: ['ipv4-addr--victim-host'], first_observed: T, last_observed: T, number_observed: 1 });
    const found = victimRefsOf([
      obj('sighting', { sighting_of_ref: `indicator--${U}`, where_sighted_refs: ['identity--victim'], observed_data_refs: [od.id] }),
      od,
      obj('relationship', { relationship_type: 'targets', source_ref: `malware--${U}`, target_ref: 'location--place' }),
      obj('relationship', { relationship_type: 'uses', source_ref: `malware--${U}`, target_ref: 'infrastructure--c2' }),
    ]);
    expect([...found.keys()].sort()).toEqual(['identity--victim', 'ipv4-addr--victim-host', 'location--place', od.id].sort());
    expect(paths(od, found.get(od.id))).toEqual(['object_refs']);
  });

  it('never crashes on corrupted objects (seeded fuzz)', () => {
    const rand = seededRandom(16);
    const values: unknown[] = [null, 1, 'x', [], [null], ['victim'], {}, { a: [1] }, true, [`identity--${U}`]];
    const keys = ['type', 'id', 'roles', 'labels', 'identity_class', 'where_sighted_refs', 'observed_data_refs', 'object_refs', 'target_ref', 'relationship_type', 'extensions', 'value', 'name', '__proto__', 'constructor'];
    const types = [...Object.keys(CLASSIFICATION), 'x-odd', '', 'toString'];
    for (let i = 0; i < 3000; i++) {
      const o: Record<string, unknown> = { type: types[Math.floor(rand() * types.length)], id: `x--${i}` };
      for (let k = 0; k < 6; k++) o[keys[Math.floor(rand() * keys.length)] ?? 'x'] = values[Math.floor(rand() * values.length)];
      if (rand() < 0.3) o['extensions'] = { [INCIDENT_CORE]: rand() < 0.5 ? { impact_refs: values[Math.floor(rand() * values.length)] } : values[Math.floor(rand() * values.length)] };
      const s = o as unknown as StixObject;
      expect(() => victimFields(s)).not.toThrow();
      expect(() => victimRefsOf([s, s])).not.toThrow();
    }
  });
});
