import type { PacketBatch } from '../decode/packet-batch.js';
import { HOUR_SET_DIMS } from '../schema/darknet-aggregates.js';
import { HOUR_SETS_BLOCK, SOURCE_HOUR_BLOCK } from './aggregate-blocks.js';
import type { AggregateBlock, PacketEnrichment } from './batch-aggregates.js';
import { bytesOf, layoutColumns, nativeChunks } from './native-block.js';
import { HOUR_US, sourceRunEnd } from './source-runs.js';

const KEY_SPAN = 4294967296;

export interface HourSetBlocks {
  /** One row per distinct (source, hour, dimension, key) of the batch, with its packets. */
  hourSets: AggregateBlock;
  /** One row per (source, hour) of the batch, with its packets. */
  sourceHour: AggregateBlock;
}

/**
 * The rows behind exact counts of any window of whole hours (events migration 011), from a batch
 * sorted by source (SourceSorter) in one pass: each source's packets, in capture order, fall into
 * runs of one hour; a run gives one source-hour row (packets, of each class, hits per fingerprint
 * bit, ASN and country of its last packet) and one
 * row per distinct (dimension, key): all packets, each class, each proto × port, the country and
 * the ASN of each packet. The INSERT groups them by (dimension, hour, key) into bitmaps of
 * sources; since the sources come in ascending order (IPv4 sorted by address), each bitmap is
 * built by appending, ten times cheaper than from keys in random order.
 */
export class HourSetAggregator {
  private cap = 0;
  private tHour = new Uint32Array(0);
  private tDim = new Uint8Array(0);
  private tKey = new Uint32Array(0);
  private tSrc = new Uint32Array(0);
  private tPackets = new Uint32Array(0);
  private shHour = new Uint32Array(0);
  private shSrc = new Uint32Array(0);
  private shPackets = new Uint32Array(0);
  private shScan = new Uint32Array(0);
  private shBack = new Uint32Array(0);
  private shAsn = new Uint32Array(0);
  private shCc = new Uint8Array(0);
  /** End offsets of each source-hour row's (bit, hits) pairs, as UInt64. */
  private shTagOff = new Uint32Array(0);
  private tagBits = new Uint8Array(0);
  private tagCounts = new Uint32Array(0);
  private readonly hits = new Uint32Array(32);
  private codes = new Float64Array(0);

  private ensureTuples(n: number): void {
    if (this.cap >= n) return;
    const c = Math.max(n, this.cap * 2);
    const grow = <T extends Uint8Array | Uint32Array>(a: T, make: (len: number) => T, per: number): T => {
      const b = make(c * per);
      b.set(a);
      return b;
    };
    this.tHour = grow(this.tHour, (l) => new Uint32Array(l), 1);
    this.tDim = grow(this.tDim, (l) => new Uint8Array(l), 1);
    this.tKey = grow(this.tKey, (l) => new Uint32Array(l), 1);
    this.tSrc = grow(this.tSrc, (l) => new Uint32Array(l), 4);
    this.tPackets = grow(this.tPackets, (l) => new Uint32Array(l), 1);
    this.cap = c;
  }

  private growTags(n: number): void {
    const bits = new Uint8Array(Math.max(n, this.tagBits.length * 2));
    const counts = new Uint32Array(bits.length);
    bits.set(this.tagBits);
    counts.set(this.tagCounts);
    this.tagBits = bits;
    this.tagCounts = counts;
  }

