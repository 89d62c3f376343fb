import { describe, expect, it } from 'vitest';
import { mispToStix } from './misp-to-stix.js';
import { stixToMisp } from './stix-to-misp.js';
import { TLP2_IDS, tlpOfMarkings } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { seededRandom } from '../../util/seeded-random.js';

/** An event written after the MISP core format (draft-dulaunoy-misp-core-format, section 2). */
const EVENT = {
  Event: {
    uuid: '5a3c2e1f-0b4d-4c8e-9f10-2a3b4c5d6e7f', info: 'Mirai variant scanning telnet', date: '2026-11-02', timestamp: '1793600000',
    publish_timestamp: '1793603600', distribution: '1', threat_level_id: '2', analysis: '1', published: true,
    Orgc: { name: 'CERT Example', uuid: '11111111-2222-4333-8444-555555555555' },
    Tag: [{ name: 'tlp:green' }, { name: 'malware:mirai' }],
    Attribute: [
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000001', type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', to_ids: true, comment: 'C2', distribution: '5', timestamp: '1793600100' },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000002', type: 'domain', category: 'Network activity', value: 'cnc.example', to_ids: true, distribution: '0', timestamp: '1793600100' },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000003', type: 'sha256', category: 'Payload delivery', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', to_ids: true, timestamp: '1793600100' },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000004', type: 'url', category: 'Network activity', value: "http://203.0.113.9/bins/x'86", to_ids: false, first_seen: '2026-11-01T10:00:00Z', last_seen: '2026-11-01T12:00:00Z' },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000005', type: 'x-made-up', category: 'Other', value: 'whatever', to_ids: false },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000006', type: 'ip-src', category: 'Network activity', value: '999.1.1.1', to_ids: true },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000007', type: 'ip-dst|port', category: 'Network activity', value: '2001:db8::5|23', to_ids: '1', Tag: [{ name: 'tlp:red' }] },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000008', type: 'text', category: 'Other', value: 'free text', to_ids: false },
      { uuid: 'aaaaaaaa-0000-4000-8000-000000000009', type: 'ip-dst', value: '192.0.2.1', to_ids: true, deleted: true },
    ],
    Object: [{
      name: 'file', 'meta-category': 'file', uuid: 'bbbbbbbb-0000-4000-8000-000000000001', distribution: '5',
      Attribute: [
        { uuid: 'bbbbbbbb-0000-4000-8000-000000000002', type: 'filename|md5', category: 'Payload delivery', value: 'mirai.arm|D41D8CD98F00B204E9800998ECF8427E', to_ids: true },
        { uuid: 'bbbbbbbb-0000-4000-8000-000000000003', type: 'md5', category: 'Payload delivery', value: 'not-a-hash', to_ids: true },
      ],
    }],
  },
};

const NOW = new Date('2026-12-01T00:00:00Z');
const byId = (objs: readonly StixObject[], id: string): StixObject => {
  const o = objs.find((x) => x.id === id);
  if (!o) throw new Error(`no ${id}`);
  return o;
};

