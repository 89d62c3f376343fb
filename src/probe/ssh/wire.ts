/**
 * SSH wire encodings (RFC 4251 §5): uint32, string, name-list, mpint, boolean. The reader never
 * reads past its buffer: a truncated field throws a WireError naming the field and offset, so a
 * garbage packet becomes a recorded failure, never a crash.
 */
export class WireError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WireError';
  }
}

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get offset(): number { return this.pos; }
  get remaining(): number { return this.buf.length - this.pos; }

  byte(field = 'byte'): number {
    if (this.remaining < 1) throw new WireError(`truncated ${field}`, this.pos);
    const v = this.buf.readUInt8(this.pos);
    this.pos += 1;
    return v;
  }

  bool(field = 'boolean'): boolean { return this.byte(field) !== 0; }

  uint32(field = 'uint32'): number {
    if (this.remaining < 4) throw new WireError(`truncated ${field}`, this.pos);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  raw(n: number, field = 'bytes'): Buffer {
    if (n < 0 || this.remaining < n) throw new WireError(`truncated ${field} (${n} bytes wanted, ${this.remaining} left)`, this.pos);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** `string`: uint32 length + bytes. */
  string(field = 'string'): Buffer {
    const start = this.pos;
    const n = this.uint32(`${field} length`);
    if (n > this.remaining) throw new WireError(`${field} length ${n} exceeds the ${this.remaining} bytes left`, start);
    return this.raw(n, field);
  }

  /** `name-list`: comma-separated US-ASCII names; empty string → []. */
  nameList(field = 'name-list'): string[] {
    const start = this.pos;
    const b = this.string(field);
    for (const c of b) {
      if (c < 0x21 || c > 0x7e) throw new WireError(`${field} contains a non-printable byte 0x${c.toString(16)}`, start);
    }
    const s = b.toString('latin1');
    return s === '' ? [] : s.split(',');
  }
}

export function encUint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function encString(v: Buffer | string): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return Buffer.concat([encUint32(b.length), b]);
}

export function encNameList(names: readonly string[]): Buffer {
  return encString(names.join(','));
}

/** `mpint` of a non-negative big-endian magnitude: minimal, with a 0x00 when the top bit is set. */
export function encMpintUnsigned(mag: Buffer): Buffer {
  let i = 0;
  while (i < mag.length && mag[i] === 0) i++;
  let m = mag.subarray(i);
  if (m.length > 0 && ((m[0] ?? 0) & 0x80) !== 0) m = Buffer.concat([Buffer.from([0]), m]);
  return encString(m);
}
