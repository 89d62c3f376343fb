/**
 * The identity of a packet across inputs: (sensor, capture time in µs, `key`), where `key` is a
 * 32-bit hash of every decoded field that is stored (addresses, ports, flags, sequence numbers,
 * IP id, TTL, lengths, ICMP type and code, fragment bits) mixed with the packet's rank among
 * identical packets of the same microsecond. Two records are the same packet when their stored
 * rows would be identical: a capture cut short and copied again, or two rotated files sharing
 * their edges, give the same keys for the same packets, wherever the files begin.
 *
 * Why per packet and not content-defined batches (batch ends where a packet's hash hits a
 * pattern, so that the same packets form the same batches in any file): the batches at the
 * edges of a file still end where the file ends, so a prefix and its whole file share a partial
 * batch, and a per-packet check would be needed there anyway; and batch sizes would vary with the
 * traffic instead of being the size the store inserts fastest. With keys, batches stay what they
 * were and a packet is checked only where a batch's time range overlaps one already stored
 * (ingest/overlap.ts): the common case costs one hash per packet and one small state query per
 * batch.
 *
 * The rank: a capture may hold the same packet twice in one microsecond (a duplicated frame);
 * one clean ingest stores both, so the second one's key differs from the first's (rank 1) and a
 * file with only the first does not hide the second. Ranks count consecutive packets of the same
 * microsecond (captures are written in time order), across batch boundaries of one input.
 *
 * A 32-bit key can make two different packets of the same microsecond look the same with
 * probability 2⁻³²; at 300M packets a day (a /8 telescope) that is about one packet in ten
 * thousand days.
 */
import { IP4, type PacketBatch } from '../decode/packet-batch.js';
import { fmix32 } from '../util/murmur3.js';
import { bytesOf, columnHeader, nativeStructure, varints } from './native-block.js';
import type { InsertSelect } from './aggregate-blocks.js';
import type { NativeBlock } from './native-packets.js';
import { DARKNET_PACKET_KEY_FIELDS } from '../schema/darknet-packet-keys.js';

const C1 = 0x9e3779b1;

/** The key of the `rank`-th identical packet of a microsecond (rank 0: the hash itself). */
function ranked(hash: number, rank: number): number {
  return rank === 0 ? hash : fmix32((hash + Math.imul(rank, 0x27d4eb2f)) | 0);
}

/** Runs of equal timestamps longer than this count ranks in a map instead of a scan. */
const SCAN_RUN = 32;

/**
 * Computes the keys of one input's batches, in the order of the input. One instance per input:
 * it carries the run of equal timestamps at the end of a batch into the next one.
 */
export class PacketKeys {
  /** `key[i]` of packet i of the last batch given to `compute`. */
  key: Uint32Array;
  private runTs = Number.NaN;
  private readonly run = new Uint32Array(SCAN_RUN);
  private runLen = 0;
  private runCounts: Map<number, number> | undefined;

  constructor(capacity: number) {
    this.key = new Uint32Array(capacity);
  }

  compute(b: PacketBatch): void {
    const n = b.length;
    if (this.key.length < n) this.key = new Uint32Array(n);
    const { key, run } = this;
    // The columns in locals: read through the batch object they cost a property load each, per
    // packet (three times the time of the whole hash).
    const { tsMicros: ts, family, src4, dst4, src16w, dst16w, proto, tcpFlags, ttl, frag, sport, dport, tcpSeq, tcpAck, tcpWindow, ipLen, ipId, icmpType, icmpCode, wireLen } = b;
    for (let i = 0; i < n; i++) {
      // Each step, h = (h ^ word) · odd constant, is a bijection of h: packets that differ in one
      // word always differ. No finaliser: the key is compared, never used as an index.
      let h = Math.imul(0x811c9dc5 ^ (family[i] as number), C1);
      if (family[i] === IP4) {
        h = Math.imul(h ^ (src4[i] as number), C1);
        h = Math.imul(h ^ (dst4[i] as number), C1);
      } else {
        const w = i * 4;
        for (let k = 0; k < 4; k++) h = Math.imul(h ^ (src16w[w + k] as number), C1);
        for (let k = 0; k < 4; k++) h = Math.imul(h ^ (dst16w[w + k] as number), C1);
      }
      h = Math.imul(h ^ ((proto[i] as number) | ((tcpFlags[i] as number) << 8) | ((ttl[i] as number) << 16) | ((frag[i] as number) << 24)), C1);
      h = Math.imul(h ^ ((sport[i] as number) | ((dport[i] as number) << 16)), C1);
      h = Math.imul(h ^ (tcpSeq[i] as number), C1);
      h = Math.imul(h ^ (tcpAck[i] as number), C1);
      h = Math.imul(h ^ ((tcpWindow[i] as number) | ((ipLen[i] as number) << 16)), C1);
      h = Math.imul(h ^ (ipId[i] as number), C1);
      h = Math.imul(h ^ ((icmpType[i] as number) | ((icmpCode[i] as number) << 8)), C1);
      h = Math.imul(h ^ (wireLen[i] as number), C1) >>> 0;
      const t = ts[i] as number;
      if (t !== this.runTs) {
        this.runTs = t;
        this.runLen = 0;
        this.runCounts = undefined;
        key[i] = h;
        run[this.runLen++] = h;
        continue;
      }
      key[i] = ranked(h, this.rankOf(h));
    }
  }

