/**
 * Splits a query into tokens with their offsets. A word ends at white space, a parenthesis,
 * bracket, brace, quote or comparison sign; `name:` at the start of a word (a name being letters,
 * digits, `_` and `.`, not starting with a digit) is a field, and the rest of the word is its
 * value, colons included, so `ip:2001:db8::/32` and `cpe:cpe:2.3:a:…` need no quotes. A leading
 * `-` negates. Backslash escapes the next character in words and phrases.
 */
import type { Value } from './ast.js';
import { queryError } from './query-error.js';

export type Token =
  | { readonly t: 'word'; readonly value: Value; readonly pos: number; readonly end: number }
  | { readonly t: 'phrase'; readonly value: Value; readonly pos: number; readonly end: number }
  | { readonly t: 'field'; readonly name: string; readonly pos: number; readonly end: number }
  | { readonly t: 'cmp'; readonly op: 'gt' | 'ge' | 'lt' | 'le' | 'eq'; readonly pos: number; readonly end: number }
  | { readonly t: 'minus'; readonly pos: number; readonly end: number }
  | { readonly t: '(' | ')' | '[' | ']' | '{' | '}'; readonly pos: number; readonly end: number }
  | { readonly t: 'eof'; readonly pos: number; readonly end: number };

const PUNCT = new Set(['(', ')', '[', ']', '{', '}']);
const ENDS_WORD = new Set([...PUNCT, '"', '<', '>', '=']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Longest query accepted: parsing is linear, but a query is a line a person writes. */
export const MAX_QUERY_LENGTH = 8192;

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u3000';

export function lex(query: string): Token[] {
  if (query.length > MAX_QUERY_LENGTH) throw queryError('QUERY_PARSE', { en: `query longer than ${MAX_QUERY_LENGTH} characters`, ja: `クエリが ${MAX_QUERY_LENGTH} 文字を超えています` }, query, MAX_QUERY_LENGTH);
  const out: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const c = query[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (PUNCT.has(c)) {
      out.push({ t: c as '(' | ')' | '[' | ']' | '{' | '}', pos: i, end: i + 1 });
      i++;
    } else if (c === '<' || c === '>' || c === '=') {
      const two = query[i + 1] === '=' && c !== '=';
      out.push({ t: 'cmp', op: c === '=' ? 'eq' : c === '<' ? (two ? 'le' : 'lt') : two ? 'ge' : 'gt', pos: i, end: i + (two ? 2 : 1) });
      i += two ? 2 : 1;
    } else if (c === '"') {
      i = lexPhrase(query, i, out);
    } else if (c === '-' && i + 1 < n && !isSpace(query[i + 1] as string) && (out.length === 0 || startsTerm(query, i))) {
      out.push({ t: 'minus', pos: i, end: i + 1 });
      i++;
    } else {
      i = lexWord(query, i, out);
    }
  }
  out.push({ t: 'eof', pos: n, end: n });
  return out;
}

/** A `-` negates only where a term starts (after space or `(`), not inside `2026-11-01`. */
function startsTerm(query: string, i: number): boolean {
  const prev = query[i - 1] as string;
  return isSpace(prev) || prev === '(';
}

function lexPhrase(query: string, start: number, out: Token[]): number {
  let i = start + 1;
  let text = '';
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '\\' && i + 1 < query.length) {
      text += query[i + 1];
      i += 2;
    } else if (c === '"') {
      out.push({ t: 'phrase', value: { text, wildcards: [], quoted: true, pos: start, end: i + 1 }, pos: start, end: i + 1 });
      return i + 1;
    } else {
      text += c;
      i++;
    }
  }
  throw queryError('QUERY_PARSE', { en: 'unterminated quoted phrase', ja: '引用符で始まったフレーズが閉じられていません' }, query, start);
}

function lexWord(query: string, start: number, out: Token[]): number {
  let i = start;
  let text = '';
  const wildcards: number[] = [];
  let fieldDone = false;
  let valueStart = start;
  while (i < query.length) {
    const c = query[i] as string;
    if (isSpace(c) || ENDS_WORD.has(c)) break;
    if (c === '\\') {
      if (i + 1 >= query.length) throw queryError('QUERY_PARSE', { en: 'backslash at the end of the query escapes nothing', ja: 'クエリ末尾のバックスラッシュはエスケープする文字がありません' }, query, i);
      text += query[i + 1];
      i += 2;
      continue;
    }
    if (c === ':' && !fieldDone && wildcards.length === 0 && FIELD_NAME.test(text) && text === query.slice(start, i)) {
      out.push({ t: 'field', name: text, pos: start, end: i + 1 });
      fieldDone = true;
      text = '';
      i++;
      valueStart = i;
      continue;
    }
    if (c === '*' || c === '?') wildcards.push(text.length);
    text += c;
    i++;
  }
  // `name:` followed by a space, quote, bracket or parenthesis: the value is the next token.
  if (i > valueStart) out.push({ t: 'word', value: { text, wildcards, quoted: false, pos: valueStart, end: i }, pos: valueStart, end: i });
  return i;
}
