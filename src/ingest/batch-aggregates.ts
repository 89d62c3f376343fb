import { IP6, type PacketBatch } from '../decode/packet-batch.js';
import { EXACT_LIMIT, SKETCH_BITS } from '../schema/sketch.js';
import { HOURLY_BLOCK, SOURCE_DAY_BLOCK, SOURCE_PORT_DAY_BLOCK } from './aggregate-blocks.js';
import { U64Column, bytesOf, layoutColumns, nativeChunks, setInt64 } from './native-block.js';
import { fmix32 } from '../util/murmur3.js';
import { HourSetAggregator } from './hour-sets.js';
import { DAY_US, HOUR_US, sourceRunEnd } from './source-runs.js';

/**
 * Per-batch aggregates computed in one sequential pass over a batch sorted by source (see
 * SourceSorter), so that ClickHouse receives small pre-aggregated blocks instead of grouping a
 * million packets per aggregate table:
 *
 * - `sourceDay`: one row per (source, UTC day): first/last seen, packets, packets per class, hits
 *   per fingerprint bit and packets each fingerprint does not apply to, sketches of its distinct
 *   (proto, port) codes and darknet addresses, ASN and country of its last packet.
 * - `sourcePortDay`: one row per (source, UTC day, proto, destination port) with its packets —
 *   exact distinct sources per port, and a source's ports, come from these rows.
 * - `hourly`: one row per (hour, class, family) with its packets and the distinct sources of
 *   the batch (an array that the INSERT folds into a uniqCombined64 state).
 * - `hourSets`, `sourceHour`: the rows behind exact counts of any window of whole hours
 *   (hour-sets.ts).
 *
 * Each block is a pure function of the batch, so it is inserted with a token derived from the
 * batch's token and deduplicates like the packet block (exactly once; see docs/darknet.md). The
 * blocks' columns and the INSERTs that read them are in aggregate-blocks.ts, the tables' columns
 * in schema/darknet-aggregates.ts.
 */
export interface AggregateBlock {
  chunks: Uint8Array[];
  rows: number;
}

export interface BatchAggregates {
  sourceDay: AggregateBlock;
  sourcePortDay: AggregateBlock;
  hourly: AggregateBlock;
  hourSets: AggregateBlock;
  sourceHour: AggregateBlock;
}


/** Per-packet enrichment of the sorted batch (from PacketNativeEncoder). */
export interface PacketEnrichment {
  asn: Uint32Array;
  /** Two bytes per packet. */
  country: Uint8Array;
}

export class BatchAggregator {
  private readonly hourSets = new HourSetAggregator();
  private cap = 0;
  // Per source-day row.
  private sdDay = new Uint16Array(0);
  private sdSrc = new Uint32Array(0);
  private sdFirst = new Int32Array(0);
  private sdLast = new Int32Array(0);
  private sdPackets = new U64Column(0);
  private sdScan = new U64Column(0);
  private sdBack = new U64Column(0);
  private sdOther = new U64Column(0);
  private sdTagOff = new U64Column(0);
  private sdSkipOff = new U64Column(0);
  private sdPortOff = new U64Column(0);
  private sdDstOff = new U64Column(0);
  private sdAsn = new Uint32Array(0);
  private sdCc = new Uint8Array(0);
  private tagBits = new Uint8Array(0);
  private tagCounts = new U64Column(0);
  private skipBits = new Uint8Array(0);
  private skipCounts = new U64Column(0);
  private portKeys = new Uint16Array(0);
  private portRanks = new Uint8Array(0);
  private dstKeys = new Uint16Array(0);
  private dstRanks = new Uint8Array(0);
  // The exact distinct codes of each row, up to EXACT_LIMIT + 1 (migration 010).
  private sdPortSetOff = new U64Column(0);
  private sdDstSetOff = new U64Column(0);
  private portSet = new Uint32Array(0);
  private dstSet = new Uint32Array(0);
  private dstCodes = new Uint32Array(0);
  private pairs = new Uint32Array(0);
  // Per source-port-day row.
  private spDay = new Uint16Array(0);
  private spProto = new Uint8Array(0);
  private spPort = new Uint16Array(0);
  private spSrc = new Uint32Array(0);
  private spPackets = new U64Column(0);
  // Hourly: pairs (group, source-day row), then rows per group.
  private pairGroup = new Int32Array(0);
  private pairRow = new Int32Array(0);
  private hSrcs = new Uint32Array(0);
  // Scratch.
  private rowIdx = new Uint32Array(0);
  private codes = new Uint32Array(0);
  private readonly hits = new Uint32Array(32);
  private readonly skips = new Uint32Array(32);

