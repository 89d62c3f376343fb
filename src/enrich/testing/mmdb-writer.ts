/**
 * A small MaxMind DB writer for tests, written from the format specification: builds the search
 * tree (record size 24, 28 or 32; IPv4 or IPv6, with IPv4 at ::/96 and the ::ffff:0:0/96 and
 * 2002::/16 aliases pointing to it), the data section and the metadata, byte by byte.
 *
 * Not for production use: it keeps the whole tree as objects and only needs to be correct.
 */
import { parseIPv4, parseIPv6 } from '../../net/ip.js';

export type TypedKind = 'uint16' | 'uint32' | 'uint64' | 'uint128' | 'int32' | 'double' | 'float' | 'bytes';

/** A value whose MMDB type is chosen explicitly (plain numbers become uint32 or double). */
export class Typed {
  constructor(
    readonly kind: TypedKind,
    readonly value: number | bigint | Uint8Array,
  ) {}
}

export type WriterValue = string | number | boolean | Typed | WriterValue[] | { [key: string]: WriterValue };

export const u16 = (v: number): Typed => new Typed('uint16', v);
export const u32 = (v: number): Typed => new Typed('uint32', v);
export const u64 = (v: bigint | number): Typed => new Typed('uint64', v);
export const u128 = (v: bigint | number): Typed => new Typed('uint128', v);
export const i32 = (v: number): Typed => new Typed('int32', v);
export const f64 = (v: number): Typed => new Typed('double', v);
export const f32 = (v: number): Typed => new Typed('float', v);
export const bytesValue = (v: Uint8Array): Typed => new Typed('bytes', v);

export interface MmdbWriterOptions {
  ipVersion: 4 | 6;
  recordSize: 24 | 28 | 32;
  databaseType?: string;
  /** IPv6 trees: point ::ffff:0:0/96 and 2002::/16 at the IPv4 subtree (default true). */
  aliasIpv4?: boolean;
  /** Write repeated strings once and refer to them with pointers (default true). */
  pointers?: boolean;
  /** Bytes of unused data at the start of the data section, to push offsets into larger pointer forms. */
  padding?: number;
}

interface Node {
  child: [Child, Child];
}
interface Leaf {
  data: WriterValue;
}
type Child = Node | Leaf | null;

const isNode = (c: Child): c is Node => c !== null && 'child' in c;

export class MmdbWriter {
  private readonly root: Node = { child: [null, null] };
  private readonly bits: number;

  constructor(private readonly opts: MmdbWriterOptions) {
    this.bits = opts.ipVersion === 4 ? 32 : 128;
  }

  /** `1.2.3.0/24` or `2001:db8::/32`. In an IPv6 tree, IPv4 networks go to ::/96. */
  insert(network: string, data: WriterValue): this {
    const [addr, lenText] = network.split('/');
    const v4 = parseIPv4(addr);
    let value: bigint;
    let len = Number(lenText);
    if (v4 >= 0) {
      value = BigInt(v4);
      if (this.bits === 128) len += 96;
    } else {
      const v6 = parseIPv6(addr);
      if (v6 === null || this.bits === 32) throw new RangeError(`cannot insert ${network}`);
      value = v6;
    }
    this.place(value, len, { data });
    return this;
  }

  /** Sets the subtree for the first `len` bits of `value` (left-aligned in `this.bits`). */
  private place(value: bigint, len: number, what: Child): void {
    let node = this.root;
    for (let d = 0; d < len - 1; d++) {
      const bit = Number((value >> BigInt(this.bits - 1 - d)) & 1n);
      let next = node.child[bit];
      if (!isNode(next)) {
        // Descending through a leaf splits it: both halves keep its data.
        const split: Node = { child: [next, next] };
        node.child[bit] = split;
        next = split;
      }
      node = next;
    }
    node.child[Number((value >> BigInt(this.bits - len)) & 1n)] = what;
  }

  build(): Uint8Array {
    if (this.bits === 128 && this.opts.aliasIpv4 !== false) this.addAliases();
    // Number nodes breadth-first from the root (node 0); shared (aliased) nodes get one number.
    const numbers = new Map<Node, number>();
    const order: Node[] = [];
    const queue: Node[] = [this.root];
    numbers.set(this.root, 0);
    order.push(this.root);
    for (let q = 0; q < queue.length; q++) {
      for (const c of queue[q].child) {
        if (isNode(c) && !numbers.has(c)) {
          numbers.set(c, order.length);
          order.push(c);
          queue.push(c);
        }
      }
    }
    const nodeCount = order.length;
    const data = new DataWriter(this.opts.pointers !== false);
    if (this.opts.padding) data.write(bytesValue(new Uint8Array(this.opts.padding)));
    const leafOffsets = new Map<Leaf, number>();
    const recordOf = (c: Child): number => {
      if (c === null) return nodeCount;
      if (isNode(c)) return numbers.get(c) ?? nodeCount;
      let off = leafOffsets.get(c);
      if (off === undefined) {
        off = data.write(c.data);
        leafOffsets.set(c, off);
      }
      return nodeCount + 16 + off;
    };
    const rs = this.opts.recordSize;
    const nodeBytes = rs / 4;
    const tree = new Uint8Array(nodeCount * nodeBytes);
    order.forEach((node, i) => writeNode(tree, i * nodeBytes, rs, recordOf(node.child[0]), recordOf(node.child[1])));
    const meta = new DataWriter(false);
    meta.write({
      node_count: u32(nodeCount),
      record_size: u16(rs),
      ip_version: u16(this.opts.ipVersion),
      database_type: this.opts.databaseType ?? 'Sakimori-Test',
      languages: ['en'],
      binary_format_major_version: u16(2),
      binary_format_minor_version: u16(0),
      build_epoch: u64(1_700_000_000),
      description: { en: 'Sakimori test database' },
    });
    const marker = [0xab, 0xcd, 0xef, ...Array.from('MaxMind.com', (c) => c.charCodeAt(0))];
    return concat([tree, new Uint8Array(16), data.bytes(), Uint8Array.from(marker), meta.bytes()]);
  }

