/**
 * Decoder for the MaxMind DB data section (format 2.0): pointers, maps, arrays, UTF-8 strings,
 * bytes, uint16/32/64/128, int32, double, float, boolean, with extended types.
 *
 * Built for untrusted files: every read is bounds-checked, nesting is limited, and a budget on
 * decoded items stops pointer tricks (an array of pointers to itself) from blowing up.
 */

export type MmdbValue = string | number | bigint | boolean | Uint8Array | MmdbValue[] | MmdbMap;
export interface MmdbMap {
  [key: string]: MmdbValue;
}

export const TYPE = {
  extended: 0,
  pointer: 1,
  string: 2,
  double: 3,
  bytes: 4,
  uint16: 5,
  uint32: 6,
  map: 7,
  int32: 8,
  uint64: 9,
  uint128: 10,
  array: 11,
  container: 12,
  endMarker: 13,
  boolean: 14,
  float: 15,
} as const;

const MAX_DEPTH = 32;
const MAX_ITEMS = 10_000; // a GeoIP2 City record has about 100

export class MmdbDataError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function isMap(v: MmdbValue | undefined): v is MmdbMap {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

export class DataDecoder {
  private pos = 0;
  private items = 0;

  /**
   * @param bytes the whole file
   * @param base where pointers count from (the data section start, or the metadata start)
   * @param limit the end of the section: nothing at or after it is read
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
    private readonly limit: number,
  ) {}

  /** Decodes the value at `offset` bytes into the section. */
  decode(offset: number): MmdbValue {
    this.items = 0;
    this.pos = this.base + offset;
    if (offset < 0 || this.pos >= this.limit) throw new MmdbDataError('data offset outside the data section', offset);
    return this.value(0);
  }

  private fail(message: string): never {
    throw new MmdbDataError(message, this.pos - this.base);
  }

  private byte(): number {
    if (this.pos >= this.limit) this.fail('data section is truncated');
    return this.bytes[this.pos++];
  }

  private take(n: number): number {
    if (n > this.limit - this.pos) this.fail('value runs past the end of the data section');
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private value(depth: number): MmdbValue {
    if (depth > MAX_DEPTH) this.fail('values nested too deeply');
    if (++this.items > MAX_ITEMS) this.fail('record has too many values');
    const ctrl = this.byte();
    let type = ctrl >> 5;
    if (type === TYPE.pointer) return this.followPointer(ctrl, depth);
    if (type === TYPE.extended) {
      type = 7 + this.byte();
      if (type < 8 || type > 15) this.fail(`unknown extended type ${type}`);
    }
    const size = this.size(ctrl & 31);
    switch (type) {
      case TYPE.string:
        return utf8.decode(this.bytes.subarray(this.take(size), this.pos));
      case TYPE.double: {
        if (size !== 8) this.fail(`double of size ${size}`);
        const at = this.take(8);
        return new DataView(this.bytes.buffer, this.bytes.byteOffset + at, 8).getFloat64(0, false);
      }
      case TYPE.float: {
        if (size !== 4) this.fail(`float of size ${size}`);
        const at = this.take(4);
        return new DataView(this.bytes.buffer, this.bytes.byteOffset + at, 4).getFloat32(0, false);
      }
      case TYPE.bytes:
        return this.bytes.slice(this.take(size), this.pos);
      case TYPE.uint16:
        return this.unsigned(size, 2);
      case TYPE.uint32:
        return this.unsigned(size, 4);
      case TYPE.uint64:
        return this.unsigned(size, 8);
      case TYPE.uint128:
        return this.unsigned(size, 16);
      case TYPE.int32: {
        const u = this.unsigned(size, 4);
        // Only a full 4-byte value can carry the sign bit.
        return size === 4 ? Number(u) | 0 : u;
      }
      case TYPE.boolean:
        if (size > 1) this.fail(`boolean of size ${size}`);
        return size === 1;
      case TYPE.map: {
        if (size > this.limit - this.pos) this.fail('map larger than the data left');
        const map: MmdbMap = Object.create(null) as MmdbMap;
        for (let i = 0; i < size; i++) {
          const key = this.value(depth + 1);
          if (typeof key !== 'string') this.fail('map key is not a string');
          map[key] = this.value(depth + 1);
        }
        return map;
      }
      case TYPE.array: {
        if (size > this.limit - this.pos) this.fail('array larger than the data left');
        const list: MmdbValue[] = [];
        for (let i = 0; i < size; i++) list.push(this.value(depth + 1));
        return list;
      }
      default:
        // Data cache containers and end markers never appear inside a record.
        return this.fail(`unexpected type ${type} in a record`);
    }
  }

  /** Sizes 29, 30, 31 announce 1, 2 or 3 more size bytes. */
  private size(low5: number): number {
    if (low5 < 29) return low5;
    if (low5 === 29) return 29 + this.byte();
    if (low5 === 30) return 285 + ((this.byte() << 8) | this.byte());
    return 65821 + ((this.byte() << 16) | (this.byte() << 8) | this.byte());
  }

  /** Unsigned big-endian integer of `size` bytes; a bigint only when a double cannot hold it. */
  private unsigned(size: number, max: number): number | bigint {
    if (size > max) this.fail(`integer of ${size} bytes where at most ${max} fit`);
    const at = this.take(size);
    if (size <= 6) {
      let v = 0;
      for (let i = 0; i < size; i++) v = v * 256 + this.bytes[at + i];
      return v;
    }
    let v = 0n;
    for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(this.bytes[at + i]);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private followPointer(ctrl: number, depth: number): MmdbValue {
    const ss = (ctrl >> 3) & 3;
    const vvv = ctrl & 7;
    let target: number;
    if (ss === 0) target = (vvv << 8) | this.byte();
    else if (ss === 1) target = ((vvv << 16) | (this.byte() << 8) | this.byte()) + 2048;
    else if (ss === 2) target = ((vvv << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) + 526336;
    else target = ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
    const resume = this.pos;
    const at = this.base + target;
    if (at >= this.limit) this.fail(`pointer to ${target} outside the data section`);
    if (this.bytes[at] >> 5 === TYPE.pointer) this.fail('pointer to a pointer');
    this.pos = at;
    const v = this.value(depth + 1);
    // After a pointer, decoding continues after the pointer itself, not after its target.
    this.pos = resume;
    return v;
  }
}
