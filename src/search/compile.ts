/**
 * AST → a ClickHouse condition over services_current with every user value bound as a query
 * parameter (`{p1:String}`, `{p2:UInt16}`, `{p3:Array(UInt64)}` …): the SQL text depends only on
 * the query's shape and the fields it names, never on its values.
 *
 * The need-to-know restriction is a mandatory argument, ANDed outside the user's condition (which
 * is parenthesised whole, so no OR in the query can escape it); its prefixes and ASNs are bound
 * as parameters too.
 */
import type { EventParams } from '../store/types.js';
import { addressFilter, type Restriction } from '../store/need-to-know.js';
import { cidrBounds } from '../net/cidr.js';
import type { CompareOp, Node, Value } from './ast.js';
import { SEARCH_PAIRS_EXPR, searchWords, type SearchField } from './fields.js';
import { queryError } from './query-error.js';
import type { Localized } from '../errors.js';
import { normalizeIp } from '../net/ip.js';
import { chTime } from '../store/events/sql-helpers.js';

export interface CompileOptions {
  /** Need-to-know: `{ kind: 'all' }` for the operator, an organisation's constituency otherwise. */
  readonly restriction: Restriction;
  /** What `now` in time values means (tests fix it). */
  readonly now?: Date;
}

export interface Compiled {
  /** The condition for WHERE (restriction included). */
  readonly where: string;
  /** The user's condition alone, and the restriction alone ('1' for none). */
  readonly user: string;
  readonly scope: string;
  readonly params: EventParams;
}

/** Column holding the lower-cased text that free text searches (see migration 002). */
export const SEARCH_TEXT_COLUMN = 'search_text';
/** Runs of non-ASCII text from search_text, one per line (migration 003). */
export const SEARCH_INTL_COLUMN = 'search_text_intl';
/** A value that is one run of non-ASCII characters (ログイン, カメラ). */
const NON_ASCII_RUN = /^[^\x00-\x7f]+$/;

const SQL_OP: Record<Exclude<CompareOp, 'eq'>, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

/**
 * Times a DateTime64 holds (ClickHouse: 1900-01-01 to 2299-12-31): a value outside is the user's
 * error, found here; as a query parameter it would fail in the store (a 500) or be clamped.
 */
const TIME_MIN = Date.UTC(1900, 0, 1);
const TIME_LIMIT = Date.UTC(2300, 0, 1);

export function compileQuery(query: string, ast: Node, opts: CompileOptions): Compiled {
  const c = new Compiler(query, opts.now ?? new Date());
  const user = c.node(ast);
  const params = c.params;
  // services_current has the IPv4 address as a number too (events migration 006): cheaper to test.
  const scope = addressFilter(opts.restriction, 'ip', 'asn', params, 'ntk', 'ip4');
  // The user's condition first: AND evaluates its right side only where the left holds, so the
  // address ranges of a constituency are tested on the rows the query selects, not on all.
  return { where: scope === '1' ? `(${user})` : `(${user}) AND ${scope}`, user: `(${user})`, scope, params };
}

/** `*`/`?` → `%`/`_`, everything else literal (LIKE's own `%`, `_` and `\` escaped). */
export function likePattern(v: Value, transform: (s: string) => string = (s) => s): string {
  const wild = new Set(v.wildcards);
  let out = '';
  for (let i = 0; i < v.text.length; i++) {
    const ch = v.text[i] as string;
    if (wild.has(i)) out += ch === '*' ? '%' : '_';
    else out += transform(ch).replace(/[\\%_]/g, (m) => `\\${m}`);
  }
  return out;
}

class Compiler {
  readonly params: EventParams = {};
  private n = 0;

  constructor(private readonly query: string, private readonly now: Date) {}

