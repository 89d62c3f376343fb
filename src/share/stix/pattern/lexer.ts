/**
 * Tokens of the STIX 2.1 pattern grammar (section 9 and its ANTLR grammar): keywords are
 * upper case, booleans lower case; strings are quoted with ' and escape only \' and \\;
 * b'…', h'…' and t'…' are binary, hex and timestamp constants; white space and comments
 * separate tokens.
 */
export type TokenKind =
  | 'lbrack' | 'rbrack' | 'lparen' | 'rparen' | 'comma' | 'colon' | 'dot' | 'star'
  | 'op' | 'keyword' | 'bool' | 'ident' | 'string' | 'binary' | 'hex' | 'timestamp' | 'int' | 'float' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** For op/keyword/ident: the text; for string/binary/hex/timestamp: the text between the quotes (unescaped for strings); numbers: as written. */
  readonly text: string;
  /** UTF-16 offset of the first character. */
  readonly start: number;
}

export const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'EXISTS', 'IN', 'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES', 'LAST']);

export class LexError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const PUNCT: Readonly<Record<string, TokenKind>> = { '[': 'lbrack', ']': 'rbrack', '(': 'lparen', ')': 'rparen', ',': 'comma', ':': 'colon', '.': 'dot', '*': 'star' };

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new LexError('unterminated comment', i);
      i = end + 2;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const punct = PUNCT[c];
    // A '.' followed by a digit starts a float (".5"), otherwise it separates path steps.
    if (punct && !(c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      out.push({ kind: punct, text: c, start });
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<>', '<=', '>='].includes(two)) {
      out.push({ kind: 'op', text: two === '==' ? '=' : two === '<>' ? '!=' : two, start });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      out.push({ kind: 'op', text: c, start });
      i++;
      continue;
    }
    if (c === "'") {
      const [value, end] = readQuoted(text, i, true);
      out.push({ kind: 'string', text: value, start });
      i = end;
      continue;
    }
    if ((c === 'b' || c === 'h' || c === 't') && text[i + 1] === "'") {
      const [value, end] = readQuoted(text, i + 1, false);
      out.push({ kind: c === 'b' ? 'binary' : c === 'h' ? 'hex' : 'timestamp', text: value, start });
      i = end;
      continue;
    }
    if (/[0-9+\-]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^[+-]?(?:\d*\.\d+|\d+)/.exec(text.slice(i, i + 400));
      if (!m) throw new LexError(`unexpected "${c}"`, i);
      const t = m[0];
      if (/^[+-]?\d*\.\d+$/.test(t)) out.push({ kind: 'float', text: t, start });
      else {
        if (/^[+-]?0\d/.test(t)) throw new LexError(`integer "${t}" has a leading zero`, i);
        out.push({ kind: 'int', text: t, start });
      }
      i += t.length;
      if (i < n && /[A-Za-z_.]/.test(text[i] as string)) throw new LexError(`unexpected "${text[i]}" after the number ${t}`, i);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      out.push({ kind: KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : 'ident', text: word, start });
      i = j;
      continue;
    }
    throw new LexError(`unexpected character "${c === '"' ? '"' : c}"${c === '"' ? ' (strings are quoted with \')' : ''}`, i);
  }
  out.push({ kind: 'eof', text: '', start: n });
  return out;
}

/** Reads '…' from the quote at `at`; returns the content and the offset after the closing quote. */
function readQuoted(text: string, at: number, escapes: boolean): [string, number] {
  let i = at + 1;
  let value = '';
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") return [value, i + 1];
    if (c === '\\' && escapes) {
      const next = text[i + 1];
      if (next !== "'" && next !== '\\') throw new LexError(next === undefined ? 'unterminated string' : `"\\${next}" is not an escape: only \\' and \\\\ are`, i);
      value += next;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new LexError(escapes ? 'unterminated string' : 'unterminated constant', at);
}
