import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import {
  DISCONNECT, MAX_VARINT, decodeConnack, decodeConnackProperties, decodePacket, decodeVarint, encodeConnect, encodeVarint,
  type RawPacket,
} from './codec.js';
import { decodeConnect } from './testing/fake-broker.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** MQTT 3.1.1 §2.2.3 Table 2.4 / MQTT 5.0 §1.5.5 Table 1-1: the edges of each encoded size. */
const VARINT_VECTORS: readonly (readonly [number, string])[] = [
  [0, '00'], [127, '7f'],
  [128, '8001'], [16_383, 'ff7f'],
  [16_384, '808001'], [2_097_151, 'ffff7f'],
  [2_097_152, '80808001'], [268_435_455, 'ffffff7f'],
  [321, 'c102'], // the worked example of 5.0 §1.5.5: 321 = 65 + 2*128
];

const packet = (b: Buffer): RawPacket => {
  const r = decodePacket(b);
  if (r.kind !== 'packet') throw new Error(`not a packet: ${r.kind}`);
  return r.packet;
};

describe('Variable Byte Integer (remaining length)', () => {
  it.each(VARINT_VECTORS)('%i ↔ %s', (n, h) => {
    expect(encodeVarint(n).toString('hex')).toBe(h);
    expect(decodeVarint(hex(h))).toEqual({ kind: 'value', value: n, bytes: h.length / 2 });
    // Trailing bytes are not part of it; an offset is honoured.
    expect(decodeVarint(Buffer.concat([hex('aa'), hex(h), hex('ff')]), 1)).toEqual({ kind: 'value', value: n, bytes: h.length / 2 });
  });

  it('every proper prefix of a multi-byte integer is incomplete', () => {
    for (const [, h] of VARINT_VECTORS) {
      const b = hex(h);
      for (let i = 0; i < b.length; i++) expect(decodeVarint(b.subarray(0, i)).kind).toBe('incomplete');
    }
  });

  it('a fifth byte is malformed (4-byte maximum), whatever follows', () => {
    expect(decodeVarint(hex('ffffffff01'))).toMatchObject({ kind: 'malformed' });
    expect(decodeVarint(hex('80808080'))).toMatchObject({ kind: 'malformed' });
    expect(decodeVarint(hex('ffffff'))).toEqual({ kind: 'incomplete' });
  });

  it('our own values out of range are refused', () => {
    expect(() => encodeVarint(MAX_VARINT + 1)).toThrow(RangeError);
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
  });

  it('round-trips across the range', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rand() * (MAX_VARINT + 1));
      const e = encodeVarint(n);
      expect(decodeVarint(e)).toEqual({ kind: 'value', value: n, bytes: e.length });
    }
  });
});

describe('CONNECT', () => {
  it('MQTT 3.1.1 without credentials: byte layout of §3.1 (clean session, keep alive 30)', () => {
    const b = encodeConnect({ level: 4, clientId: 'sakimori-abcd', keepAlive: 30, cleanSession: true });
    // 10 | remaining 25 | 00 04 "MQTT" | level 4 | flags 0x02 | keep alive 00 1e | 00 0d "sakimori-abcd"
    expect(b.toString('hex')).toBe(`1019${'00044d515454'}04${'02'}001e000d${Buffer.from('sakimori-abcd').toString('hex')}`);
  });

  it('MQTT 3.1.1 variable header of the §3.1.2.10 example (user name and password flags, keep alive 10)', () => {
    const b = encodeConnect({ level: 4, clientId: 'c', keepAlive: 10, cleanSession: true, username: 'u', password: 'p' });
    // The spec's example has a will too (0xCE); without one: 0x80 | 0x40 | 0x02 = 0xC2.
    expect(b.subarray(2, 12).toString('hex')).toBe('00044d51545404c2000a');
    expect(b.subarray(12).toString('hex')).toBe('0001630001750001' + '70');
    expect(b[1]).toBe(b.length - 2);
  });

  it('MQTT 5.0: the same with an empty property list after the keep alive (§3.1.2.11)', () => {
    const b = encodeConnect({ level: 5, clientId: 'sakimori-abcd', keepAlive: 30, cleanSession: true });
    expect(b.toString('hex')).toBe(`101a00044d51545405${'02'}001e00000d${Buffer.from('sakimori-abcd').toString('hex')}`);
    expect(decodeConnect(packet(b).body)).toMatchObject({ protocolName: 'MQTT', level: 5, flags: 2, keepAlive: 30, propertiesLength: 0, clientId: 'sakimori-abcd' });
  });

  it('credentials and a long client id: two-byte remaining length, fields read back', () => {
    const id = 'x'.repeat(200);
    const b = encodeConnect({ level: 4, clientId: id, keepAlive: 30, cleanSession: true, username: 'admin', password: 'pässword' });
    expect(b[1]).toBeGreaterThanOrEqual(0x80);
    expect(decodeConnect(packet(b).body)).toEqual({ protocolName: 'MQTT', level: 4, flags: 0xc2, keepAlive: 30, clientId: id, username: 'admin', password: 'pässword' });
  });

  it('MQTT 3.1 (IBM spec 2010): protocol name "MQIsdp", level 3, same flags and payload', () => {
    const b = encodeConnect({ level: 3, clientId: 'sakimori-abcd', keepAlive: 30, cleanSession: true, username: 'u', password: 'p' });
    expect(b.subarray(2, 14).toString('hex')).toBe(`0006${Buffer.from('MQIsdp').toString('hex')}03c2001e`);
    expect(decodeConnect(packet(b).body)).toEqual({ protocolName: 'MQIsdp', level: 3, flags: 0xc2, keepAlive: 30, clientId: 'sakimori-abcd', username: 'u', password: 'p' });
    expect(() => encodeConnect({ level: 3, clientId: 'c', keepAlive: 30, cleanSession: true, password: 'p' })).toThrow(RangeError);
  });

  it('3.1.1 forbids a password without a user name (§3.1.2.9)', () => {
    expect(() => encodeConnect({ level: 4, clientId: 'c', keepAlive: 30, cleanSession: true, password: 'p' })).toThrow(RangeError);
  });

  it('DISCONNECT is E0 00 (3.1.1 §3.14; 5.0: reason 0, no properties)', () => {
    expect(DISCONNECT.toString('hex')).toBe('e000');
  });
});

