/**
 * A small writer of ClickHouse Native blocks from typed arrays: `rows`, then per column its name,
 * its type and its data. Fixed-width columns are the little-endian bytes of a typed array; an
 * `Array(T)` column is its UInt64 end offsets followed by the flattened values.
 */
export interface NativeColumn {
  name: string;
  type: string;
  /** Data pieces, in order (offsets then values for arrays). */
  data: Uint8Array[];
}

const te = new TextEncoder();

export function bytesOf(a: ArrayBufferView, len: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, len);
}

export function varints(...values: number[]): Uint8Array {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  return Uint8Array.from(out);
}

/** A column's name and type as a Native block writes them before its data. */
export function columnHeader(name: string, type: string): Uint8Array {
  const n = te.encode(name);
  const t = te.encode(type);
  return Uint8Array.from([...varints(n.length), ...n, ...varints(t.length), ...t]);
}

/** The chunks of one Native block with `rows` rows. */
export function nativeChunks(rows: number, columns: readonly NativeColumn[]): Uint8Array[] {
  const chunks: Uint8Array[] = [varints(columns.length, rows)];
  for (const c of columns) chunks.push(columnHeader(c.name, c.type), ...c.data);
  return chunks;
}

/**
 * A block's columns in the order of `layout`, each with its data from `data`: the compiler wants
 * data for every column of the layout and no other, so names and types are declared only once.
 */
export function layoutColumns<Name extends string>(
  layout: readonly { readonly name: Name; readonly type: string }[],
  data: Readonly<Record<NoInfer<Name>, Uint8Array[]>>,
): NativeColumn[] {
  return layout.map((c) => ({ name: c.name, type: c.type, data: data[c.name] }));
}

/** `name Type, …` for `file(…, 'Native', structure)`. */
export function nativeStructure(columns: readonly Pick<NativeColumn, 'name' | 'type'>[]): string {
  return columns.map((c) => `${c.name} ${c.type}`).join(', ');
}

/**
 * UInt64 values written as pairs of 32-bit halves (the high half stays 0: counts and offsets
 * here stay far below 2³²).
 */
export class U64Column {
  words: Uint32Array;
  constructor(capacity: number) {
    this.words = new Uint32Array(capacity * 2);
  }
  ensure(n: number): void {
    if (this.words.length < n * 2) {
      const w = new Uint32Array(Math.max(n, this.words.length) * 2);
      w.set(this.words);
      this.words = w;
    }
  }
  set(i: number, v: number): void {
    this.words[i * 2] = v;
    this.words[i * 2 + 1] = 0;
  }
  bytes(n: number): Uint8Array {
    return bytesOf(this.words, n * 8);
  }
}

/** Int64 microseconds from a double, as two 32-bit halves. */
export function setInt64(words: Int32Array, i: number, t: number): void {
  const hi = Math.floor(t / 4294967296);
  words[i * 2] = (t - hi * 4294967296) | 0;
  words[i * 2 + 1] = hi;
}