  private grow(n: number): void {
    if (this.cap >= n) return;
    const c = n;
    this.cap = c;
    this.sdDay = new Uint16Array(c);
    this.sdSrc = new Uint32Array(c * 4);
    this.sdFirst = new Int32Array(c * 2);
    this.sdLast = new Int32Array(c * 2);
    this.sdPackets = new U64Column(c);
    this.sdScan = new U64Column(c);
    this.sdBack = new U64Column(c);
    this.sdOther = new U64Column(c);
    this.sdTagOff = new U64Column(c);
    this.sdSkipOff = new U64Column(c);
    this.sdPortOff = new U64Column(c);
    this.sdDstOff = new U64Column(c);
    this.sdAsn = new Uint32Array(c);
    this.sdCc = new Uint8Array(c * 2);
    // A row holds at most min(32, its packets) distinct bits: at most one per packet.
    this.tagBits = new Uint8Array(c);
    this.tagCounts = new U64Column(c);
    // Up to one entry per fingerprint per row (a UDP packet is outside all of them): grown as needed.
    this.skipBits = new Uint8Array(c);
    this.skipCounts = new U64Column(c);
    this.portKeys = new Uint16Array(c);
    this.portRanks = new Uint8Array(c);
    this.dstKeys = new Uint16Array(c);
    this.dstRanks = new Uint8Array(c);
    this.sdPortSetOff = new U64Column(c);
    this.sdDstSetOff = new U64Column(c);
    this.portSet = new Uint32Array(c);
    this.dstSet = new Uint32Array(c);
    this.dstCodes = new Uint32Array(c);
    this.pairs = new Uint32Array(c);
    this.spDay = new Uint16Array(c);
    this.spProto = new Uint8Array(c);
    this.spPort = new Uint16Array(c);
    this.spSrc = new Uint32Array(c * 4);
    this.spPackets = new U64Column(c);
    this.pairGroup = new Int32Array(c);
    this.pairRow = new Int32Array(c);
    this.hSrcs = new Uint32Array(c * 4);
    this.rowIdx = new Uint32Array(c);
    this.codes = new Uint32Array(c);
  }

  private growSkips(n: number): void {
    const bits = new Uint8Array(Math.max(n, this.skipBits.length * 2));
    bits.set(this.skipBits);
    this.skipBits = bits;
    this.skipCounts.ensure(bits.length);
  }

