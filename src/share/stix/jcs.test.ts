import { describe, expect, it } from 'vitest';
import { canonicalJson, JcsError } from './jcs.js';

/** Vectors from RFC 8785 (section 3.2.2 example, section 3.2.3 sorting, appendix B numbers). */
describe('canonicalJson (RFC 8785)', () => {
  it('serialises the section 3.2.2 example exactly', () => {
    const input = JSON.parse('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}');
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts member names by UTF-16 code units (section 3.2.3)', () => {
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const names = Object.keys(JSON.parse(canonicalJson(input)) as Record<string, string>);
    // JSON.parse puts the integer-like "1" first again; read the order from the text instead.
    const order = [...canonicalJson(input).matchAll(/"([^"]+)":"([^"]+)"/g)].map((m) => m[2]);
    expect(names).toHaveLength(7);
    expect(order).toEqual(['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh']);
  });

  it('formats numbers as ECMAScript does (appendix B)', () => {
    const bits = (hex: string): number => new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0);
    const vectors: [string, string][] = [
      ['0000000000000000', '0'], ['8000000000000000', '0'], ['0000000000000001', '5e-324'], ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'], ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'], ['c340000000000000', '-9007199254740992'], ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'], ['44b52d02c7e14af6', '1e+23'], ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'], ['444b1ae4d6e2ef4f', '999999999999999900000'], ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'], ['3eb0c6f7a0b5ed8d', '0.000001'], ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'], ['41b3de4355555555', '333333333.3333333'], ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'], ['becbf647612f3696', '-0.0000033333333333333333'], ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, text] of vectors) expect(canonicalJson(bits(hex))).toBe(text);
  });

  it('refuses what I-JSON cannot hold: NaN, Infinity, lone surrogates', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(JcsError);
    expect(() => canonicalJson({ a: [Infinity] })).toThrow(/\$\.a\[0\]/);
    expect(() => canonicalJson('\ud800x')).toThrow(/surrogate/);
    expect(canonicalJson('\ud83d\ude00')).toBe('"\ud83d\ude00"');
  });

  it('nests objects and arrays without white space', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: {} })).toBe('{"a":{},"b":[1,{"c":"x","d":2}]}');
  });
});