describe('CONNACK', () => {
  it('3.1.1 return codes 0–5 (§3.2.2.3)', () => {
    const want = [
      { code: 0, accepted: true, authRequired: false, versionRefused: false },
      { code: 1, accepted: false, authRequired: false, versionRefused: true },
      { code: 2, accepted: false, authRequired: false, versionRefused: false },
      { code: 3, accepted: false, authRequired: false, versionRefused: false },
      { code: 4, accepted: false, authRequired: true, versionRefused: false },
      { code: 5, accepted: false, authRequired: true, versionRefused: false },
    ];
    for (const w of want) {
      const r = decodeConnack(packet(Buffer.from([0x20, 0x02, 0x00, w.code])), 4);
      expect(r).toMatchObject({ kind: 'connack', connack: { level: 4, sessionPresent: false, ...w } });
    }
    expect(decodeConnack(packet(hex('20020100')), 4)).toMatchObject({ kind: 'connack', connack: { sessionPresent: true } });
  });

  it('3.1.1: reserved flag bits, unknown codes, wrong length and wrong packet type are malformed', () => {
    expect(decodeConnack(packet(hex('20020200')), 4).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('20020006')), 4).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('2003000000')), 4).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('200100')), 4).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('21020000')), 4).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('30020000')), 4)).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/not CONNACK/) });
  });

  it('5.0: reason codes and properties (§3.2.2.2, §3.2.2.3)', () => {
    expect(decodeConnack(packet(hex('2003000000')), 5)).toMatchObject({ kind: 'connack', connack: { level: 5, code: 0, accepted: true, properties: {} } });
    expect(decodeConnack(packet(hex('2003008600')), 5)).toMatchObject({ kind: 'connack', connack: { code: 0x86, codeName: 'Bad User Name or Password', authRequired: true } });
    expect(decodeConnack(packet(hex('2003008700')), 5)).toMatchObject({ kind: 'connack', connack: { code: 0x87, authRequired: true } });
    expect(decodeConnack(packet(hex('2003008400')), 5)).toMatchObject({ kind: 'connack', connack: { versionRefused: true } });
    // Properties: receive maximum 20, topic alias maximum 10, maximum QoS 1, retain available 0,
    // maximum packet size 1024, reason string "ok", one user property, assigned client id.
    const props = hex(`210014 22000a 2401 2500 2700000400 1f00026f6b 2600016b000176 120003616263`);
    const body = Buffer.concat([hex('0000'), encodeVarint(props.length), props]);
    const b = Buffer.concat([hex('20'), encodeVarint(body.length), body]);
    expect(decodeConnack(packet(b), 5)).toEqual({
      kind: 'connack',
      connack: {
        level: 5, sessionPresent: false, code: 0, codeName: 'Success', accepted: true, authRequired: false, versionRefused: false,
        properties: { receive_maximum: 20, topic_alias_maximum: 10, maximum_qos: 1, retain_available: 0, maximum_packet_size: 1024, reason_string: 'ok', user_properties: 1, assigned_client_identifier: true },
      },
    });
  });

  it('3.1: the 3.1.1 layout and codes; the first byte is reserved ("not used") in 3.1, so not checked', () => {
    const r = decodeConnack({ type: 2, flags: 0, body: Buffer.from([0x00, 0x04]) }, 3);
    expect(r).toEqual({ kind: 'connack', connack: { level: 3, sessionPresent: false, code: 4, codeName: 'bad user name or password', accepted: false, authRequired: true, versionRefused: false } });
    const any = decodeConnack({ type: 2, flags: 0, body: Buffer.from([0x5a, 0x00]) }, 3);
    expect(any).toMatchObject({ kind: 'connack', connack: { level: 3, code: 0, accepted: true, sessionPresent: false } });
    expect(decodeConnack({ type: 2, flags: 0, body: Buffer.from([0x00, 0x06]) }, 3).kind).toBe('malformed');
  });

  it('5.0 request answered in the 3.1.1 layout: read as 3.1.1 (code 1: version refused)', () => {
    expect(decodeConnack(packet(hex('20020001')), 5)).toMatchObject({ kind: 'connack', connack: { level: 4, code: 1, versionRefused: true } });
    expect(decodeConnack(packet(hex('20020087')), 5)).toMatchObject({ kind: 'connack', connack: { level: 5, code: 0x87, authRequired: true } });
  });

  it('5.0: unknown reason code, unknown property, lengths that do not fit are malformed', () => {
    expect(decodeConnack(packet(hex('2003000700')), 5).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('2005000002710f')), 5).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('20040000057f')), 5).kind).toBe('malformed');
    expect(decodeConnack(packet(hex('2005000003210001')), 5).kind).toBe('malformed'); // receive maximum cut (2 of 3 bytes)
    expect(decodeConnackProperties(hex('1f0005616263'))).toMatchObject({ kind: 'malformed' });
    expect(decodeConnackProperties(hex('26000161'))).toMatchObject({ kind: 'malformed' });
  });
});

