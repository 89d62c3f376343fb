/**
 * Recursive descent over the tokens:
 *
 *   query   := or EOF | EOF                         (empty query: everything)
 *   or      := and ( OR and )*
 *   and     := unary ( [AND] unary )*               (juxtaposition is AND)
 *   unary   := ( NOT | - ) unary | primary          (so NOT binds tighter than AND, AND than OR)
 *   primary := ( or ) | field value | word cmp value | value
 *   value   := word | "phrase" | [ v TO v ] | { v TO v } | cmp value | ( or )   (after a field:
 *              the group's bare values take that field: port:(80 OR 443))
 *
 * Field names are resolved here, so an unknown one is reported at its place.
 */
import type { CompareOp, Node, Value } from './ast.js';
import { fieldNames, searchField, type SearchField } from './fields.js';
import { lex, type Token } from './lexer.js';
import { queryError } from './query-error.js';
import type { Lang, Localized } from '../errors.js';

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 100;

export function parseQuery(query: string): Node {
  return new Parser(query, lex(query)).parse();
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly query: string, private readonly tokens: readonly Token[]) {}

  parse(): Node {
    if (this.peek().t === 'eof') return { kind: 'all', pos: 0, end: 0 };
    const node = this.or(null);
    const t = this.peek();
    if (t.t !== 'eof') throw this.error(t.t === ')' ? { en: 'unmatched closing parenthesis', ja: '対応する開き括弧のない閉じ括弧です' } : { en: `unexpected ${describe(t, 'en')}`, ja: `予期しない${describe(t, 'ja')}です` }, t.pos);
    return node;
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isKeyword(t: Token, kw: 'AND' | 'OR' | 'NOT' | 'TO'): boolean {
    return t.t === 'word' && t.value.text === kw && t.value.wildcards.length === 0 && this.query.slice(t.value.pos, t.value.end) === kw;
  }

  private error(detail: Localized, pos: number): Error {
    return queryError('QUERY_PARSE', detail, this.query, pos);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw this.error({ en: `nested deeper than ${MAX_DEPTH} levels`, ja: `入れ子が ${MAX_DEPTH} 段を超えています` }, pos);
  }

  private or(field: SearchField | null): Node {
    const first = this.and(field);
    const children = [first];
    while (this.isKeyword(this.peek(), 'OR')) {
      const kw = this.next();
      if (this.endsGroup(this.peek())) throw this.error({ en: 'OR needs a term after it', ja: 'OR の後に条件が必要です' }, kw.pos);
      children.push(this.and(field));
    }
    return children.length === 1 ? first : { kind: 'or', children, pos: first.pos, end: (children[children.length - 1] as Node).end };
  }

  private endsGroup(t: Token): boolean {
    return t.t === 'eof' || t.t === ')';
  }

  private and(field: SearchField | null): Node {
    const first = this.unary(field);
    const children = [first];
    for (;;) {
      const t = this.peek();
      if (this.endsGroup(t) || this.isKeyword(t, 'OR')) break;
      if (this.isKeyword(t, 'AND')) {
        this.next();
        if (this.endsGroup(this.peek()) || this.isKeyword(this.peek(), 'OR')) throw this.error({ en: 'AND needs a term after it', ja: 'AND の後に条件が必要です' }, t.pos);
      }
      children.push(this.unary(field));
    }
    return children.length === 1 ? first : { kind: 'and', children, pos: first.pos, end: (children[children.length - 1] as Node).end };
  }

  private unary(field: SearchField | null): Node {
    const t = this.peek();
    if (t.t === 'minus' || this.isKeyword(t, 'NOT')) {
      this.next();
      const pos = t.pos;
      if (this.endsGroup(this.peek()) || this.isKeyword(this.peek(), 'OR') || this.isKeyword(this.peek(), 'AND')) throw this.error({ en: 'NOT needs a term after it', ja: 'NOT の後に条件が必要です' }, pos);
      this.enter(pos);
      const child = this.unary(field);
      this.depth--;
      return { kind: 'not', child, pos, end: child.end };
    }
    return this.primary(field);
  }

  private primary(field: SearchField | null): Node {
    const t = this.peek();
    switch (t.t) {
      case '(':
        return this.group(field);
      case 'field': {
        this.next();
        const f = this.resolve(t.name, t.pos);
        return this.fieldValue(f, t.pos);
      }
      case 'word': {
        if (this.isKeyword(t, 'AND') || this.isKeyword(t, 'OR')) throw this.error({ en: `${t.value.text} needs a term before it`, ja: `${t.value.text} の前に条件が必要です` }, t.value.pos);
        const after = this.peek(1);
        if (after.t === 'cmp') {
          // `port>1000`: the word is a field name.
          this.next();
          if (t.value.wildcards.length > 0 || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t.value.text)) throw this.error({ en: `"${t.value.text}" is not a field name to compare`, ja: `「${t.value.text}」は比較できるフィールド名ではありません` }, t.value.pos);
          const f = this.resolve(t.value.text, t.value.pos);
          return this.fieldValue(f, t.value.pos);
        }
        this.next();
        if (field === null && t.value.text === '*' && t.value.wildcards.length === 1) return { kind: 'all', pos: t.value.pos, end: t.value.end };
        return { kind: 'term', field, op: 'eq', value: t.value, pos: t.value.pos, end: t.value.end };
      }
      case 'phrase':
        this.next();
        return { kind: 'term', field, op: 'eq', value: t.value, pos: t.value.pos, end: t.value.end };
      case 'cmp':
        if (field) return this.fieldValue(field, t.pos);
        throw this.error({ en: 'a comparison needs a field before it (port>1000)', ja: '比較の前にフィールド名が必要です（port>1000）' }, t.pos);
      case '[':
      case '{':
        if (field) return this.range(field, t.pos);
        throw this.error({ en: 'a range needs a field before it (port:[1 TO 1024])', ja: '範囲の前にフィールド名が必要です（port:[1 TO 1024]）' }, t.pos);
      case 'minus':
        throw this.error({ en: 'unexpected "-"', ja: '予期しない「-」です' }, t.pos);
      case ')':
        throw this.error({ en: 'expected a term before ")"', ja: '「)」の前に条件が必要です' }, t.pos);
      case ']':
      case '}':
        throw this.error({ en: `unexpected "${t.t}"`, ja: `予期しない「${t.t}」です` }, t.pos);
      case 'eof':
        throw this.error({ en: 'the query ends where a term was expected', ja: '条件が必要な位置でクエリが終わっています' }, t.pos);
    }
  }

  private group(field: SearchField | null): Node {
    const open = this.next();
    this.enter(open.pos);
    if (this.peek().t === ')') throw this.error({ en: 'empty parentheses', ja: '括弧の中が空です' }, open.pos);
    const inner = this.or(field);
    const close = this.next();
    if (close.t !== ')') throw this.error({ en: 'missing closing parenthesis for the one opened here', ja: 'ここで開いた括弧が閉じられていません' }, open.pos);
    this.depth--;
    return inner;
  }

  /** After `field:` or `field` + comparison sign. */
  private fieldValue(f: SearchField, pos: number): Node {
    let op: CompareOp = 'eq';
    const c = this.peek();
    if (c.t === 'cmp') {
      this.next();
      op = c.op;
    }
    const t = this.peek();
    if (op === 'eq') {
      if (t.t === '(') return this.group(f);
      if (t.t === '[' || t.t === '{') return this.range(f, pos);
    }
    if (t.t === 'word' || t.t === 'phrase') {
      if (t.t === 'word' && (this.isKeyword(t, 'AND') || this.isKeyword(t, 'OR') || this.isKeyword(t, 'NOT'))) {
        throw this.error({ en: `expected a value for ${f.name}, found ${t.value.text} (quote it to search for the word)`, ja: `${f.name} の値の位置に ${t.value.text} があります（その語を検索するには引用符で囲んでください）` }, t.value.pos);
      }
      this.next();
      return { kind: 'term', field: f, op, value: t.value, pos, end: t.value.end };
    }
    throw this.error({ en: `expected a value for ${f.name}`, ja: `${f.name} の値が必要です` }, t.pos);
  }

  private range(f: SearchField, pos: number): Node {
    const open = this.next();
    const lo = this.bound(f);
    const to = this.next();
    if (!this.isKeyword(to, 'TO')) throw this.error({ en: 'expected TO in the range ([1 TO 1024])', ja: '範囲には TO が必要です（[1 TO 1024]）' }, to.pos);
    const hi = this.bound(f);
    const close = this.next();
    if (close.t !== ']' && close.t !== '}') throw this.error({ en: 'expected "]" or "}" to close the range', ja: '範囲を閉じる「]」または「}」が必要です' }, close.pos);
    return { kind: 'range', field: f, lo, hi, loInclusive: open.t === '[', hiInclusive: close.t === ']', pos, end: close.end };
  }

  private bound(f: SearchField): Value | null {
    const t = this.next();
    if (t.t === 'word' && t.value.text === '*' && t.value.wildcards.length === 1) return null;
    if (t.t === 'word' || t.t === 'phrase') return t.value;
    throw this.error({ en: `expected a bound of the ${f.name} range`, ja: `${f.name} の範囲の端の値が必要です` }, t.pos);
  }

  private resolve(name: string, pos: number): SearchField {
    const f = searchField(name);
    if (!f) {
      throw queryError('QUERY_UNKNOWN_FIELD', {
        en: `"${name}" is not a search field (fields: ${fieldNames().join(', ')}; quote text that contains a colon)`,
        ja: `「${name}」は検索フィールドではありません（フィールド: ${fieldNames().join(', ')}。コロンを含む文字列は引用符で囲んでください）`,
      }, this.query, pos);
    }
    return f;
  }
}

function describe(t: Token, lang: Lang): string {
  const q = (s: string): string => (lang === 'ja' ? `「${s}」` : `"${s}"`);
  switch (t.t) {
    case 'word':
    case 'phrase':
      return q(t.value.text);
    case 'field':
      return lang === 'ja' ? `フィールド ${t.name}` : `field ${t.name}`;
    case 'cmp':
      return lang === 'ja' ? '比較' : 'comparison';
    case 'minus':
      return q('-');
    case 'eof':
      return lang === 'ja' ? 'クエリの終わり' : 'end of query';
    default:
      return q(t.t);
  }
}
