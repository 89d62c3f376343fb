import { describe, expect, it } from 'vitest';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';
import { firstJsonError, readEnvelope } from './envelope-text.js';

const ENVELOPE = `{
  "more": false, "objects" : [
    {"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"} ,
    { "type" : "note", "id": "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "content": "a ] in \\"text\\" { and 1.50e3", "n": 1.50e3, "x": [ [], {} ] },
    {"type":"x-\\u00e9"}
  ], "next": "z"
}`;

describe('readEnvelope', () => {
  it('returns each object with its text byte for byte as posted', () => {
    const got = readEnvelope(ENVELOPE);
    expect(got.map((o) => o.text)).toEqual([
      '{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}',
      '{ "type" : "note", "id": "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "content": "a ] in \\"text\\" { and 1.50e3", "n": 1.50e3, "x": [ [], {} ] }',
      '{"type":"x-\\u00e9"}',
    ]);
    expect(got.map((o) => JSON.parse(o.text))).toEqual(got.map((o) => o.value));
    expect(readEnvelope('{}')).toEqual([]);
    expect(readEnvelope('{"objects":[]}')).toEqual([]);
    expect(readEnvelope('{"objects":[1],"objects":[ 2 , 3 ]}').map((o) => o.text)).toEqual(['2', '3']);
  });

  it('says where a text is not JSON, and refuses what is not an envelope', () => {
    expect(() => readEnvelope('{\n  "objects": [,]\n}')).toThrow(/unexpected "," \(line=2 column=15\)/);
    expect(() => readEnvelope('{"objects": [tru]}')).toThrow(/unexpected "t" \(line=1 column=14\)/);
    expect(() => readEnvelope('{"objects": ["a\\x"]}')).toThrow(/unexpected "x" \(line=1 column=17\)/);
    expect(() => readEnvelope('{"objects": [')).toThrow(/ends too early/);
    expect(firstJsonError('['.repeat(100000))).toBe(100000);
    expect(() => readEnvelope('[1]')).toThrow(/envelope is a JSON object/);
    expect(() => readEnvelope('{"objects":{}}')).toThrow(/"objects" is a list/);
  });

  it('never crashes or hangs on corrupted or truncated envelopes (seeded fuzz)', () => {
    const rand = seededRandom(2021);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const chars = [...ENVELOPE.slice(0, rand() < 0.3 ? Math.floor(rand() * ENVELOPE.length) : ENVELOPE.length)];
      for (let k = Math.floor(rand() * 3); k > 0; k--) chars[Math.floor(rand() * chars.length)] = '{}[]",: \\x1e'[Math.floor(rand() * 12)] ?? ' ';
      const text = chars.join('');
      let valid = true;
      try { JSON.parse(text); } catch { valid = false; }
      const at = firstJsonError(text);
      if (valid) expect(at).toBe(text.length);
      else expect(at).toBeLessThanOrEqual(text.length);
      try {
        for (const o of readEnvelope(text)) expect(JSON.parse(o.text)).toEqual(o.value);
        accepted++;
      } catch (e) {
        expect(isSakimoriError(e) && e.code === 'BAD_REQUEST').toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
