/**
 * Just enough DER to read an X.509 certificate's names, validity and subject alternative names
 * the way they are encoded (RFC 5280): definite lengths only, every read bounds-checked, errors
 * thrown as DerError with the offset (the caller records them; certificates come from strangers).
 */

export class DerError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'DerError';
  }
}

export interface Tlv {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the contents. */
  readonly contentStart: number;
  /** Offset just after the contents. */
  readonly end: number;
}

export function readTlv(buf: Uint8Array, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new DerError('truncated element', at);
  const tag = buf[at] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers not supported', at);
  let len = buf[at + 1] ?? 0;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length', at);
    if (n > 4) throw new DerError('length too long', at);
    if (p + n > limit) throw new DerError('truncated length', at);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] ?? 0);
    p += n;
  }
  if (p + len > limit) throw new DerError(`element of ${len} bytes runs past its container`, at);
  return { tag, start: at, contentStart: p, end: p + len };
}

/** The elements inside a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const t = readTlv(buf, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (t === undefined) throw new DerError(`${what} missing`, 0);
  if (t.tag !== tag) throw new DerError(`${what}: tag 0x${t.tag.toString(16)} instead of 0x${tag.toString(16)}`, t.start);
  return t;
}

export function contents(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + t.contentStart, t.end - t.contentStart);
}

export function whole(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + t.start, t.end - t.start);
}

export function decodeOid(b: Uint8Array): string {
  if (b.length === 0) throw new DerError('empty OID', 0);
  const parts: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) { parts.push(v); v = 0; }
  }
  const first = parts.shift() ?? 0;
  const a = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [a, first - a * 40, ...parts].join('.');
}

/** Character string types in names (RFC 5280 DirectoryString and friends); undefined for others. */
export function decodeString(tag: number, b: Buffer): string | undefined {
  switch (tag) {
    case 0x0c: return b.toString('utf8'); // UTF8String
    case 0x12: case 0x13: case 0x16: case 0x1a: return b.toString('latin1'); // Numeric, Printable, IA5, Visible
    case 0x14: return b.toString('latin1'); // TeletexString: treated as Latin-1, as OpenSSL does
    case 0x1e: { // BMPString: UTF-16BE
      const le = Buffer.alloc(b.length & ~1);
      for (let i = 0; i + 1 < b.length; i += 2) { le[i] = b[i + 1] ?? 0; le[i + 1] = b[i] ?? 0; }
      return le.toString('utf16le');
    }
    case 0x1c: { // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = b.readUInt32BE(i);
        s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default: return undefined;
  }
}

/** UTCTime / GeneralizedTime to epoch ms (UTC). */
export function decodeTime(tag: number, b: Buffer): number {
  const s = b.toString('latin1');
  let m: RegExpExecArray | null;
  if (tag === 0x17) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (m === null) throw new DerError(`bad UTCTime "${s.slice(0, 20)}"`, 0);
    const yy = Number(m[1]);
    return Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  }
  if (tag === 0x18) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
    if (m === null) throw new DerError(`bad GeneralizedTime "${s.slice(0, 24)}"`, 0);
    const d = new Date(0);
    d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0);
    return d.getTime();
  }
  throw new DerError(`time of tag 0x${tag.toString(16)}`, 0);
}