  aggregate(b: PacketBatch, en: PacketEnrichment): HourSetBlocks {
    const n = b.length;
    if (this.shHour.length < n) {
      this.shHour = new Uint32Array(n);
      this.shSrc = new Uint32Array(n * 4);
      this.shPackets = new Uint32Array(n);
      this.shScan = new Uint32Array(n);
      this.shBack = new Uint32Array(n);
      this.shAsn = new Uint32Array(n);
      this.shCc = new Uint8Array(n * 2);
      this.shTagOff = new Uint32Array(n * 2);
    }
    // Grown below when needed: a packet may match more than one fingerprint.
    if (this.tagBits.length < n + 32) {
      this.tagBits = new Uint8Array(n + 32);
      this.tagCounts = new Uint32Array(n + 32);
    }
    this.ensureTuples(Math.max(n * 4, 16));
    const s32 = new Uint32Array(b.src16.buffer, b.src16.byteOffset, n * 4);
    const { tsMicros: ts, cls, tags, proto, dport } = b;
    const { asn, country } = en;
    const { shHour, shSrc, shPackets, shScan, shBack, shAsn, shCc, shTagOff, hits } = this;
    let rows = 0;
    let nt = 0;
    let nTags = 0;

    const emit = (hour: number, dim: number, key: number, src: number, packets: number): void => {
      this.tHour[nt] = hour;
      this.tDim[nt] = dim;
      this.tKey[nt] = key;
      this.tSrc[nt * 4] = s32[src * 4] as number;
      this.tSrc[nt * 4 + 1] = s32[src * 4 + 1] as number;
      this.tSrc[nt * 4 + 2] = s32[src * 4 + 2] as number;
      this.tSrc[nt * 4 + 3] = s32[src * 4 + 3] as number;
      this.tPackets[nt++] = packets;
    };

    /** The packets [s, f) of one source in one hour. */
    const run = (s: number, f: number, hourNo: number): void => {
      const hour = hourNo * 3600;
      shHour[rows] = hour;
      for (let w = 0; w < 4; w++) shSrc[rows * 4 + w] = s32[s * 4 + w] as number;
      shPackets[rows] = f - s;
      // ASN and country of the run's last packet, as darknet_source_day keeps them (anyLast).
      shAsn[rows] = asn[f - 1] as number;
      shCc[rows * 2] = country[(f - 1) * 2] as number;
      shCc[rows * 2 + 1] = country[(f - 1) * 2 + 1] as number;
      let anyTag = 0;
      let scan = 0;
      let back = 0;
      for (let i = s; i < f; i++) {
        const c = cls[i] as number;
        if (c === 1) scan++;
        else if (c === 2) back++;
        for (let t = tags[i] as number; t !== 0; t &= t - 1) {
          hits[31 - Math.clz32(t & -t)]++;
          anyTag = 1;
        }
      }
      if (anyTag) {
        if (nTags + 32 > this.tagBits.length) this.growTags(nTags + 32);
        for (let bit = 0; bit < 32; bit++) {
          if (hits[bit] === 0) continue;
          this.tagBits[nTags] = bit;
          this.tagCounts[nTags++] = hits[bit] as number;
          hits[bit] = 0;
        }
      }
      shScan[rows] = scan;
      shBack[rows] = back;
      shTagOff[rows * 2] = nTags;
      rows++;
      const codeCount = (f - s) * 4;
      this.ensureTuples(nt + codeCount + 1);
      emit(hour, HOUR_SET_DIMS.all, 0, s, f - s);
      if (this.codes.length < codeCount) this.codes = new Float64Array(Math.max(codeCount, this.codes.length * 2));
      const codes = this.codes;
      let m = 0;
      for (let i = s; i < f; i++) {
        codes[m++] = HOUR_SET_DIMS.cls * KEY_SPAN + (cls[i] as number);
        codes[m++] = HOUR_SET_DIMS.port * KEY_SPAN + (proto[i] as number) * 65536 + (dport[i] as number);
        codes[m++] = HOUR_SET_DIMS.country * KEY_SPAN + (country[i * 2] as number) * 256 + (country[i * 2 + 1] as number);
        codes[m++] = HOUR_SET_DIMS.asn * KEY_SPAN + (asn[i] as number);
      }
      // One packet: its codes are distinct already, and in dimension order.
      const sorted = f - s === 1 ? codes.subarray(0, m) : codes.subarray(0, m).sort();
      let k = 0;
      while (k < m) {
        const c = sorted[k] as number;
        let e = k + 1;
        while (e < m && sorted[e] === c) e++;
        const dim = Math.floor(c / KEY_SPAN);
        emit(hour, dim, c - dim * KEY_SPAN, s, e - k);
        k = e;
      }
    };

    let a = 0;
    while (a < n) {
      const e = sourceRunEnd(s32, a, n);
      // The source's packets are in capture order: the hour changes rarely. Should they go back
      // and forth, a later run of an hour adds to it (the tables sum and unite).
      let s = a;
      let hourNo = Math.floor((ts[a] as number) / HOUR_US);
      for (let i = a + 1; i < e; i++) {
        const h = Math.floor((ts[i] as number) / HOUR_US);
        if (h !== hourNo) {
          run(s, i, hourNo);
          s = i;
          hourNo = h;
        }
      }
      run(s, e, hourNo);
      a = e;
    }

    const sets = layoutColumns(HOUR_SETS_BLOCK, {
      hour: [bytesOf(this.tHour, nt * 4)],
      dim: [bytesOf(this.tDim, nt)],
      key: [bytesOf(this.tKey, nt * 4)],
      src: [bytesOf(this.tSrc, nt * 16)],
      packets: [bytesOf(this.tPackets, nt * 4)],
    });
    const sh = layoutColumns(SOURCE_HOUR_BLOCK, {
      hour: [bytesOf(shHour, rows * 4)],
      src: [bytesOf(shSrc, rows * 16)],
      packets: [bytesOf(shPackets, rows * 4)],
      scan: [bytesOf(shScan, rows * 4)],
      backscatter: [bytesOf(shBack, rows * 4)],
      tag_bits: [bytesOf(shTagOff, rows * 8), bytesOf(this.tagBits, nTags)],
      tag_counts: [bytesOf(shTagOff, rows * 8), bytesOf(this.tagCounts, nTags * 4)],
      asn: [bytesOf(shAsn, rows * 4)],
      cc: [bytesOf(shCc, rows * 2)],
    });
    return {
      hourSets: { chunks: nativeChunks(nt, sets), rows: nt },
      sourceHour: { chunks: nativeChunks(rows, sh), rows },
    };
  }
}
