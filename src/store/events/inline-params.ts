/**
 * Query parameters written into the SQL text as literals, the way ClickHouse substitutes them
 * itself (ReplaceQueryParameterVisitor): a `{name:String}` becomes a string literal, any other
 * type `_CAST(literal, 'Type')`, so constant folding and index analysis see the same expression.
 *
 * Why not let chDB bind them: the chdb package runs every parameterised query of the process one
 * after another (its engine keeps parameters per process, not per connection, and two bound
 * queries at once corrupt each other), so one member's queued searches held every other query
 * back. Queries without parameters run in parallel on separate connections.
 *
 * Values are never spliced in raw: strings are quoted with every escape-introducing character
 * escaped, numbers must be finite, and a placeholder is recognised only outside string literals,
 * quoted identifiers and comments.
 */
import { SakimoriError } from '../../errors.js';
import type { EventParams } from '../types.js';

type Value = EventParams[string];

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A ClickHouse string literal that nothing inside can end early. */
export function sqlString(s: string): string {
  return `'${s.replace(/[\\'\0\b\f\n\r\t]/g, (c) => ESCAPES[c] as string)}'`;
}

function scalar(v: string | number | boolean, name: string): string {
  if (typeof v === 'string') return sqlString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
    throw new SakimoriError('STORE_QUERY_FAILED', `parameter ${name}: ${v} cannot be passed exactly (pass large integers as strings)`, { param: name });
  }
  return String(v);
}

function literal(v: Value, name: string): string {
  return Array.isArray(v) ? `[${v.map((x) => scalar(x, name)).join(', ')}]` : scalar(v as string | number | boolean, name);
}

/** Reads a quoted run (' " `) from `i` (at the opening quote); returns the index after it. */
function skipQuoted(sql: string, i: number): number {
  const q = sql[i];
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === '\\') j += 2;
    else if (c === q) {
      if (sql[j + 1] === q) j += 2; // doubled quote inside
      else return j + 1;
    } else j++;
  }
  return j;
}

const PLACEHOLDER = /^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*/;

/**
 * `{name:Type}` at `i` (at the brace): its name and type text and the index after the closing
 * brace, or undefined when the brace opens something else (a map literal).
 */
function placeholderAt(sql: string, i: number): { name: string; type: string; end: number } | undefined {
  const m = PLACEHOLDER.exec(sql.slice(i, i + 200));
  if (!m) return undefined;
  let j = i + m[0].length;
  let depth = 0;
  while (j < sql.length) {
    const c = sql[j];
    if (c === "'" || c === '"' || c === '`') j = skipQuoted(sql, j);
    else if (c === '(') { depth++; j++; }
    else if (c === ')') { depth--; j++; }
    else if (c === '}' && depth === 0) {
      const type = sql.slice(i + m[0].length, j).trim();
      return /^[A-Za-z]/.test(type) ? { name: m[1] as string, type, end: j + 1 } : undefined;
    } else j++;
  }
  return undefined;
}

/** The SQL with every placeholder replaced by its value; a missing value is a clear error. */
export function inlineParams(sql: string, params: EventParams | undefined): string {
  if (!sql.includes('{')) return sql;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i);
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === '{') {
      const p = placeholderAt(sql, i);
      if (!p) {
        i++;
        continue;
      }
      if (!params || !Object.hasOwn(params, p.name)) {
        throw new SakimoriError('STORE_QUERY_FAILED', `no value for query parameter {${p.name}:${p.type}}`, { param: p.name });
      }
      if (p.type === 'Identifier') {
        throw new SakimoriError('STORE_QUERY_FAILED', `Identifier parameters are not supported ({${p.name}:Identifier})`, { param: p.name });
      }
      const lit = literal(params[p.name] as Value, p.name);
      const value = params[p.name];
      out += sql.slice(from, i) + (p.type === 'String' && typeof value === 'string' ? lit : `_CAST(${lit}, ${sqlString(p.type)})`);
      i = from = p.end;
    } else {
      i++;
    }
  }
  return out + sql.slice(from);
}