  private bind(value: string | number | readonly (string | number)[], type: string): string {
    const name = `p${++this.n}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  /** `f`: the field whose value is wrong, named in `where.field`. */
  private fail(detail: Localized, at: { pos: number }, f?: SearchField): Error {
    return queryError('QUERY_PARSE', detail, this.query, at.pos, f?.name);
  }

  node(n: Node): string {
    switch (n.kind) {
      case 'all':
        return '1';
      case 'and':
      case 'or':
        return n.children.map((ch) => `(${this.node(ch)})`).join(n.kind === 'and' ? ' AND ' : ' OR ');
      case 'not':
        return `NOT (${this.node(n.child)})`;
      case 'term':
        return n.field ? this.nullSafe(n.field, this.term(n.field, n.op, n.value)) : this.freeText(n.value);
      case 'range':
        return this.nullSafe(n.field, this.range(n.field, n.lo, n.hi, n.loInclusive, n.hiInclusive, n));
    }
  }

  /** A comparison with NULL is NULL; NOT of it must still be true, so NULL counts as no match. */
  private nullSafe(f: SearchField, sql: string): string {
    return f.nullable ? `ifNull(${sql}, 0)` : sql;
  }

  /**
   * Free text. One word (no spaces or punctuation inside) is a case-insensitive substring of the
   * search text: an ASCII word through the text index's dictionary, a run of Japanese text in the
   * small column of such runs. Several words (a quoted phrase, or a value with punctuation such as
   * `mini_httpd/1.19`) match those whole words adjacent and in that order, as a phrase search
   * does: each adjacent pair is looked up in the index of word pairs. A value with wildcards is a
   * LIKE pattern over the text.
   */
  private freeText(v: Value): string {
    if (v.text === '') throw this.fail({ en: 'empty free text', ja: '空の検索語です' }, v);
    const pattern = `%${likePattern(v, (s) => s.toLowerCase())}%`;
    if (v.wildcards.length > 0) return `${SEARCH_TEXT_COLUMN} LIKE ${this.bind(pattern, 'String')}`;
    const text = v.text.toLowerCase();
    const words = searchWords(text);
    if (words.length === 0) return `${SEARCH_TEXT_COLUMN} LIKE ${this.bind(pattern, 'String')}`;
    if (words.length === 1 && words[0] === text) {
      return NON_ASCII_RUN.test(text) ? `${SEARCH_INTL_COLUMN} LIKE ${this.bind(pattern, 'String')}` : `${SEARCH_TEXT_COLUMN} LIKE ${this.bind(pattern, 'String')}`;
    }
    if (words.length === 1) return `hasToken(${SEARCH_TEXT_COLUMN}, ${this.bind(words[0] as string, 'String')})`;
    const pairs = words.slice(1).map((w, i) => `${words[i] as string} ${w}`);
    return [...new Set(pairs)].map((p) => `has(${SEARCH_PAIRS_EXPR}, ${this.bind(p, 'String')})`).join(' AND ');
  }

  private isAny(v: Value): boolean {
    return v.text === '*' && v.wildcards.length === 1;
  }

  private term(f: SearchField, op: CompareOp, v: Value): string {
    const col = f.column;
    if (op === 'eq' && this.isAny(v)) return this.exists(f);
    switch (f.kind) {
      case 'ip':
        return this.ipTerm(f, op, v);
      case 'uint':
        return op === 'eq' ? `${col} = ${this.int(f, v)}` : `${col} ${SQL_OP[op]} ${this.int(f, v)}`;
      case 'bool':
        if (op !== 'eq') throw this.fail({ en: `${f.name} is true or false; it has no order`, ja: `${f.name} は true か false で、大小の比較はできません` }, v, f);
        return `${col} = ${this.bind(this.bool(f, v), 'UInt8')}`;
      case 'time':
        return this.timeTerm(f, op, v);
      case 'keyword':
      case 'version':
        if (op !== 'eq') {
          if (f.kind === 'version') return this.versionCompare(f, SQL_OP[op], v);
          throw this.fail({ en: `${f.name} has no order; use a value or a wildcard`, ja: `${f.name} は大小の比較ができません。値かワイルドカードを指定してください` }, v, f);
        }
        return this.keyword(f, v);
      case 'text':
        if (op !== 'eq') throw this.fail({ en: `${f.name} is text; it has no order`, ja: `${f.name} は文字列で、大小の比較はできません` }, v, f);
        if (v.wildcards.length > 0) return `${col} ILIKE ${this.bind(likePattern(v), 'String')}`;
        if (v.text === '') return `${col} = ''`;
        return `positionCaseInsensitiveUTF8(${col}, ${this.bind(v.text, 'String')}) > 0`;
      case 'array':
        if (op !== 'eq') throw this.fail({ en: `${f.name} is a list; it has no order`, ja: `${f.name} はリストで、大小の比較はできません` }, v, f);
        return this.arrayTerm(f, v);
    }
  }

  /** `field:*`: the field has a value. */
  private exists(f: SearchField): string {
    const col = f.column;
    switch (f.kind) {
      case 'ip': return '1';
      case 'uint': return f.nullable ? `isNotNull(${col})` : `${col} != 0`;
      case 'bool': return `${col} = 1`;
      case 'time': return f.nullable ? `isNotNull(${col})` : '1';
      case 'array': return `notEmpty(${col})`;
      default: return `${col} != ''`;
    }
  }

  private norm(f: SearchField, s: string): string {
    if (f.normalise === 'upper') return s.toUpperCase();
    if (f.normalise === 'lower') return s.toLowerCase();
    return s;
  }

  private keyword(f: SearchField, v: Value): string {
    const col = f.column;
    if (v.wildcards.length > 0) {
      const exact = f.exactCase || f.normalise;
      return `${col} ${exact ? 'LIKE' : 'ILIKE'} ${this.bind(likePattern(v, (s) => this.norm(f, s)), 'String')}`;
    }
    if (f.exactCase || f.normalise) return `${col} = ${this.bind(this.norm(f, v.text), 'String')}`;
    return `lowerUTF8(${col}) = ${this.bind(v.text.toLowerCase(), 'String')}`;
  }

  private arrayTerm(f: SearchField, v: Value): string {
    const col = f.column;
    if (v.wildcards.length > 0) {
      return `arrayExists(x -> x ${f.normalise ? 'LIKE' : 'ILIKE'} ${this.bind(likePattern(v, (s) => this.norm(f, s)), 'String')}, ${col})`;
    }
    if (f.prefix) return `arrayExists(x -> startsWith(lower(x), ${this.bind(v.text.toLowerCase(), 'String')}), ${col})`;
    return `has(${col}, ${this.bind(this.norm(f, v.text), 'String')})`;
  }

  private int(f: SearchField, v: Value): string {
    const type = f.intType ?? 'UInt32';
    const text = f.name === 'asn' ? v.text.replace(/^as/i, '') : v.text;
    const [min, max] = type === 'UInt16' ? [0, 65535] : type === 'Int32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
    if (v.wildcards.length > 0 || !/^-?\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
      throw this.fail({ en: `${f.name} takes a whole number from ${min} to ${max}, not "${v.text}"`, ja: `${f.name} には ${min} から ${max} までの整数を指定してください（「${v.text}」は不可）` }, v, f);
    }
    return this.bind(Number(text), type);
  }

  private bool(f: SearchField, v: Value): number {
    const t = v.text.toLowerCase();
    if (['true', 'yes', '1', 't', 'y'].includes(t)) return 1;
    if (['false', 'no', '0', 'f', 'n'].includes(t)) return 0;
    throw this.fail({ en: `${f.name} takes true or false, not "${v.text}"`, ja: `${f.name} には true か false を指定してください（「${v.text}」は不可）` }, v, f);
  }

  private ipTerm(f: SearchField, op: CompareOp, v: Value): string {
    const col = f.column;
    if (op !== 'eq') return `${col} ${SQL_OP[op]} ${this.bind(this.ip(f, v), 'IPv6')}`;
    let cidr = v.text.includes('/') ? v.text : undefined;
    if (!cidr && v.wildcards.length > 0) cidr = ipv4WildcardCidr(v);
    if (cidr) {
      let bounds: [string, string];
      try {
        bounds = cidrBounds(cidr);
      } catch {
        throw this.fail({ en: `"${v.text}" is not a CIDR (203.0.113.0/24, 2001:db8::/32)`, ja: `「${v.text}」は CIDR ではありません（203.0.113.0/24、2001:db8::/32）` }, v, f);
      }
      // A range on the key column itself, so the primary index of services_current is used.
      return `${col} BETWEEN ${this.bind(bounds[0], 'IPv6')} AND ${this.bind(bounds[1], 'IPv6')}`;
    }
    return `${col} = ${this.bind(this.ip(f, v), 'IPv6')}`;
  }

  private ip(f: SearchField, v: Value): string {
    const ip = v.wildcards.length === 0 ? normalizeIp(v.text) : undefined;
    if (!ip) throw this.fail({ en: `"${v.text}" is not an IP address`, ja: `「${v.text}」は IP アドレスではありません` }, v, f);
    return ip;
  }

  private timeTerm(f: SearchField, op: CompareOp, v: Value): string {
    const { start, end } = this.inRange(f, v, this.time(f, v));
    const col = f.column;
    // A date or time given to the second covers all of that day or second.
    if (op === 'eq') return `${col} >= ${this.bind(chTime(start), "DateTime64(3, 'UTC')")} AND ${col} < ${this.bind(chTime(end), "DateTime64(3, 'UTC')")}`;
    const at = op === 'gt' || op === 'le' ? end : start;
    return `${col} ${SQL_OP[op] === '<=' ? '<' : SQL_OP[op] === '>' ? '>=' : SQL_OP[op]} ${this.bind(chTime(at), "DateTime64(3, 'UTC')")}`;
  }

  /** The interval a time value names: a day, a second, a millisecond, or `now±N(s|m|h|d|w)`. */
  private time(f: SearchField, v: Value): { start: Date; end: Date } {
    const t = v.text.trim();
    const rel = /^now(?:([+-])(\d{1,6})([smhdw]))?$/i.exec(t);
    if (rel) {
      const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[(rel[3] ?? 's').toLowerCase() as 's'];
      const ms = this.now.getTime() + (rel[1] === '-' ? -1 : 1) * Number(rel[2] ?? 0) * unit;
      return { start: new Date(ms), end: new Date(ms + 1) };
    }
    if (v.wildcards.length === 0 && /^\d{4}-\d{2}-\d{2}$/.test(t)) {
      const start = new Date(`${t}T00:00:00.000Z`);
      if (!Number.isNaN(start.getTime()) && start.toISOString().startsWith(t)) return { start, end: new Date(start.getTime() + 86_400_000) };
    }
    const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
    if (v.wildcards.length === 0 && iso) {
      const start = new Date(`${iso[1]}T${iso[2]}:${iso[3]}:${iso[4] ?? '00'}${iso[5] ?? ''}${iso[6] ?? 'Z'}`);
      if (!Number.isNaN(start.getTime())) {
        const step = iso[5] ? 1 : iso[4] ? 1000 : 60_000;
        return { start, end: new Date(start.getTime() + step) };
      }
    }
    throw this.fail({
      en: `${f.name} takes a date (2026-11-01), an ISO time (2026-11-01T09:00:00Z) or now-7d, not "${v.text}"`,
      ja: `${f.name} には日付（2026-11-01）、ISO 形式の時刻（2026-11-01T09:00:00Z）または now-7d を指定してください（「${v.text}」は不可）`,
    }, v, f);
  }

  /** The interval if it starts within what the store holds; its end is kept inside too. */
  private inRange(f: SearchField, v: Value, t: { start: Date; end: Date }): { start: Date; end: Date } {
    const s = t.start.getTime();
    if (!(s >= TIME_MIN && s < TIME_LIMIT)) {
      throw this.fail({
        en: `${f.name} takes times from 1900-01-01 to 2299-12-31; "${v.text}" is ${Number.isNaN(s) || s < TIME_MIN ? 'before' : 'after'} that`,
        ja: `${f.name} には 1900-01-01 から 2299-12-31 までの時刻を指定してください（「${v.text}」はその${Number.isNaN(s) || s < TIME_MIN ? '前' : '後'}です）`,
      }, v, f);
    }
    // `:2299-12-31` ends at 2300-01-01, one past what a DateTime64 holds: its last millisecond.
    return { start: t.start, end: t.end.getTime() < TIME_LIMIT ? t.end : new Date(TIME_LIMIT - 1) };
  }

  private versionCompare(f: SearchField, sqlOp: string, v: Value): string {
    const col = f.column;
    const parts = v.text.match(/\d+/g);
    if (!parts || v.wildcards.length > 0) throw this.fail({ en: `a version comparison needs numbers (version<7.5), not "${v.text}"`, ja: `バージョンの比較には数字が必要です（version<7.5、「${v.text}」は不可）` }, v, f);
    // A part past 2^53 would be compared as some other number (here, and as UInt64 in SQL).
    if (parts.some((p) => Number(p) > Number.MAX_SAFE_INTEGER)) throw this.fail({ en: `${f.name} parts are numbers up to ${Number.MAX_SAFE_INTEGER}, not "${v.text}"`, ja: `${f.name} の各部分は ${Number.MAX_SAFE_INTEGER} までの数字です（「${v.text}」は不可）` }, v, f);
    return `${col} != '' AND arrayMap(x -> toUInt64OrZero(x), extractAll(${col}, '\\\\d+')) ${sqlOp} ${this.bind(parts.map(Number), 'Array(UInt64)')}`;
  }

  private range(f: SearchField, lo: Value | null, hi: Value | null, loInc: boolean, hiInc: boolean, at: { pos: number }): string {
    if (f.kind === 'text' || f.kind === 'array' || f.kind === 'bool' || f.kind === 'keyword') throw this.fail({ en: `${f.name} has no order; a range does not apply`, ja: `${f.name} は大小の比較ができず、範囲は指定できません` }, at, f);
    const parts: string[] = [];
    if (lo) parts.push(this.term(f, loInc ? 'ge' : 'gt', lo));
    if (hi) parts.push(this.term(f, hiInc ? 'le' : 'lt', hi));
    return parts.length ? parts.map((p) => `(${p})`).join(' AND ') : this.exists(f);
  }
}

/** `192.168.*` or `10.1.*.*` → the CIDR it means; undefined for other wildcard patterns. */
function ipv4WildcardCidr(v: Value): string | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){0,3})((?:\.\*)+)$/.exec(v.text);
  if (!m || v.wildcards.length !== (m[2] as string).length / 2) return undefined;
  const fixed = (m[1] as string).split('.');
  if (fixed.length + v.wildcards.length !== 4) return undefined;
  return `${[...fixed, ...Array<string>(4 - fixed.length).fill('0')].join('.')}/${fixed.length * 8}`;
}