  /** The blocks of a batch sorted by source; valid until the next call. */
  aggregate(b: PacketBatch, en: PacketEnrichment): BatchAggregates {
    const n = b.length;
    this.grow(Math.max(n, 1));
    const s32 = new Uint32Array(b.src16.buffer, b.src16.byteOffset, n * 4);
    const d32 = new Uint32Array(b.dst16.buffer, b.dst16.byteOffset, n * 4);
    const { tsMicros: ts, cls, tags, tagInapplicable, proto, dport, family } = b;
    const { rowIdx, codes, pairs, hits, skips, sdSrc, sdDay, sdFirst, sdLast, sdAsn, sdCc, tagBits, portKeys, portRanks, dstKeys, dstRanks } = this;
    const { spDay, spProto, spPort, spSrc, pairGroup, pairRow } = this;
    // UInt64 columns: only the low words are written (the high words stay 0).
    const sdPackets = this.sdPackets.words;
    const sdScan = this.sdScan.words;
    const sdBack = this.sdBack.words;
    const sdOther = this.sdOther.words;
    const sdTagOff = this.sdTagOff.words;
    const sdSkipOff = this.sdSkipOff.words;
    const sdPortOff = this.sdPortOff.words;
    const sdDstOff = this.sdDstOff.words;
    const tagCounts = this.tagCounts.words;
    const spPackets = this.spPackets.words;
    const { portSet, dstSet, dstCodes } = this;
    const sdPortSetOff = this.sdPortSetOff.words;
    const sdDstSetOff = this.sdDstSetOff.words;
    let nPortSet = 0;
    let nDstSet = 0;
    const enAsn = en.asn;
    const enCc = en.country;
    let rows = 0;
    let nTags = 0;
    let nSkips = 0;
    let nPorts = 0;
    let nDsts = 0;
    let nSp = 0;
    let nPairs = 0;

    // Hourly groups (hour, class, family), found through a table indexed by the hour's offset
    // in the batch (a Map when the batch spans absurdly many hours).
    let h0 = Infinity;
    let h1 = -Infinity;
    for (let i = 0; i < n; i++) {
      const t = ts[i] as number;
      if (t < h0) h0 = t;
      if (t > h1) h1 = t;
    }
    h0 = Math.floor(h0 / HOUR_US);
    h1 = Math.floor(h1 / HOUR_US);
    const span = n > 0 ? h1 - h0 + 1 : 0;
    const table = span > 0 && span <= 1 << 16 ? new Int32Array(span * 8).fill(-1) : undefined;
    const groups = new Map<number, number>();
    const gHour: number[] = [];
    const gCls: number[] = [];
    const gFam: number[] = [];
    const gPackets: number[] = [];
    const gLastRow: number[] = [];
    const gSources: number[] = [];
    const newGroup = (hour: number, c: number, fam: number): number => {
      const gid = gHour.length;
      gHour.push(hour * 3600);
      gCls.push(c);
      gFam.push(fam);
      gPackets.push(0);
      gLastRow.push(-1);
      gSources.push(0);
      return gid;
    };

    const emitRow = (m: number, day: number): void => {
      const r = rows++;
      const first = rowIdx[0] as number;
      sdDay[r] = day;
      sdSrc[r * 4] = s32[first * 4] as number;
      sdSrc[r * 4 + 1] = s32[first * 4 + 1] as number;
      sdSrc[r * 4 + 2] = s32[first * 4 + 2] as number;
      sdSrc[r * 4 + 3] = s32[first * 4 + 3] as number;
      let lo = Infinity;
      let hi = -Infinity;
      let scan = 0;
      let back = 0;
      let anyTag = 0;
      // Inapplicable masks come in runs (a source sends one kind of packet for a while): counted per run.
      let anySkip = 0;
      let runMask = 0;
      let runLen = 0;
      let hour = 0;
      let hourStart = Infinity;
      for (let k = 0; k < m; k++) {
        const i = rowIdx[k] as number;
        const t = ts[i] as number;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
        const c = cls[i] as number;
        if (c === 1) scan++;
        else if (c === 2) back++;
        let tg = tags[i] as number;
        if (tg !== 0) {
          anyTag |= tg;
          while (tg !== 0) {
            const low = tg & -tg;
            hits[31 - Math.clz32(low)]++;
            tg ^= low;
          }
        }
        const sk = tagInapplicable[i] as number;
        if (sk !== runMask) {
          for (let x = runMask; x !== 0; x &= x - 1) skips[31 - Math.clz32(x & -x)] += runLen;
          anySkip |= sk;
          runMask = sk;
          runLen = 0;
        }
        runLen++;
        codes[k] = (proto[i] as number) * 65536 + (dport[i] as number);
        const dh = fmix32((d32[i * 4] as number) ^ fmix32((d32[i * 4 + 1] as number) ^ fmix32((d32[i * 4 + 2] as number) ^ fmix32((d32[i * 4 + 3] as number) ^ 0x9e3779b9))));
        pairs[k] = sketchPair(dh);
        // Exact code of the address: IPv4 itself, IPv6 by its hash (a collision needs ~65,000 of them).
        dstCodes[k] = family[i] === IP6 ? dh : (d32[i * 4 + 3] as number);
        // Hourly group: the source counts once per group and batch.
        // A source's packets come in capture order: the hour rarely changes from one to the next.
        if (t < hourStart || t >= hourStart + HOUR_US) {
          hour = Math.floor(t / HOUR_US);
          hourStart = hour * HOUR_US;
        }
        const fam = family[i] as number;
        let gid: number;
        if (table !== undefined && c < 4) {
          const slot = ((hour - h0) * 4 + c) * 2 + (fam === IP6 ? 1 : 0);
          gid = table[slot] as number;
          if (gid < 0) {
            gid = newGroup(hour, c, fam);
            table[slot] = gid;
          }
        } else {
          const key = (hour * 256 + c) * 2 + (fam === IP6 ? 1 : 0);
          gid = groups.get(key) ?? -1;
          if (gid < 0) {
            gid = newGroup(hour, c, fam);
            groups.set(key, gid);
          }
        }
        gPackets[gid] = (gPackets[gid] as number) + 1;
        if (gLastRow[gid] !== r) {
          gLastRow[gid] = r;
          gSources[gid] = (gSources[gid] as number) + 1;
          pairGroup[nPairs] = gid;
          pairRow[nPairs++] = r;
        }
      }
      nDsts = emitSketch(pairs, m, dstKeys, dstRanks, nDsts);
      sdDstOff[r * 2] = nDsts;
      nDstSet = emitDistinct(dstCodes, m, dstSet, nDstSet);
      sdDstSetOff[r * 2] = nDstSet;
      setInt64(sdFirst, r, lo);
      setInt64(sdLast, r, hi);
      sdPackets[r * 2] = m;
      sdScan[r * 2] = scan;
      sdBack[r * 2] = back;
      sdOther[r * 2] = m - scan - back;
      if (anyTag !== 0) nTags = emitBitCounts(hits, tagBits, tagCounts, nTags);
      sdTagOff[r * 2] = nTags;
      for (let x = runMask; x !== 0; x &= x - 1) skips[31 - Math.clz32(x & -x)] += runLen;
      if (anySkip !== 0) {
        if (nSkips + 32 > this.skipBits.length) this.growSkips(nSkips + 32);
        nSkips = emitBitCounts(skips, this.skipBits, this.skipCounts.words, nSkips);
      }
      sdSkipOff[r * 2] = nSkips;
      const last = rowIdx[m - 1] as number;
      sdAsn[r] = enAsn[last] as number;
      sdCc[r * 2] = enCc[last * 2] as number;
      sdCc[r * 2 + 1] = enCc[last * 2 + 1] as number;
      // Distinct (proto, port) codes of the row, with their packets.
      if (m > 1) sortSmall(codes, m);
      let k = 0;
      let distinct = 0;
      while (k < m) {
        const code = codes[k] as number;
        let e = k + 1;
        while (e < m && codes[e] === code) e++;
        if (distinct <= EXACT_LIMIT) portSet[nPortSet++] = code;
        pairs[distinct++] = sketchPair(fmix32(code ^ 0x85ebca6b));
        const p = nSp++;
        spDay[p] = day;
        spProto[p] = code >>> 16;
        spPort[p] = code & 0xffff;
        spSrc[p * 4] = sdSrc[r * 4] as number;
        spSrc[p * 4 + 1] = sdSrc[r * 4 + 1] as number;
        spSrc[p * 4 + 2] = sdSrc[r * 4 + 2] as number;
        spSrc[p * 4 + 3] = sdSrc[r * 4 + 3] as number;
        spPackets[p * 2] = e - k;
        k = e;
      }
      nPorts = emitSketch(pairs, distinct, portKeys, portRanks, nPorts);
      sdPortOff[r * 2] = nPorts;
      sdPortSetOff[r * 2] = nPortSet;
    };

    let a = 0;
    while (a < n) {
      const e = sourceRunEnd(s32, a, n);
      const d0 = Math.floor((ts[a] as number) / DAY_US);
      const dayStart = d0 * DAY_US;
      const dayEnd = dayStart + DAY_US;
      let oneDay = true;
      for (let i = a + 1; i < e; i++) {
        const t = ts[i] as number;
        if (t < dayStart || t >= dayEnd) {
          oneDay = false;
          break;
        }
      }
      if (oneDay) {
        for (let i = a; i < e; i++) rowIdx[i - a] = i;
        emitRow(e - a, d0);
      } else {
        // A source whose packets of this batch span midnight: one row per day.
        const days = new Set<number>();
        for (let i = a; i < e; i++) days.add(Math.floor((ts[i] as number) / DAY_US));
        for (const d of [...days].sort((x, y) => x - y)) {
          let m = 0;
          for (let i = a; i < e; i++) if (Math.floor((ts[i] as number) / DAY_US) === d) rowIdx[m++] = i;
          emitRow(m, d);
        }
      }
      a = e;
    }
    const st = { rows, tags: nTags, skips: nSkips, ports: nPorts, dsts: nDsts, sp: nSp, pairs: nPairs };

    // Hourly rows: the pairs grouped by group (counting sort), each with its sources.
    const ng = gHour.length;
    const start = new Array<number>(ng);
    let acc = 0;
    for (let g = 0; g < ng; g++) {
      start[g] = acc;
      acc += gSources[g] as number;
    }
    const pos = start.slice();
    for (let j = 0; j < st.pairs; j++) {
      const g = this.pairGroup[j] as number;
      const o = pos[g] as number;
      pos[g] = o + 1;
      const r = this.pairRow[j] as number;
      for (let w = 0; w < 4; w++) this.hSrcs[o * 4 + w] = this.sdSrc[r * 4 + w] as number;
    }
    const hHour = Uint32Array.from(gHour);
    const hCls = Uint8Array.from(gCls);
    const hFam = Uint8Array.from(gFam);
    const hPackets = new U64Column(ng);
    const hOff = new U64Column(ng);
    for (let g = 0; g < ng; g++) {
      hPackets.set(g, gPackets[g] as number);
      hOff.set(g, (start[g] as number) + (gSources[g] as number));
    }

    const R = st.rows;
    const sd = layoutColumns(SOURCE_DAY_BLOCK, {
      day: [bytesOf(this.sdDay, R * 2)],
      src: [bytesOf(this.sdSrc, R * 16)],
      first_seen: [bytesOf(this.sdFirst, R * 8)],
      last_seen: [bytesOf(this.sdLast, R * 8)],
      packets: [this.sdPackets.bytes(R)],
      pkts_scan: [this.sdScan.bytes(R)],
      pkts_backscatter: [this.sdBack.bytes(R)],
      pkts_other: [this.sdOther.bytes(R)],
      tag_bits: [this.sdTagOff.bytes(R), bytesOf(this.tagBits, st.tags)],
      tag_counts: [this.sdTagOff.bytes(R), this.tagCounts.bytes(st.tags)],
      inapplicable_bits: [this.sdSkipOff.bytes(R), bytesOf(this.skipBits, st.skips)],
      inapplicable_counts: [this.sdSkipOff.bytes(R), this.skipCounts.bytes(st.skips)],
      port_keys: [this.sdPortOff.bytes(R), bytesOf(this.portKeys, st.ports * 2)],
      port_ranks: [this.sdPortOff.bytes(R), bytesOf(this.portRanks, st.ports)],
      dst_keys: [this.sdDstOff.bytes(R), bytesOf(this.dstKeys, st.dsts * 2)],
      dst_ranks: [this.sdDstOff.bytes(R), bytesOf(this.dstRanks, st.dsts)],
      port_set: [this.sdPortSetOff.bytes(R), bytesOf(portSet, nPortSet * 4)],
      dst_set: [this.sdDstSetOff.bytes(R), bytesOf(dstSet, nDstSet * 4)],
      asn: [bytesOf(this.sdAsn, R * 4)],
      cc: [bytesOf(this.sdCc, R * 2)],
    });
    const P = st.sp;
    const sp = layoutColumns(SOURCE_PORT_DAY_BLOCK, {
      day: [bytesOf(this.spDay, P * 2)],
      proto: [bytesOf(this.spProto, P)],
      port: [bytesOf(this.spPort, P * 2)],
      src: [bytesOf(this.spSrc, P * 16)],
      packets: [this.spPackets.bytes(P)],
    });
    const hr = layoutColumns(HOURLY_BLOCK, {
      hour: [bytesOf(hHour, ng * 4)],
      cls: [bytesOf(hCls, ng)],
      family: [bytesOf(hFam, ng)],
      packets: [hPackets.bytes(ng)],
      srcs: [hOff.bytes(ng), bytesOf(this.hSrcs, acc * 16)],
    });
    return {
      sourceDay: { chunks: nativeChunks(R, sd), rows: R },
      sourcePortDay: { chunks: nativeChunks(P, sp), rows: P },
      hourly: { chunks: nativeChunks(ng, hr), rows: ng },
      ...this.hourSets.aggregate(b, en),
    };
  }
}

