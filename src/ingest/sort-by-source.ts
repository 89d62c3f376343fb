import { IP4, type PacketBatch } from '../decode/packet-batch.js';

/**
 * Reorders a batch by (source address, capture order), the raw table's sort key. ClickHouse
 * checks whether an inserted block is already sorted and then skips its own sort, which costs
 * more than half of the raw insert; here it is a stable radix sort on the IPv4 address (two 16-bit
 * passes, keys carried with their indices) plus a comparison sort for the few IPv6 sources, then
 * one gather per column, except the IPv4 addresses: taken from the sorted keys and rebuilt.
 * IPv6 order is that of ClickHouse: the 16 bytes compared as a big-endian string, in which
 * IPv4-mapped addresses (::ffff:a.b.c.d) sort after ::/80-ish addresses and before 2000::/3.
 */
export class SourceSorter {
  private perm: Uint32Array;
  private tmpPerm: Uint32Array;
  private keys: Uint32Array;
  /** The radix sort's input keys, and after it the sorted IPv4 sources. */
  private tmpKeys: Uint32Array;
  private readonly counts = new Uint32Array(65537);
  private scratch: ArrayBuffer;
  /** Where the IPv4 rows start in the sorted batch, and how many there are. */
  private at4 = 0;
  private n4 = 0;
  private n6 = 0;

  constructor(capacity: number) {
    this.perm = new Uint32Array(capacity);
    this.tmpPerm = new Uint32Array(capacity);
    this.keys = new Uint32Array(capacity);
    this.tmpKeys = new Uint32Array(capacity);
    this.scratch = new ArrayBuffer(capacity * 16);
  }

  /**
   * Sorts the batch in place; with `drop`, the packets marked 1 there (already stored, see
   * ingest/overlap.ts) are left out on the way, and the batch is that much shorter.
   */
  sort(b: PacketBatch, drop?: Uint8Array): void {
    const n = b.length;
    if (n < 2 && !drop) return;
    if (this.perm.length < n) {
      this.perm = new Uint32Array(n);
      this.tmpPerm = new Uint32Array(n);
      this.keys = new Uint32Array(n);
      this.tmpKeys = new Uint32Array(n);
      this.scratch = new ArrayBuffer(n * 16);
    }
    const perm = this.order(b, n, drop);
    const m = this.n4 + this.n6;
    if (m === n && isIdentity(perm, n)) return;
    this.gather(b, perm, m);
    b.length = m;
  }

  /** The sorted order of the kept packets (indices into 0..n-1); the sorted IPv4 sources are left in `tmpKeys`. */
  private order(b: PacketBatch, n: number, drop: Uint8Array | undefined): Uint32Array {
    const idx = this.tmpPerm;
    const keys = this.tmpKeys;
    const v6: number[] = [];
    let n4 = 0;
    const { family, src4 } = b;
    for (let i = 0; i < n; i++) {
      if (drop && drop[i]) continue;
      if (family[i] === IP4) {
        keys[n4] = src4[i] as number;
        idx[n4++] = i;
      } else v6.push(i);
    }
    const sorted4 = this.radix(n4);
    // The radix sort leaves its result in tmpPerm, never in perm, which is free for the output.
    this.n4 = n4;
    this.n6 = v6.length;
    this.at4 = 0;
    const out = this.perm;
    if (v6.length === 0) {
      out.set(sorted4.subarray(0, n4));
      return out;
    }
    const s16 = b.src16;
    v6.sort((x, y) => {
      for (let k = 0; k < 16; k++) {
        const d = (s16[x * 16 + k]) - (s16[y * 16 + k]);
        if (d !== 0) return d;
      }
      return x - y;
    });
    // IPv6 sources below ::ffff:0:0 come before the IPv4-mapped block, the rest after it.
    let split = 0;
    while (split < v6.length && belowMapped(s16, (v6[split]) * 16)) split++;
    out.set(sorted4.subarray(0, n4), split);
    for (let k = 0; k < split; k++) out[k] = v6[k] as number;
    let o = split + n4;
    for (let k = split; k < v6.length; k++) out[o++] = v6[k] as number;
    this.at4 = split;
    return out;
  }

  /**
   * Stable LSD radix sort of the first m (key, index) pairs in tmpKeys/tmpPerm, two 16-bit
   * passes. The keys travel with the indices, so every read is sequential. After the two passes
   * the sorted indices are back in tmpPerm (returned) and the sorted keys in tmpKeys.
   */
  private radix(m: number): Uint32Array {
    let fromIdx = this.tmpPerm;
    let fromKey = this.tmpKeys;
    let toIdx = this.perm;
    let toKey = this.keys;
    const counts = this.counts;
    for (let shift = 0; shift < 32; shift += 16) {
      counts.fill(0);
      for (let i = 0; i < m; i++) counts[((fromKey[i] as number) >>> shift & 0xffff) + 1]++;
      for (let d = 1; d <= 65536; d++) counts[d] = (counts[d] as number) + (counts[d - 1] as number);
      for (let i = 0; i < m; i++) {
        const key = fromKey[i] as number;
        const digit = (key >>> shift) & 0xffff;
        const o = counts[digit] as number;
        counts[digit] = o + 1;
        toIdx[o] = fromIdx[i] as number;
        toKey[o] = key;
      }
      const ti = fromIdx;
      fromIdx = toIdx;
      toIdx = ti;
      const tk = fromKey;
      fromKey = toKey;
      toKey = tk;
    }
    return fromIdx;
  }