describe('mispToStix', () => {
  const r = mispToStix(EVENT, { now: NOW });

  it('makes indicators for to_ids attributes with STIX patterns, observed-data for the others', () => {
    expect(byId(r.objects, 'indicator--aaaaaaaa-0000-4000-8000-000000000001')).toMatchObject({ pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', description: 'C2', created_by_ref: 'identity--11111111-2222-4333-8444-555555555555', created: '2026-11-02T06:15:00.000Z' });
    expect(byId(r.objects, 'indicator--aaaaaaaa-0000-4000-8000-000000000002')['pattern']).toBe("[domain-name:value = 'cnc.example']");
    expect(byId(r.objects, 'indicator--aaaaaaaa-0000-4000-8000-000000000003')['pattern']).toBe("[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']");
    expect(byId(r.objects, 'indicator--aaaaaaaa-0000-4000-8000-000000000007')['pattern']).toBe("[network-traffic:dst_ref.value = '2001:db8::5' AND network-traffic:dst_port = 23]");
    expect(byId(r.objects, 'indicator--bbbbbbbb-0000-4000-8000-000000000002')['pattern']).toBe("[file:name = 'mirai.arm' AND file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']");
    const od = byId(r.objects, 'observed-data--aaaaaaaa-0000-4000-8000-000000000004');
    expect(od).toMatchObject({ first_observed: '2026-11-01T10:00:00.000Z', last_observed: '2026-11-01T12:00:00.000Z', number_observed: 1 });
    const url = byId(r.objects, (od['object_refs'] as string[])[0] as string);
    expect(url).toMatchObject({ type: 'url', value: "http://203.0.113.9/bins/x'86" });
    expect(url.id).toMatch(/^url--[0-9a-f-]{36}$/);
    expect(r.objects.some((o) => o.id.endsWith('000000000009'))).toBe(false);
    expect(r.converted).toBe(6);
  });

  it('reports each attribute it cannot convert, with its path, and converts the rest', () => {
    expect(r.issues).toEqual(expect.arrayContaining([
      { path: 'Event.Attribute[4].type', message: expect.stringContaining('unknown attribute type "x-made-up"') },
      { path: 'Event.Attribute[5].value', message: expect.stringContaining('not an IP address') },
      { path: 'Event.Attribute[7].type', message: expect.stringContaining('unknown attribute type "text"') },
      { path: 'Event.Object[0].Attribute[1].value', message: expect.stringContaining('MD5') },
    ]));
    expect(r.issues).toHaveLength(4);
  });

  it('takes the stricter of TLP tags and distribution, per attribute', () => {
    // The event: tlp:green but "this community only" (AMBER): AMBER wins.
    expect(r.event).toMatchObject({ tlp: 'amber', distribution: 1, uuid: '5a3c2e1f-0b4d-4c8e-9f10-2a3b4c5d6e7f' });
    const tlp = (id: string): string | null => tlpOfMarkings(byId(r.objects, id).object_marking_refs);
    expect(tlp('indicator--aaaaaaaa-0000-4000-8000-000000000001')).toBe('amber');
    expect(tlp('indicator--aaaaaaaa-0000-4000-8000-000000000002')).toBe('amber+strict');
    expect(tlp('indicator--aaaaaaaa-0000-4000-8000-000000000007')).toBe('red');
    const report = byId(r.objects, 'report--5a3c2e1f-0b4d-4c8e-9f10-2a3b4c5d6e7f');
    expect(report).toMatchObject({ name: 'Mirai variant scanning telnet', labels: ['malware:mirai'], object_marking_refs: [TLP2_IDS.amber] });
    expect((report['object_refs'] as string[]).length).toBe(6);
    const loose = mispToStix({ Event: { ...EVENT.Event, distribution: 0, Tag: [{ name: 'tlp:clear' }] } }, { now: NOW });
    expect(loose.event.tlp).toBe('amber+strict');
  });

  it('maps a sharing group to RED with its organisations', () => {
    const sg = mispToStix({ Event: { ...EVENT.Event, distribution: 4, Tag: [], SharingGroup: { name: 'Telco ISAC', SharingGroupOrg: [{ Organisation: { name: 'ISP A' } }, { Organisation: { name: 'ISP B' } }] } } }, { now: NOW });
    expect(sg.event).toMatchObject({ tlp: 'red', distribution: 4, sharingGroup: { name: 'Telco ISAC', organisations: ['ISP A', 'ISP B'] } });
  });

  it('gives the same ids on a second import, also where the event has no uuids', () => {
    const bare = { Event: { info: 'no ids', date: '2026-01-01', Attribute: [{ type: 'ip-dst', value: '198.51.100.1', to_ids: true }] } };
    const a = mispToStix(bare, { now: NOW }), b = mispToStix(JSON.stringify(bare), { now: new Date() });
    expect(a.objects.map((o) => o.id)).toEqual(b.objects.map((o) => o.id));
    expect(a.issues.map((i) => i.path)).toEqual(['Event.uuid']);
  });

  it('names the line and column of broken JSON', () => {
    const r2 = mispToStix('{"Event": {\n  "info": "x",\n  "Attribute": [ }', { now: NOW });
    expect(r2.objects).toEqual([]);
    expect(r2.issues[0]?.path).toMatch(/^line 3, column \d+$/);
    expect(mispToStix('[1,2]').issues[0]?.message).toMatch(/"Event" object/);
  });
});

describe('stixToMisp', () => {
  it('exports attributes, TLP tag and distribution, and reads back to the same attributes', () => {
    const first = mispToStix(EVENT, { now: NOW });
    const { event, issues } = stixToMisp(first.objects, { now: NOW });
    expect(issues).toEqual([]);
    expect(event.Event).toMatchObject({ uuid: '5a3c2e1f-0b4d-4c8e-9f10-2a3b4c5d6e7f', info: 'Mirai variant scanning telnet', date: '2026-11-02' });
    // The strictest part (RED) sets the event's level: an export never widens.
    expect(event.Event.Tag[0]).toEqual({ name: 'tlp:red' });
    expect(event.Event.distribution).toBe('0');
    const attrs = event.Event.Attribute.map((a) => `${a.type} ${a.value} ${a.to_ids}`).sort();
    expect(attrs).toEqual([
      'domain cnc.example true',
      'filename|md5 mirai.arm|d41d8cd98f00b204e9800998ecf8427e true',
      'ip-dst 198.51.100.7 true',
      'ip-dst|port 2001:db8::5|23 true',
      'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 true',
      "url http://203.0.113.9/bins/x'86 false",
    ]);
    const again = mispToStix(event, { now: NOW });
    expect(again.issues).toEqual([]);
    expect(again.objects.filter((o) => o.type === 'indicator').map((o) => [o.id, o['pattern']]).sort())
      .toEqual(first.objects.filter((o) => o.type === 'indicator').map((o) => [o.id, o['pattern']]).sort());
  });

  it('keeps a pattern it cannot express as a stix2-pattern attribute and reports objects without one', () => {
    const ind: StixObject = { type: 'indicator', id: 'indicator--0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b', spec_version: '2.1', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] FOLLOWEDBY [domain-name:value = 'x.example']", pattern_type: 'stix', object_marking_refs: [TLP2_IDS.green] };
    const mal: StixObject = { type: 'malware', id: 'malware--0b7e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2c', name: 'mirai', is_family: true };
    const { event, issues } = stixToMisp([ind, mal], { now: NOW, info: 'patterns' });
    expect(event.Event.Attribute).toEqual([expect.objectContaining({ type: 'stix2-pattern', value: ind['pattern'] as string, to_ids: true, distribution: '5' })]);
    expect(event.Event).toMatchObject({ info: 'patterns', distribution: '2', Tag: [{ name: 'tlp:green' }] });
    expect(issues).toEqual([{ path: 'objects[1]', message: 'malware objects have no MISP attribute: not exported' }]);
  });
});

describe('MISP import fuzz', () => {
  it('never throws or hangs on truncated and corrupted events', () => {
    const text = JSON.stringify(EVENT);
    const rnd = seededRandom(9);
    for (let n = 0; n < 2000; n++) {
      let t = text;
      const k = Math.floor(rnd() * 4);
      if (k === 0) t = t.slice(0, Math.floor(rnd() * t.length));
      else if (k === 1) {
        const chars = [...t];
        for (let j = 0; j < 1 + Math.floor(rnd() * 8); j++) chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(Math.floor(rnd() * 128));
        t = chars.join('');
      } else if (k === 2) {
        // Valid JSON with values of the wrong kind in random places.
        const wrong = [null, 7, 'x', [], {}, true, '|', '5'];
        const swap = (v: unknown): unknown => (rnd() < 0.08 ? wrong[Math.floor(rnd() * wrong.length)] : Array.isArray(v) ? v.map(swap) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, swap(b)])) : v);
        t = JSON.stringify(swap(EVENT));
      } else t = t.replace(/"value":"[^"]*"/g, () => `"value":${JSON.stringify('|'.repeat(Math.floor(rnd() * 3)) + String.fromCharCode(Math.floor(rnd() * 0xffff)))}`);
      const r = mispToStix(t, { now: NOW });
      expect(Array.isArray(r.objects)).toBe(true);
      for (const i of r.issues) expect(typeof i.path).toBe('string');
      stixToMisp(r.objects, { now: NOW });
    }
  });
});
