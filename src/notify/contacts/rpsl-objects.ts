/**
 * RPSL objects (RFC 2622 §2, as RIPE, APNIC and JPNIC publish their databases): attributes
 * `name: value` until a blank line; a line starting with a space, a tab or `+` continues the
 * previous value; `%` and `#` lines are comments, and `#` ends a value (RIPE writes
 * `source: RIPE # Filtered`). Push-based: feed lines, get whole objects; a malformed line is
 * reported with its number and the rest of the object is kept.
 */

export interface RpslObject {
  /** Class: the first attribute's name (inetnum, inet6num, aut-num, role, irt, organisation …). */
  cls: string;
  /** The first attribute's value: the object's key. */
  key: string;
  /** Attribute name (lower case) → values in order. */
  attrs: Map<string, string[]>;
  /** Line number of the first attribute. */
  line: number;
}

export interface RpslBadLine { line: number; reason: string; text: string }

const ATTR = /^([A-Za-z0-9][A-Za-z0-9_-]*):(.*)$/;
const MAX_VALUE = 64 * 1024;

export class RpslObjectParser {
  private cur: RpslObject | undefined;
  private last: { name: string; index: number } | undefined;

  constructor(
    private readonly onObject: (o: RpslObject) => void,
    private readonly onBad: (b: RpslBadLine) => void,
  ) {}

  line(text: string, lineNo: number): void {
    if (text.trim() === '') {
      this.flush();
      return;
    }
    const first = text[0];
    if (first === '%' || first === '#') return;
    if (first === ' ' || first === '\t' || first === '+') {
      if (!this.cur || !this.last) {
        this.onBad({ line: lineNo, reason: 'continuation line outside an object', text: text.slice(0, 200) });
        return;
      }
      const values = this.cur.attrs.get(this.last.name) as string[];
      const extra = stripComment(text.slice(1)).trim();
      const prev = values[this.last.index] ?? '';
      if (extra && prev.length < MAX_VALUE) values[this.last.index] = prev ? `${prev} ${extra}` : extra;
      return;
    }
    const m = ATTR.exec(text);
    if (!m) {
      this.onBad({ line: lineNo, reason: 'not an attribute (name: value)', text: text.slice(0, 200) });
      return;
    }
    const name = (m[1] as string).toLowerCase();
    const value = stripComment(m[2] as string).trim().slice(0, MAX_VALUE);
    if (!this.cur) this.cur = { cls: name, key: value, attrs: new Map(), line: lineNo };
    let values = this.cur.attrs.get(name);
    if (!values) this.cur.attrs.set(name, (values = []));
    values.push(value);
    this.last = { name, index: values.length - 1 };
  }

  /** Call at the end of the input: the last object has no blank line after it. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.cur) this.onObject(this.cur);
    this.cur = undefined;
    this.last = undefined;
  }
}

function stripComment(v: string): string {
  const i = v.indexOf('#');
  return i < 0 ? v : v.slice(0, i);
}

export function first(o: RpslObject, name: string): string | undefined {
  const v = o.attrs.get(name)?.find((x) => x !== '');
  return v;
}

export function all(o: RpslObject, name: string): string[] {
  return (o.attrs.get(name) ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}