describe('decodePacket', () => {
  it('needs the whole packet; every prefix is incomplete; bytes after it are left', () => {
    const b = encodeConnect({ level: 4, clientId: 'x'.repeat(300), keepAlive: 30, cleanSession: true });
    for (let i = 0; i < b.length; i++) expect(decodePacket(b.subarray(0, i)).kind).toBe('incomplete');
    const r = decodePacket(Buffer.concat([b, DISCONNECT]));
    expect(r).toMatchObject({ kind: 'packet', used: b.length, packet: { type: 1, flags: 0 } });
  });

  it('a remaining length over the bound is refused without waiting for it', () => {
    expect(decodePacket(hex('20ffffff7f'))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/268435455 over the 16384-byte bound/) });
    expect(decodePacket(hex('2080800100'), 1 << 20)).toEqual({ kind: 'incomplete' });
    expect(decodePacket(hex('0002'))).toMatchObject({ kind: 'malformed' });
    expect(decodePacket(hex('20ffffffff01'))).toMatchObject({ kind: 'malformed' });
  });
});

describe('fuzz: the decoders never throw and never claim more than they have', () => {
  it('random bytes', () => {
    const rand = seededRandom(1883);
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(rand() * 24);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = Math.floor(rand() * 256);
      if (rand() < 0.5 && n > 0) b[0] = 0x20;
      if (rand() < 0.3 && n > 1) b[1] = Math.floor(rand() * 8);
      const v = decodeVarint(b);
      if (v.kind === 'value') expect(v.bytes).toBeLessThanOrEqual(Math.min(4, n));
      const r = decodePacket(b);
      if (r.kind === 'packet') {
        expect(r.used).toBeLessThanOrEqual(n);
        for (const lvl of [4, 5] as const) expect(['connack', 'malformed']).toContain(decodeConnack(r.packet, lvl).kind);
      }
      expect(['ok', 'malformed']).toContain(decodeConnackProperties(b).kind);
    }
  });

  it('damaged copies of valid CONNACKs', () => {
    const rand = seededRandom(8883);
    const props = hex('210014 22000a 2401 1f00026f6b 2600016b000176');
    const v5 = Buffer.concat([hex('20'), encodeVarint(props.length + 3), hex('0000'), encodeVarint(props.length), props]);
    for (const good of [hex('20020000'), hex('20020005'), v5]) {
      for (let i = 0; i < 3000; i++) {
        const b = Buffer.from(good);
        const flips = 1 + Math.floor(rand() * 3);
        for (let f = 0; f < flips; f++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        const cut = b.subarray(0, Math.floor(rand() * (b.length + 1)));
        const r = decodePacket(cut);
        if (r.kind === 'packet') for (const lvl of [4, 5] as const) decodeConnack(r.packet, lvl);
      }
      for (let i = 0; i <= good.length; i++) {
        const r = decodePacket(good.subarray(0, i));
        expect(r.kind).toBe(i === good.length ? 'packet' : 'incomplete');
      }
    }
  });
});