  /** The rank of `h` among the identical packets of the current microsecond so far (it is counted). */
  private rankOf(h: number): number {
    const { run } = this;
    let rank = 0;
    if (this.runCounts) {
      rank = this.runCounts.get(h) ?? 0;
      this.runCounts.set(h, rank + 1);
      return rank;
    }
    for (let j = 0; j < this.runLen; j++) if (run[j] === h) rank++;
    if (this.runLen < SCAN_RUN) run[this.runLen++] = h;
    else {
      this.runCounts = new Map();
      for (let j = 0; j < SCAN_RUN; j++) this.runCounts.set(run[j] as number, (this.runCounts.get(run[j] as number) ?? 0) + 1);
      this.runCounts.set(h, rank + 1);
    }
    return rank;
  }
}

/**
 * The key block: the capture time as the batch holds it (µs in a double, copied as it is; the
 * INSERT makes it a DateTime64) and the key.
 */
const KEY_BLOCK = [{ name: 'us', type: 'Float64' }, { name: 'key', type: 'UInt32' }] as const;

/** `name Type, …` of the key block, for `file(…, 'Native', structure)`. */
export const PACKET_KEY_STRUCTURE = nativeStructure(KEY_BLOCK);

/** The INSERT of a key block (`source`) into darknet_packet_keys. */
export function packetKeysInsert(sensorLiteral: string, source: string): InsertSelect {
  return {
    into: `INSERT INTO darknet_packet_keys (${DARKNET_PACKET_KEY_FIELDS.map((f) => f.name).join(', ')})`,
    select: `SELECT ${sensorLiteral} AS sensor, fromUnixTimestamp64Micro(toInt64(us), 'UTC') AS ts, key FROM ${source}`,
  };
}

/**
 * The keys of a batch's stored packets (those not dropped) as one Native block, in the order of
 * the input: the table is ordered by time, so ClickHouse finds the block nearly sorted.
 */
export class PacketKeyEncoder {
  private us: Float64Array;
  private keys: Uint32Array;
  private readonly headers = KEY_BLOCK.map((c) => columnHeader(c.name, c.type));

  constructor(capacity: number) {
    this.us = new Float64Array(capacity);
    this.keys = new Uint32Array(capacity);
  }

  encode(b: PacketBatch, key: Uint32Array, drop: Uint8Array | undefined): NativeBlock {
    const n = b.length;
    if (this.keys.length < n) {
      this.us = new Float64Array(n);
      this.keys = new Uint32Array(n);
    }
    const { us, keys } = this;
    let m = n;
    if (!drop) {
      us.set(b.tsMicros.subarray(0, n));
      keys.set(key.subarray(0, n));
    } else {
      m = 0;
      for (let i = 0; i < n; i++) {
        if (drop[i]) continue;
        us[m] = b.tsMicros[i] as number;
        keys[m++] = key[i] as number;
      }
    }
    return {
      chunks: [varints(KEY_BLOCK.length, m), this.headers[0] as Uint8Array, bytesOf(us, m * 8), this.headers[1] as Uint8Array, bytesOf(keys, m * 4)],
      rows: m,
    };
  }
}

/**
 * The (time, key) pairs stored in one time range, sorted by time as the store returns them; a
 * lookup is a binary search for the time and a look at the few keys of that microsecond. (A hash
 * set of a million pairs took longer to build than the whole lookup takes.)
 */
export class StoredKeys {
  private last = 0;

  private constructor(private readonly ts: Float64Array, private readonly keys: Uint32Array) {}

  get size(): number {
    return this.ts.length;
  }

  /** From RowBinary rows of (Int64 µs, UInt32 key), in time order. */
  static fromRowBinary(rows: Uint8Array): StoredKeys {
    const n = Math.floor(rows.length / 12);
    // 12-byte rows: three 32-bit words each, read through one aligned view.
    const aligned = rows.byteOffset % 4 === 0 ? rows : rows.slice();
    const w = new Uint32Array(aligned.buffer, aligned.byteOffset, n * 3);
    const ts = new Float64Array(n);
    const keys = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      ts[k] = (w[k * 3] as number) + ((w[k * 3 + 1] as number) | 0) * 4294967296;
      keys[k] = w[k * 3 + 2] as number;
    }
    for (let k = 1; k < n; k++) if ((ts[k] as number) < (ts[k - 1] as number)) throw new Error('packet keys must come in time order');
    return new StoredKeys(ts, keys);
  }

  has(t: number, key: number): boolean {
    const { ts, keys } = this;
    // Packets come in time order: search forward from the last answer, doubling the step.
    let lo = 0;
    let hi = ts.length;
    const from = this.last;
    if (from < ts.length && (ts[from] as number) < t) {
      lo = from + 1;
      let step = 1;
      while (lo + step < hi && (ts[lo + step] as number) < t) {
        lo += step + 1;
        step *= 2;
      }
      hi = Math.min(hi, lo + step + 1);
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ts[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    this.last = lo;
    for (let k = lo; k < ts.length && ts[k] === t; k++) if (keys[k] === key) return true;
    return false;
  }
}