  private addAliases(): void {
    let v4: Child = this.root;
    for (let d = 0; d < 96 && isNode(v4); d++) v4 = v4.child[0];
    if (!isNode(v4)) return;
    this.place(0xffffn << 32n, 96, v4);
    this.place(0x2002n << 112n, 16, v4);
  }
}

function writeNode(out: Uint8Array, at: number, rs: number, left: number, right: number): void {
  if (rs === 24) {
    out.set([left >> 16, (left >> 8) & 255, left & 255, right >> 16, (right >> 8) & 255, right & 255], at);
  } else if (rs === 28) {
    out.set([(left >> 16) & 255, (left >> 8) & 255, left & 255, (((left >>> 24) & 15) << 4) | ((right >>> 24) & 15), (right >> 16) & 255, (right >> 8) & 255, right & 255], at);
  } else {
    const dv = new DataView(out.buffer, out.byteOffset + at, 8);
    dv.setUint32(0, left);
    dv.setUint32(4, right);
  }
}

/** Serialises values into a data section, remembering where each repeated string went. */
class DataWriter {
  private readonly chunks: number[] = [];
  private readonly strings = new Map<string, number>();

  constructor(private readonly pointers: boolean) {}

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  /** Appends a value; returns its offset. */
  write(v: WriterValue): number {
    const at = this.chunks.length;
    this.value(v);
    return at;
  }

  private control(type: number, size: number): void {
    const sizeBytes: number[] = [];
    let low: number;
    if (size < 29) low = size;
    else if (size < 285) {
      low = 29;
      sizeBytes.push(size - 29);
    } else if (size < 65821) {
      low = 30;
      sizeBytes.push((size - 285) >> 8, (size - 285) & 255);
    } else {
      low = 31;
      const s = size - 65821;
      sizeBytes.push((s >> 16) & 255, (s >> 8) & 255, s & 255);
    }
    if (type <= 7) this.chunks.push((type << 5) | low);
    else this.chunks.push(low, type - 7);
    this.chunks.push(...sizeBytes);
  }

  private pointer(p: number): void {
    if (p < 2048) this.chunks.push(0x20 | (p >> 8), p & 255);
    else if (p < 526336) {
      const q = p - 2048;
      this.chunks.push(0x28 | (q >> 16), (q >> 8) & 255, q & 255);
    } else if (p < 526336 + 2 ** 27) {
      const q = p - 526336;
      this.chunks.push(0x30 | (q >> 24), (q >> 16) & 255, (q >> 8) & 255, q & 255);
    } else this.chunks.push(0x38, (p >>> 24) & 255, (p >> 16) & 255, (p >> 8) & 255, p & 255);
  }

  private unsigned(type: number, v: bigint): void {
    const out: number[] = [];
    for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 255n));
    this.control(type, out.length);
    this.chunks.push(...out);
  }

  private value(v: WriterValue): void {
    if (typeof v === 'string') {
      const seen = this.strings.get(v);
      if (this.pointers && seen !== undefined) return this.pointer(seen);
      if (this.pointers) this.strings.set(v, this.chunks.length);
      const b = new TextEncoder().encode(v);
      this.control(2, b.length);
      this.chunks.push(...b);
    } else if (typeof v === 'boolean') {
      this.control(14, v ? 1 : 0);
    } else if (typeof v === 'number') {
      this.value(Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? u32(v) : f64(v));
    } else if (v instanceof Typed) {
      this.typed(v);
    } else if (Array.isArray(v)) {
      this.control(11, v.length);
      for (const item of v) this.value(item);
    } else {
      const entries = Object.entries(v);
      this.control(7, entries.length);
      for (const [k, item] of entries) {
        this.value(k);
        this.value(item);
      }
    }
  }

  private typed(t: Typed): void {
    const num = (): number => Number(t.value);
    switch (t.kind) {
      case 'uint16':
        return this.unsigned(5, BigInt(num()));
      case 'uint32':
        return this.unsigned(6, BigInt(num()));
      case 'uint64':
        return this.unsigned(9, BigInt(t.value as number | bigint));
      case 'uint128':
        return this.unsigned(10, BigInt(t.value as number | bigint));
      case 'int32': {
        const n = num() | 0;
        if (n >= 0) return this.unsigned(8, BigInt(n));
        this.control(8, 4);
        this.chunks.push((n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
        return;
      }
      case 'double': {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setFloat64(0, num());
        this.control(3, 8);
        this.chunks.push(...b);
        return;
      }
      case 'float': {
        const b = new Uint8Array(4);
        new DataView(b.buffer).setFloat32(0, num());
        this.control(15, 4);
        this.chunks.push(...b);
        return;
      }
      case 'bytes': {
        const b = t.value as Uint8Array;
        this.control(4, b.length);
        for (let i = 0; i < b.length; i++) this.chunks.push(b[i]);
        return;
      }
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
