/**
 * A recursive-descent parser of the full STIX 2.1 pattern grammar (section 9):
 *
 *   pattern      := obsFollowed EOF
 *   obsFollowed  := obsOr ('FOLLOWEDBY' obsOr)*          (lowest precedence, left to right)
 *   obsOr        := obsAnd ('OR' obsAnd)*
 *   obsAnd       := obsQualified ('AND' obsQualified)*
 *   obsQualified := obsPrimary qualifier*                 (WITHIN n SECONDS, REPEATS n TIMES, START t'' STOP t'')
 *   obsPrimary   := '[' cmpOr ']' | '(' obsFollowed ')'
 *   cmpOr        := cmpAnd ('OR' cmpAnd)*                 (AND binds tighter than OR)
 *   cmpAnd       := cmpPrimary ('AND' cmpPrimary)*
 *   cmpPrimary   := '(' cmpOr ')' | 'EXISTS' path | path 'NOT'? operator constant
 *
 * Beyond the grammar it enforces the section's MUSTs that a parser can see: the operand types
 * of each operator, AND inside an observation joining comparisons on one object type, at most
 * one qualifier of each kind on an expression, positive qualifier values, valid constants.
 * Errors carry a reason and the 1-based column.
 */
import { isStixTimestamp, compareTimestamps } from '../timestamps.js';
import { parseAnyIpValue } from '../sco-values.js';
import type { ComparisonExpression, ComparisonOperator, Constant, ObjectPath, ObservationExpression, ParseResult, PathStep, Qualifier } from './ast.js';
import { LexError, tokenize, type Token } from './lexer.js';

/** Nesting beyond this is refused rather than risking the stack on hostile input. */
export const MAX_NESTING = 100;

class PatternSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export function parsePattern(text: string): ParseResult {
  try {
    const p = new Parser(text, tokenize(text));
    const pattern = p.pattern();
    return { ok: true, pattern };
  } catch (e) {
    if (e instanceof PatternSyntaxError || e instanceof LexError) {
      return { ok: false, error: { message: e.message, column: columnOf(text, e.offset) } };
    }
    throw e;
  }
}

/** 1-based column in code points (a character outside the BMP counts once). */
function columnOf(text: string, offset: number): number {
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) i++;
    col++;
  }
  return col;
}

function describeToken(t: Token): string {
  if (t.kind === 'eof') return 'the end of the pattern';
  if (t.kind === 'string') return `the string '${t.text.length > 30 ? `${t.text.slice(0, 30)}…` : t.text}'`;
  return `"${t.text}"`;
}