/**
 * Distinct counts that may be approximate (a source's ports and darknet addresses) are kept as
 * HyperLogLog sketches with 2^SKETCH_BITS registers, stored sparsely as (register, rank) pairs
 * that ClickHouse merges with `maxMap` (see store/events/sql-helpers `sketchEstimate`): linear
 * counting for small sets (mostly exact, ~1 % at 150), about 1.6 % off for large ones. Up to
 * EXACT_LIMIT values the rows also carry the values themselves (`emitDistinct`), which the
 * readers count instead (`distinctCount`). Building them here
 * costs a hash per packet; a uniqCombined64 state per source cost ClickHouse far more per batch.
 */
const RANK_MAX = 32 - SKETCH_BITS + 1;


/** Appends the non-zero per-bit counts at `o` (bit, low word of a UInt64) and clears them; returns the new end. */
function emitBitCounts(counts: Uint32Array, bits: Uint8Array, words: Uint32Array, o: number): number {
  for (let bit = 0; bit < 32; bit++) {
    const c = counts[bit] as number;
    if (c === 0) continue;
    bits[o] = bit;
    words[o * 2] = c;
    o++;
    counts[bit] = 0;
  }
  return o;
}

/** register × 32 + rank of a hash. */
function sketchPair(h: number): number {
  const reg = h >>> (32 - SKETCH_BITS);
  const rank = Math.min(Math.clz32((h << SKETCH_BITS) >>> 0) + 1, RANK_MAX);
  return reg * 32 + rank;
}

