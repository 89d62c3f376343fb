/**
 * RFC 8785 JSON Canonicalization Scheme: the one byte-exact text of a JSON value, so that two
 * producers hashing "the same" object (an SCO's id-contributing properties) get the same bytes.
 * Numbers are written as ECMAScript writes them (RFC 8785 section 3.2.2.3 adopts that
 * algorithm), strings as ECMAScript's JSON.stringify escapes them, object members sorted by
 * their names as UTF-16 code units (section 3.2.3), which is JavaScript's default string order.
 */
export class JcsError extends Error {}

export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      // I-JSON has no NaN or Infinity (RFC 8785 section 3.2.2.3).
      if (!Number.isFinite(v)) throw new JcsError(`${path}: ${v} is not a JSON number`);
      return JSON.stringify(v);
    case 'string':
      return writeString(v, path);
    case 'object':
      if (Array.isArray(v)) return `[${v.map((e, i) => write(e, `${path}[${i}]`)).join(',')}]`;
      return writeObject(v as Record<string, unknown>, path);
    default:
      throw new JcsError(`${path}: a ${typeof v} has no JSON form`);
  }
}

function writeObject(o: Record<string, unknown>, path: string): string {
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${writeString(k, path)}:${write(o[k], `${path}.${k}`)}`).join(',')}}`;
}

/** A lone surrogate is not I-JSON (RFC 7493 section 2.1): refused rather than escaped. */
function writeString(s: string, path: string): string {
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) {
    throw new JcsError(`${path}: string holds a lone UTF-16 surrogate`);
  }
  return JSON.stringify(s);
}