const COMPARISON_OPS = new Set(['=', '!=', '>', '<', '>=', '<=']);
const KEYWORD_OPS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly text: string, private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }
  private col(t: Token): number {
    return columnOf(this.text, t.start);
  }
  private fail(message: string, at: Token = this.peek()): never {
    throw new PatternSyntaxError(message, at.start);
  }
  private isKeyword(word: string): boolean {
    return this.peek().kind === 'keyword' && this.peek().text === word;
  }
  private expectKeyword(word: string, context: string): Token {
    if (!this.isKeyword(word)) this.fail(`expected ${word} ${context}, found ${describeToken(this.peek())}`);
    return this.tokens[this.pos++] as Token;
  }
  /** Called at an opening bracket or parenthesis, which the error points at. */
  private enter(open: Token): void {
    if (++this.depth > MAX_NESTING) this.fail(`expressions nested deeper than ${MAX_NESTING} levels`, open);
  }

  pattern(): ObservationExpression {
    if (this.peek().kind === 'eof') this.fail('the pattern is empty');
    const e = this.obsFollowed();
    if (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'rparen') this.fail('")" without a matching "("');
      if (this.peek().kind === 'rbrack') this.fail('"]" without a matching "["');
      this.fail(`expected AND, OR, FOLLOWEDBY or a qualifier, found ${describeToken(this.peek())}`);
    }
    return e;
  }

  private obsFollowed(): ObservationExpression {
    let left = this.obsOr();
    while (this.isKeyword('FOLLOWEDBY')) {
      const op = this.tokens[this.pos++] as Token;
      left = { kind: 'followedby', left, right: this.obsOr(), column: this.col(op) };
    }
    return left;
  }

  private obsOr(): ObservationExpression {
    let left = this.obsAnd();
    while (this.isKeyword('OR')) {
      const op = this.tokens[this.pos++] as Token;
      left = { kind: 'or', left, right: this.obsAnd(), column: this.col(op) };
    }
    return left;
  }

  private obsAnd(): ObservationExpression {
    let left = this.obsQualified();
    while (this.isKeyword('AND')) {
      const op = this.tokens[this.pos++] as Token;
      left = { kind: 'and', left, right: this.obsQualified(), column: this.col(op) };
    }
    return left;
  }

  private obsQualified(): ObservationExpression {
    let e = this.obsPrimary();
    const seen = new Set<string>();
    for (;;) {
      const q = this.qualifier();
      if (!q) return e;
      if (seen.has(q.kind)) this.fail(`an observation expression must not have two ${q.kind === 'startstop' ? 'START/STOP' : q.kind.toUpperCase()} qualifiers`, this.tokens[this.pos - (q.kind === 'startstop' ? 4 : 3)]);
      seen.add(q.kind);
      e = { kind: 'qualified', expression: e, qualifier: q, column: q.column };
    }
  }

  private qualifier(): Qualifier | null {
    const at = this.peek();
    if (this.isKeyword('WITHIN')) {
      this.pos++;
      const n = this.peek();
      if (n.kind !== 'int' && n.kind !== 'float') this.fail(`WITHIN needs a number of seconds, found ${describeToken(n)}`);
      const seconds = this.positiveNumber(n, 'WITHIN');
      this.pos++;
      this.expectKeyword('SECONDS', `after WITHIN ${n.text}`);
      return { kind: 'within', seconds, column: this.col(at) };
    }
    if (this.isKeyword('REPEATS')) {
      this.pos++;
      const n = this.peek();
      if (n.kind !== 'int') this.fail(`REPEATS needs a positive integer, found ${describeToken(n)}`);
      const times = this.positiveNumber(n, 'REPEATS');
      if (!Number.isSafeInteger(times)) this.fail(`REPEATS ${n.text} is too large`, n);
      this.pos++;
      this.expectKeyword('TIMES', `after REPEATS ${n.text}`);
      return { kind: 'repeats', times, column: this.col(at) };
    }
    if (this.isKeyword('START')) {
      this.pos++;
      const start = this.timestampConstant('START');
      this.expectKeyword('STOP', 'after START t\'…\'');
      const stopToken = this.peek();
      const stop = this.timestampConstant('STOP');
      if (compareTimestamps(stop, start) <= 0) this.fail(`STOP ${stop} must be later than START ${start}`, stopToken);
      return { kind: 'startstop', start, stop, column: this.col(at) };
    }
    return null;
  }

  private positiveNumber(n: Token, what: string): number {
    if (n.text.startsWith('+')) this.fail('a positive number is written without "+"', n);
    const v = Number(n.text);
    if (!(v > 0)) this.fail(`${what} needs a positive number, not ${n.text}`, n);
    return v;
  }

  private timestampConstant(what: string): string {
    const t = this.peek();
    if (t.kind !== 'timestamp') this.fail(`${what} needs a timestamp t'YYYY-MM-DDTHH:mm:ss[.s+]Z', found ${describeToken(t)}`);
    if (!isStixTimestamp(t.text)) this.fail(`t'${t.text}' is not a STIX timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z, UTC)`, t);
    this.pos++;
    return t.text;
  }

  private obsPrimary(): ObservationExpression {
    const open = this.peek();
    if (open.kind === 'lbrack') {
      this.pos++;
      this.enter(open);
      if (this.peek().kind === 'rbrack') this.fail('an observation expression [ ] must hold a comparison');
      const comparison = this.cmpOr();
      if (this.peek().kind !== 'rbrack') this.fail(`expected "]" to close the "[" at column ${this.col(open)}, found ${describeToken(this.peek())}`);
      this.pos++;
      this.depth--;
      this.sameObject(comparison);
      return { kind: 'observation', comparison, column: this.col(open) };
    }
    if (open.kind === 'lparen') {
      this.pos++;
      this.enter(open);
      const e = this.obsFollowed();
      if (this.peek().kind !== 'rparen') this.fail(`expected ")" to close the "(" at column ${this.col(open)}, found ${describeToken(this.peek())}`);
      this.pos++;
      this.depth--;
      return e;
    }
    if (open.kind === 'ident') this.fail(`expected "[" or "(", found ${describeToken(open)}: a comparison must be inside [ ]`);
    this.fail(`expected "[" or "(", found ${describeToken(open)}`);
  }

  /**
   * Section 9.5: "All operands of AND in an Observation Expression MUST be satisfiable with the
   * same object": the object types each side can match must meet. Returns the types possible.
   */
  private sameObject(c: ComparisonExpression): Set<string> {
    if (c.kind === 'compare' || c.kind === 'exists') return new Set([c.path.objectType]);
    const l = this.sameObject(c.left);
    const r = this.sameObject(c.right);
    if (c.kind === 'or') return new Set([...l, ...r]);
    const both = new Set([...l].filter((x) => r.has(x)));
    if (both.size === 0) {
      throw new PatternSyntaxError(`AND joins comparisons on different object types (${[...l].join('/')} and ${[...r].join('/')}): within [ ] they must match one object; use OR, or separate [ ] AND [ ]`, this.offsetOfColumn(c.column));
    }
    return both;
  }

  private offsetOfColumn(column: number): number {
    let col = 1;
    let i = 0;
    while (col < column && i < this.text.length) {
      const c = this.text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      col++;
    }
    return i;
  }

  private cmpOr(): ComparisonExpression {
    let left = this.cmpAnd();
    while (this.isKeyword('OR')) {
      const op = this.tokens[this.pos++] as Token;
      left = { kind: 'or', left, right: this.cmpAnd(), column: this.col(op) };
    }
    return left;
  }

  private cmpAnd(): ComparisonExpression {
    let left = this.cmpPrimary();
    while (this.isKeyword('AND')) {
      const op = this.tokens[this.pos++] as Token;
      left = { kind: 'and', left, right: this.cmpPrimary(), column: this.col(op) };
    }
    return left;
  }

  private cmpPrimary(): ComparisonExpression {
    const first = this.peek();
    if (first.kind === 'lparen') {
      this.pos++;
      this.enter(first);
      const e = this.cmpOr();
      if (this.peek().kind !== 'rparen') this.fail(`expected ")" to close the "(" at column ${this.col(first)}, found ${describeToken(this.peek())}`);
      this.pos++;
      this.depth--;
      return e;
    }
    if (this.isKeyword('EXISTS')) {
      this.pos++;
      return { kind: 'exists', path: this.objectPath(), column: this.col(first) };
    }
    if (first.kind === 'lbrack') this.fail('"[" inside an observation expression: observation expressions do not nest; use ( ) to group comparisons');
    const path = this.objectPath();
    let negated = false;
    if (this.isKeyword('NOT')) {
      negated = true;
      this.pos++;
    }
    const opTok = this.peek();
    let operator: ComparisonOperator;
    if (opTok.kind === 'op' && COMPARISON_OPS.has(opTok.text)) operator = opTok.text as ComparisonOperator;
    else if (opTok.kind === 'keyword' && KEYWORD_OPS.has(opTok.text)) operator = opTok.text as ComparisonOperator;
    else this.fail(`expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) after the object path, found ${describeToken(opTok)}`);
    this.pos++;
    if (operator === 'IN') return { kind: 'compare', path, operator, negated, value: this.setConstant(), column: this.col(first) };
    const valueTok = this.peek();
    const value = this.constant();
    this.checkOperand(operator, value, valueTok);
    return { kind: 'compare', path, operator, negated, value, column: this.col(first) };
  }

  private checkOperand(op: ComparisonOperator, v: Constant, at: Token): void {
    if (['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op) && v.kind !== 'string') this.fail(`${op} needs a string constant, not a ${v.kind}`, at);
    if (['>', '<', '>=', '<='].includes(op) && v.kind === 'bool') this.fail(`${op} cannot compare with a boolean`, at);
    if (op === 'ISSUBSET' || op === 'ISSUPERSET') {
      const r = parseAnyIpValue((v as { value: string }).value);
      if (typeof r === 'string') this.fail(`${op} needs an IPv4 or IPv6 address or CIDR block: ${r}`, at);
    }
  }

  private setConstant(): readonly Constant[] {
    const open = this.peek();
    if (open.kind !== 'lparen') this.fail(`IN needs a set of constants in parentheses, found ${describeToken(open)}`);
    this.pos++;
    const values: Constant[] = [];
    if (this.peek().kind === 'rparen') this.fail('IN needs at least one constant in the set');
    for (;;) {
      const at = this.peek();
      const v = this.constant();
      const first = values[0];
      if (first && first.kind !== v.kind && !(isNumeric(first) && isNumeric(v))) this.fail(`the constants of an IN set must all be of one type (${first.kind} and ${v.kind})`, at);
      values.push(v);
      if (this.peek().kind === 'comma') {
        this.pos++;
        continue;
      }
      if (this.peek().kind === 'rparen') {
        this.pos++;
        return values;
      }
      this.fail(`expected "," or ")" in the IN set opened at column ${this.col(open)}, found ${describeToken(this.peek())}`);
    }
  }

  private constant(): Constant {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.pos++;
        return { kind: 'string', value: t.text };
      case 'bool':
        this.pos++;
        return { kind: 'bool', value: t.text === 'true' };
      case 'int': {
        if (t.text.startsWith('+')) this.fail('a positive number is written without "+"');
        const value = Number(t.text);
        if (!Number.isSafeInteger(value)) this.fail(`the integer ${t.text} is outside the range a STIX integer can hold exactly`);
        this.pos++;
        return { kind: 'int', value };
      }
      case 'float':
        if (t.text.startsWith('+')) this.fail('a positive number is written without "+"');
        this.pos++;
        return { kind: 'float', value: Number(t.text) };
      case 'hex': {
        if (!/^([0-9a-fA-F]{2})*$/.test(t.text)) this.fail(`h'${t.text.slice(0, 40)}' is not an even number of hexadecimal digits`);
        this.pos++;
        return { kind: 'hex', value: Uint8Array.from(Buffer.from(t.text, 'hex')) };
      }
      case 'binary': {
        // RFC 4648 base64; line feeds inside are allowed and ignored (section 9.2).
        const b64 = t.text.replace(/[\r\n]/g, '');
        if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) this.fail(`b'${t.text.slice(0, 40)}' is not valid base64`);
        this.pos++;
        return { kind: 'binary', value: Uint8Array.from(Buffer.from(b64, 'base64')) };
      }
      case 'timestamp':
        if (!isStixTimestamp(t.text)) this.fail(`t'${t.text}' is not a STIX timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z, UTC)`);
        this.pos++;
        return { kind: 'timestamp', value: t.text };
      case 'ident':
        this.fail(`expected a constant, found ${describeToken(t)} (strings are quoted with ')`);
      default:
        this.fail(`expected a constant, found ${describeToken(t)}`);
    }
  }

  /** `type:property(.property|.'quoted'|[n]|[*])*`. */
  private objectPath(): ObjectPath {
    const typeTok = this.peek();
    if (typeTok.kind !== 'ident') this.fail(`expected an object path (object-type:property), found ${describeToken(typeTok)}`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(typeTok.text) || typeTok.text.endsWith('-') || typeTok.text.includes('--')) this.fail(`"${typeTok.text}" is not an object type (lowercase a-z, 0-9 and single hyphens)`);
    this.pos++;
    if (this.peek().kind !== 'colon') this.fail(`expected ":" after the object type "${typeTok.text}", found ${describeToken(this.peek())}`);
    this.pos++;
    const steps: PathStep[] = [{ kind: 'property', name: this.propertyName(true) }];
    for (;;) {
      if (this.peek().kind === 'dot') {
        this.pos++;
        steps.push({ kind: 'property', name: this.propertyName(false) });
      } else if (this.peek().kind === 'lbrack') {
        const open = this.peek();
        this.pos++;
        const idx = this.peek();
        if (idx.kind === 'star') steps.push({ kind: 'every' });
        else if (idx.kind === 'int' && /^\d+$/.test(idx.text) && Number.isSafeInteger(Number(idx.text))) steps.push({ kind: 'index', index: Number(idx.text) });
        else this.fail(`a list index is a non-negative integer or *, not ${describeToken(idx)}`, idx);
        this.pos++;
        if (this.peek().kind !== 'rbrack') this.fail(`expected "]" to close the list index opened at column ${this.col(open)}, found ${describeToken(this.peek())}`);
        this.pos++;
      } else {
        return { objectType: typeTok.text, steps, column: this.col(typeTok) };
      }
    }
  }

  private propertyName(first: boolean): string {
    const t = this.peek();
    if (t.kind === 'string') {
      if (t.text === '') this.fail('a quoted property name must not be empty');
      this.pos++;
      return t.text;
    }
    if (t.kind === 'ident' || t.kind === 'bool') {
      // Names with '-' or '.' must be quoted (section 9.7): file:hashes.'SHA-256'.
      if (t.text.includes('-')) this.fail(`the property name "${t.text}" contains "-" and must be quoted ('${t.text}')`);
      this.pos++;
      return t.text;
    }
    this.fail(`expected a property name ${first ? 'after ":"' : 'after "."'}, found ${describeToken(t)}`);
  }
}

function isNumeric(c: Constant): boolean {
  return c.kind === 'int' || c.kind === 'float';
}