/** Appends the distinct values of the first `m` of `a` (sorted in place) to `out` at `o`, at most EXACT_LIMIT + 1; returns the new end. */
function emitDistinct(a: Uint32Array, m: number, out: Uint32Array, o: number): number {
  if (m > 1) sortSmall(a, m);
  const end = o + EXACT_LIMIT + 1;
  for (let k = 0; k < m && o < end; k++) {
    const v = a[k] as number;
    if (k > 0 && (a[k - 1] as number) === v) continue;
    out[o++] = v;
  }
  return o;
}

/** Appends the registers of `m` pairs (highest rank per register) at `o`; returns the new end. */
function emitSketch(pairs: Uint32Array, m: number, keys: Uint16Array, ranks: Uint8Array, o: number): number {
  if (m > 1) sortSmall(pairs, m);
  for (let k = 0; k < m; k++) {
    const v = pairs[k] as number;
    const reg = v >>> 5;
    if (k + 1 < m && (pairs[k + 1] as number) >>> 5 === reg) continue; // a higher rank follows
    keys[o] = reg;
    ranks[o] = v & 31;
    o++;
  }
  return o;
}

/**
 * Sorts the first m values: insertion sort for the short runs most sources have, an LSD radix
 * sort (8-bit digits, as many as the largest value needs) for the long runs of busy sources,
 * where the typed array's own sort was a quarter of the whole pass.
 */
