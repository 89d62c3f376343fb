import { describe, expect, it } from 'vitest';
import { idType, isDeterministicScoId, isId, newId, parseId, scoId, uuidV5 } from './ids.js';

describe('identifiers', () => {
  it('accepts type--UUID with an RFC 4122 UUID and names what is wrong otherwise', () => {
    expect(isId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe(true);
    expect(isId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'malware')).toBe(false);
    expect(idType('x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBe('x-acme-widget');
    expect(parseId('file-1389b98d-a3d3-5190-a996-716fd444059a')).toMatch(/not an identifier/);
    expect(parseId('Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toMatch(/not a STIX type name/);
    expect(parseId('ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toMatch(/not a STIX type name/);
    expect(parseId('indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f')).toMatch(/not an RFC 4122 UUID/); // version 0
    expect(parseId('indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f')).toMatch(/not an RFC 4122 UUID/); // variant 110x
    expect(parseId('indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f')).toMatch(/not an RFC 4122 UUID/);
  });

  it('makes random UUIDv4 ids for SDOs', () => {
    const a = newId('indicator');
    expect(a).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId('indicator')).not.toBe(a);
  });

  it('computes UUIDv5 as RFC 4122 appendix B does (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

/** The deterministic ids printed in STIX 2.1's own examples (sections 2.9, 4.x, 6.x), recomputed. */
describe('scoId (STIX 2.1 section 2.9)', () => {
  const examples: [string, Record<string, unknown>, string][] = [
    ['ipv4-addr', { value: '198.51.100.3' }, 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],
    ['ipv4-addr', { value: '198.51.100.0/24' }, 'ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a'],
    ['ipv4-addr', { value: '198.51.100.2' }, 'ipv4-addr--9cf4a8ec-7640-5f40-a006-79942896168b'],
    ['ipv6-addr', { value: '2001:0db8:85a3:0000:0000:8a2e:0370:7334' }, 'ipv6-addr--85a85a8c-ee99-5722-946d-3c3a3270fc6f'],
    ['ipv6-addr', { value: '2001:0db8::/96' }, 'ipv6-addr--084d3b4c-7785-568a-a569-0c61c95754ab'],
    ['domain-name', { value: 'example.com' }, 'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7'],
    ['url', { value: 'https://example.com/research/index.html' }, 'url--47c3cf9a-5027-5bf0-997a-017c7edc7c55'],
    ['autonomous-system', { number: 15139, name: 'Slime Industries', rir: 'ARIN' }, 'autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff'],
    ['email-addr', { value: 'john@example.com', display_name: 'John Doe' }, 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934'],
    ['mac-addr', { value: 'd2:fb:49:24:37:18' }, 'mac-addr--757b1725-9903-54f5-a855-1240691d7659'],
    // file: hashes, name and extensions contribute; size and name_enc do not.
    ['file', { hashes: { 'SHA-256': 'fe90a7e910cb3a4739bed9180e807e93fa70c90f25a8915476f5e4bfbac681db' }, size: 25536, name: 'foo.dll' }, 'file--949eb97a-da1e-5292-8959-03c4249dc9f3'],
    ['file', { hashes: { 'SHA-256': '841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649' }, name: 'quêry.dll', name_enc: 'windows-1252' }, 'file--7d1e3a18-89e7-5bc5-be36-9879f5b7f5c8'],
    ['file', { hashes: { 'SHA-256': '35a01331e9ad96f751278b891b6ea09699806faedfa237d40513d92ad1b7100f' }, extensions: { 'ntfs-ext': { alternate_data_streams: [{ name: 'second.stream', size: 25536 }] } } }, 'file--ba04c974-3cef-5f42-adc7-084d467874e2'],
    ['file', { name: 'gedit-bin', hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' } }, 'file--3eb55c0e-fe96-588b-a7ab-10f55f7ec596'],
  ];
  for (const [type, props, id] of examples) {
    it(`${type} ${JSON.stringify(props).slice(0, 60)}`, () => {
      expect(scoId(type, props as never)).toBe(id);
      expect(isDeterministicScoId({ type, id, ...props } as never)).toBe(true);
    });
  }

  it('uses only one hash, MD5 before SHA-1 before SHA-256 before SHA-512, whatever the member order', () => {
    const sha256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';
    const md5 = '79054025255fb1a26e4bc422aef54eb4';
    const withBoth = scoId('file', { hashes: { 'SHA-256': sha256, MD5: md5 }, name: 'a' });
    expect(withBoth).toBe(scoId('file', { name: 'a', hashes: { MD5: md5 } }));
    expect(withBoth).not.toBe(scoId('file', { name: 'a', hashes: { 'SHA-256': sha256 } }));
    // Outside the list, the first by name is used, so member order does not matter.
    expect(scoId('file', { hashes: { TLSH: 'x', SSDEEP: 'y' } })).toBe(scoId('file', { hashes: { SSDEEP: 'y', TLSH: 'x' } }));
  });

  it('lets a _ref contribute the identifier it holds, and ignores properties that do not contribute', () => {
    const a = scoId('network-traffic', { src_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', protocols: ['tcp'], dst_port: 443 });
    expect(a).toBe(scoId('network-traffic', { dst_port: 443, protocols: ['tcp'], src_ref: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', src_byte_count: 9 }));
    expect(a).not.toBe(scoId('network-traffic', { src_ref: 'ipv4-addr--9cf4a8ec-7640-5f40-a006-79942896168b', protocols: ['tcp'], dst_port: 443 }));
    expect(a).toMatch(/^network-traffic--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab]/);
  });

  it('uses a UUIDv4 when no contributing property is present ("then a UUIDv4 MUST be used")', () => {
    const a = scoId('network-traffic', { src_byte_count: 5 } as never);
    const b = scoId('network-traffic', { src_byte_count: 5 } as never);
    expect(a).toMatch(/^network-traffic--[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(a).not.toBe(b);
    expect(scoId('process', { pid: 4 } as never)).toMatch(/^process--[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(isDeterministicScoId({ type: 'network-traffic', id: a, src_byte_count: 5 })).toBe(false);
  });
});
