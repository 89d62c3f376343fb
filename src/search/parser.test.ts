import { describe, expect, it } from 'vitest';
import { ERRORS, SakimoriError } from '../errors.js';
import { parseQuery } from './parser.js';
import type { Node } from './ast.js';
import { errorOf as errorOfCall } from '../util/testing/error-of.js';

/** A compact text form of the tree: (and a b), (or …), (not x), field=value, field[lo,hi]. */
function show(n: Node): string {
  switch (n.kind) {
    case 'all': return '*';
    case 'and':
    case 'or': return `(${n.kind} ${n.children.map(show).join(' ')})`;
    case 'not': return `(not ${show(n.child)})`;
    case 'term': return `${n.field?.name ?? 'text'}${{ eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' }[n.op]}${n.value.quoted ? `"${n.value.text}"` : n.value.text}`;
    case 'range': return `${n.field.name}${n.loInclusive ? '[' : '{'}${n.lo?.text ?? '*'},${n.hi?.text ?? '*'}${n.hiInclusive ? ']' : '}'}`;
  }
}

const errorOf = (q: string): SakimoriError => errorOfCall(() => parseQuery(q), `"${q}"`);

describe('search query parser', () => {
  it.each([
    ['', '*'],
    ['*', '*'],
    ['port:23', 'port=23'],
    ['port:23 service:telnet', '(and port=23 service=telnet)'],
    ['port:23 AND service:telnet', '(and port=23 service=telnet)'],
    ['port:23 OR port:2323 service:telnet', '(or port=23 (and port=2323 service=telnet))'],
    ['(port:23 OR port:2323) service:telnet', '(and (or port=23 port=2323) service=telnet)'],
    ['NOT country:JP', '(not country=JP)'],
    ['-country:JP tag:iot', '(and (not country=JP) tag=iot)'],
    ['port:(80 OR 443)', '(or port=80 port=443)'],
    ['port:[1 TO 1024]', 'port[1,1024]'],
    ['port:{1024 TO *}', 'port{1024,*}'],
    ['port>1000', 'port>1000'],
    ['port:>=8000', 'port>=8000'],
    ['version<7.5', 'version<7.5'],
    ['http.title:"ログイン - Wi-Fiルーター"', 'http.title="ログイン - Wi-Fiルーター"'],
    ['title:router', 'http.title=router'],
    ['ip:2001:db8::/32', 'ip=2001:db8::/32'],
    ['ip:203.0.113.0/24', 'ip=203.0.113.0/24'],
    ['cpe:cpe:2.3:a:openbsd:openssh', 'cpe=cpe:2.3:a:openbsd:openssh'],
    ['product:Open*', 'product=Open*'],
    ['"login incorrect" busybox', '(and text="login incorrect" text=busybox)'],
    ['last_seen>=2026-11-01', 'last_seen>=2026-11-01'],
    ['last_seen>now-7d', 'last_seen>now-7d'],
    ['weak_credential:true', 'weak_credential=true'],
    ['http.title:\\"quoted\\"', 'http.title="quoted"'],
    ['ＡＢＣ　router', '(and text=ＡＢＣ text=router)'],
  ])('%s → %s', (q, want) => {
    expect(show(parseQuery(q))).toBe(want);
  });

  it('keeps a "-" inside a value (dates, names) and only negates at the start of a term', () => {
    expect(show(parseQuery('tag:self-signed'))).toBe('tag=self-signed');
    expect(show(parseQuery('(-port:22)'))).toBe('(not port=22)');
  });

  it.each([
    ['port:', 'expected a value for port', 5],
    ['port:23 AND', 'AND needs a term after it', 8],
    ['OR port:23', 'OR needs a term before it', 0],
    ['(port:23', 'missing closing parenthesis', 0],
    ['port:23)', 'unmatched closing parenthesis', 7],
    ['"open', 'unterminated quoted phrase', 0],
    ['port:[1 1024]', 'expected TO', 8],
    ['port:[1 TO 1024', 'expected "]" or "}"', 15],
    ['>5', 'comparison needs a field', 0],
    ['NOT', 'NOT needs a term after it', 0],
    ['()', 'empty parentheses', 0],
    ['abc\\', 'backslash at the end', 3],
  ])('%s is refused with the position (%s)', (q, msg, pos) => {
    const e = errorOf(q);
    expect(e.code).toBe('QUERY_PARSE');
    expect(e.message).toContain(msg);
    expect(e.where).toMatchObject({ position: pos });
    expect(e.message).toContain(`position ${pos}`);
    // The same error in Japanese: the catalogue's text, the detail and the place, no English left.
    const ja = e.messageIn('ja');
    expect(ja.startsWith(`${ERRORS.QUERY_PARSE.ja}：`)).toBe(true);
    expect(ja).toContain(`（位置 ${pos}）`);
    expect(ja.split('\n')[0]).not.toMatch(/\b(expected|needs|missing|unmatched|unterminated|empty|comparison|backslash|position)\b/);
  });

  it('names an unknown field at its place and lists the fields', () => {
    const e = errorOf('port:23 colour:red');
    expect(e.code).toBe('QUERY_UNKNOWN_FIELD');
    expect(e.where).toMatchObject({ position: 8 });
    expect(e.message).toContain('http.title');
    expect(e.messageIn('ja')).toMatch(/^不明な検索フィールドです：「colour」は検索フィールドではありません/);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    expect(errorOf(`${'('.repeat(500)}a${')'.repeat(500)}`).message).toContain('nested deeper');
    expect(errorOf(`${'NOT '.repeat(500)}a`).message).toContain('nested deeper');
  });

  it('never throws anything but a query error on random input', () => {
    const alphabet = ['port', ':', '"', '(', ')', '[', ']', '{', '}', ' ', 'TO', 'AND', 'OR', 'NOT', '-', '*', '?', '\\', '<', '>', '=', '23', 'ip', 'x', '\u3000', '.'];
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      let q = '';
      const len = rnd(20);
      for (let k = 0; k < len; k++) q += alphabet[rnd(alphabet.length)];
      try {
        parseQuery(q);
      } catch (e) {
        expect(e).toBeInstanceOf(SakimoriError);
        const code = (e as SakimoriError).code;
        expect(['QUERY_PARSE', 'QUERY_UNKNOWN_FIELD']).toContain(code);
      }
    }
  });
});