  private gather(b: PacketBatch, perm: Uint32Array, n: number): void {
    const s = this.scratch;
    gather8(b.family, perm, n, s);
    gather8(b.proto, perm, n, s);
    gather8(b.tcpFlags, perm, n, s);
    gather8(b.ttl, perm, n, s);
    gather8(b.icmpType, perm, n, s);
    gather8(b.icmpCode, perm, n, s);
    gather8(b.frag, perm, n, s);
    // iface is not stored past this point (not in the raw table), so it is not moved.
    gather8(b.cls, perm, n, s);
    gather16(b.sport, perm, n, s);
    gather16(b.dport, perm, n, s);
    gather16(b.tcpWindow, perm, n, s);
    gather16(b.ipLen, perm, n, s);
    // The IPv4 sources are the sorted keys themselves; only IPv6 rows (outside [at4, at4+n4)) move.
    sortedSources(b.src4, this.tmpKeys, this.at4, this.n4, perm, n, s);
    gather32(b.dst4, perm, n, s);
    gather32(b.tcpSeq, perm, n, s);
    gather32(b.tcpAck, perm, n, s);
    gather32(b.ipId, perm, n, s);
    gather32(b.wireLen, perm, n, s);
    gather32(b.tags, perm, n, s);
    gather32(b.tagInapplicable, perm, n, s);
    gather64(b.tsMicros, perm, n, s);
    // IPv4 rows rebuild their 16-byte form from the already sorted 32-bit address (sequential)
    // instead of fetching 16 bytes from a random place.
    gatherAddresses(b.src16w, b.src4, b.family, perm, n, s);
    gatherAddresses(b.dst16w, b.dst4, b.family, perm, n, s);
  }
}

function belowMapped(s16: Uint8Array, o: number): boolean {
  for (let k = 0; k < 10; k++) if (s16[o + k] !== 0) return false;
  return !(s16[o + 10] === 0xff && s16[o + 11] === 0xff);
}

function isIdentity(p: Uint32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (p[i] !== i) return false;
  return true;
}

function gather8(a: Uint8Array, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Uint8Array(s, 0, n);
  for (let i = 0; i < n; i++) t[i] = a[p[i]];
  a.set(t);
}
function gather16(a: Uint16Array, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Uint16Array(s, 0, n);
  for (let i = 0; i < n; i++) t[i] = a[p[i]];
  a.set(t);
}
function gather32(a: Uint32Array, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Uint32Array(s, 0, n);
  for (let i = 0; i < n; i++) t[i] = a[p[i]];
  a.set(t);
}
function gather64(a: Float64Array, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Float64Array(s, 0, n);
  for (let i = 0; i < n; i++) t[i] = a[p[i]];
  a.set(t);
}
/** src4 in sorted order: the sorted keys at [at, at+m), the other (IPv6) rows gathered. */
function sortedSources(a: Uint32Array, keys: Uint32Array, at: number, m: number, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Uint32Array(s, 0, n);
  for (let i = 0; i < at; i++) t[i] = a[p[i] as number] as number;
  t.set(keys.subarray(0, m), at);
  for (let i = at + m; i < n; i++) t[i] = a[p[i] as number] as number;
  a.set(t);
}

/**
 * The 16-byte addresses in sorted order (four little-endian words per row): IPv4 rows as
 * ::ffff:a.b.c.d from the sorted `v4` and `family`, IPv6 rows copied from their old place.
 */
function gatherAddresses(w: Uint32Array, v4: Uint32Array, family: Uint8Array, p: Uint32Array, n: number, s: ArrayBuffer): void {
  const t = new Uint32Array(s, 0, n * 4);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (family[i] === IP4) {
      const v = v4[i] as number;
      t[o] = 0;
      t[o + 1] = 0;
      t[o + 2] = 0xffff0000; // bytes 00 00 ff ff
      t[o + 3] = ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v & 0xff00) << 8) | (v << 24)) >>> 0;
    } else {
      const j = (p[i] as number) * 4;
      t[o] = w[j] as number;
      t[o + 1] = w[j + 1] as number;
      t[o + 2] = w[j + 2] as number;
      t[o + 3] = w[j + 3] as number;
    }
  }
  w.set(t);
}