function sortSmall(a: Uint32Array, m: number): void {
  if (m > 24) {
    radixSort(a, m);
    return;
  }
  for (let i = 1; i < m; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

let radixScratch = new Uint32Array(1024);
const radixCounts = new Uint32Array(2048);

function radixSort(a: Uint32Array, m: number): void {
  let all = 0;
  let sorted = true;
  let prev = 0;
  for (let i = 0; i < m; i++) {
    const v = a[i] as number;
    all |= v;
    if (v < prev) sorted = false;
    prev = v;
  }
  // Runs of one port (a scanner's whole run often is) need nothing.
  if (sorted) return;
  if (radixScratch.length < m) radixScratch = new Uint32Array(Math.max(m, radixScratch.length * 2));
  const bits = 32 - Math.clz32(all);
  // Digits of at most 8 bits for short runs (clearing the counts costs per bucket), up to 11 for long ones.
  const maxDigit = m < 1024 ? 8 : 11;
  const passes = Math.ceil(bits / maxDigit);
  const digit = Math.ceil(bits / passes);
  const mask = (1 << digit) - 1;
  let from: Uint32Array = a;
  let to: Uint32Array = radixScratch;
  for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
    const c = radixCounts;
    c.fill(0, 0, mask + 1);
    for (let i = 0; i < m; i++) c[((from[i] as number) >>> shift) & mask]++;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const k = c[d] as number;
      c[d] = sum;
      sum += k;
    }
    for (let i = 0; i < m; i++) {
      const v = from[i] as number;
      const d = (v >>> shift) & mask;
      to[c[d] as number] = v;
      c[d] = (c[d] as number) + 1;
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== a) a.set(from.subarray(0, m));
}
