import { describe, expect, it } from 'vitest';
import { inlineParams, sqlString } from './inline-params.js';

describe('inlineParams', () => {
  it('writes strings as literals and other types as _CAST, as ClickHouse substitutes them', () => {
    expect(inlineParams('SELECT {s:String} AS s, {n:UInt32} AS n, {ip:IPv6} AS ip', { s: 'a', n: 7, ip: '192.0.2.1' }))
      .toBe("SELECT 'a' AS s, _CAST(7, 'UInt32') AS n, _CAST('192.0.2.1', 'IPv6') AS ip");
    expect(inlineParams('x IN {xs:Array(String)} AND y IN {ys:Array(UInt16)} AND t > {t:DateTime64(6)}', { xs: ['a', "b'c"], ys: [], t: '2024-01-02 03:04:05.000000' }))
      .toBe("x IN _CAST(['a', 'b\\'c'], 'Array(String)') AND y IN _CAST([], 'Array(UInt16)') AND t > _CAST('2024-01-02 03:04:05.000000', 'DateTime64(6)')");
    expect(inlineParams('LIMIT { n : UInt32 }', { n: 5 })).toBe("LIMIT _CAST(5, 'UInt32')");
    expect(inlineParams("{e:Enum8('a' = 1, 'b}' = 2)}", { e: 'a' })).toBe("_CAST('a', 'Enum8(\\'a\\' = 1, \\'b}\\' = 2)')");
    expect(inlineParams('{s:String}', { s: 12 })).toBe("_CAST(12, 'String')");
  });

  it('quotes so that no value can end its literal early', () => {
    for (const evil of ["' OR 1=1 --", "\\' OR 1=1 --", 'a\\', "\0'", '\n) OR (1', '\u2028', "\\\\'"]) {
      const lit = sqlString(evil);
      // Every quote inside is escaped (an odd run of backslashes before it)…
      const inner = lit.slice(1, -1);
      for (let i = 0; i < inner.length; i++) {
        if (inner[i] !== "'") continue;
        let run = 0;
        for (let j = i - 1; j >= 0 && inner[j] === '\\'; j--) run++;
        expect(run % 2).toBe(1);
      }
      // …and no lone backslash at the end escapes the closing quote.
      expect((/(\\*)$/.exec(inner)?.[1]?.length ?? 0) % 2).toBe(0);
      expect(inner).not.toMatch(/[\0\n\r\t]/);
    }
  });

  it('leaves braces in strings, quoted names, comments and map literals alone', () => {
    const sql = "SELECT '{a:String}', \"{a:String}\", `{a:String}` -- {a:String}\n /* {a:String} */ , map('k', 1), {a:String}";
    expect(inlineParams(sql, { a: 'x' })).toBe("SELECT '{a:String}', \"{a:String}\", `{a:String}` -- {a:String}\n /* {a:String} */ , map('k', 1), 'x'");
    expect(inlineParams("SELECT {'k': 1}", {})).toBe("SELECT {'k': 1}");
    expect(inlineParams("SELECT 'it''s {a:String}', {a:String}", { a: 'y' })).toBe("SELECT 'it''s {a:String}', 'y'");
  });

  it('refuses a placeholder without a value, an Identifier and numbers it cannot write exactly', () => {
    expect(() => inlineParams('SELECT {a:UInt8}', {})).toThrow(/no value for query parameter \{a:UInt8\}/);
    expect(() => inlineParams('SELECT {a:UInt8}', undefined)).toThrow(/no value/);
    expect(() => inlineParams('SELECT * FROM {t:Identifier}', { t: 'x' })).toThrow(/Identifier/);
    expect(() => inlineParams('SELECT {a:Float64}', { a: Number.NaN })).toThrow(/cannot be passed exactly/);
    expect(() => inlineParams('SELECT {a:UInt64}', { a: 2 ** 60 })).toThrow(/cannot be passed exactly/);
    expect(inlineParams('SELECT {a:UInt64}', { a: '1152921504606846976' })).toBe("SELECT _CAST('1152921504606846976', 'UInt64')");
  });
});
