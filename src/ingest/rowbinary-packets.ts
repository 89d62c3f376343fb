import type { PacketBatch } from '../decode/packet-batch.js';

/** What the encoder needs from enrichment (see enrich/): numbers and interned strings only. */
export interface SourceEnricher {
  asn4(ip: number): number;
  country4(ip: number): string;
  asn6(addr: Uint8Array, offset: number): number;
  country6(addr: Uint8Array, offset: number): string;
}

/** Upper bound of one row's size: fixed fields plus the two short strings. */
const FIXED_ROW_BYTES = 8 + 1 + 16 + 16 + 1 + 2 + 2 + 1 + 4 + 4 + 2 + 4 + 1 + 2 + 1 + 1 + 1 + 4 + 1 + 4 + 4;

/**
 * Encodes a batch as RowBinary rows in the column order of DARKNET_PACKET_FIELDS, into a buffer
 * that is reused from batch to batch. One DataView per buffer, no per-packet allocation.
 */
export class PacketRowEncoder {
  private buf: Uint8Array;
  private view: DataView;
  private readonly sensorBytes: Uint8Array;

  constructor(sensor: string, private readonly enricher: SourceEnricher, capacity: number) {
    this.sensorBytes = new TextEncoder().encode(sensor);
    if (this.sensorBytes.length > 127) throw new Error('sensor name too long (max 127 bytes)');
    this.buf = new Uint8Array(capacity * this.rowBound());
    this.view = new DataView(this.buf.buffer);
  }

  private rowBound(): number {
    return FIXED_ROW_BYTES + 1 + this.sensorBytes.length + 1 + 8;
  }

  /** Returns a view of the encoded rows, valid until the next call. */
  encode(b: PacketBatch): Uint8Array {
    const need = b.length * this.rowBound();
    if (need > this.buf.length) {
      this.buf = new Uint8Array(need);
      this.view = new DataView(this.buf.buffer);
    }
    const out = this.buf;
    const v = this.view;
    const sensor = this.sensorBytes;
    const en = this.enricher;
    let o = 0;
    for (let i = 0; i < b.length; i++) {
      const ts = b.tsMicros[i];
      const hi = Math.floor(ts / 4294967296);
      v.setUint32(o, ts - hi * 4294967296, true);
      v.setInt32(o + 4, hi, true);
      o += 8;
      out[o++] = sensor.length;
      for (let k = 0; k < sensor.length; k++) out[o + k] = sensor[k] as number;
      o += sensor.length;
      const fam = b.family[i];
      out[o++] = fam;
      const a16 = i * 16;
      const s16 = b.src16;
      const d16 = b.dst16;
      for (let k = 0; k < 16; k++) out[o + k] = s16[a16 + k] as number;
      o += 16;
      for (let k = 0; k < 16; k++) out[o + k] = d16[a16 + k] as number;
      o += 16;
      out[o++] = b.proto[i];
      v.setUint16(o, b.sport[i], true);
      v.setUint16(o + 2, b.dport[i], true);
      o += 4;
      out[o++] = b.tcpFlags[i];
      v.setUint32(o, b.tcpSeq[i], true);
      v.setUint32(o + 4, b.tcpAck[i], true);
      v.setUint16(o + 8, b.tcpWindow[i], true);
      v.setUint32(o + 10, b.ipId[i], true);
      o += 14;
      out[o++] = b.ttl[i];
      v.setUint16(o, b.ipLen[i], true);
      o += 2;
      out[o++] = b.icmpType[i];
      out[o++] = b.icmpCode[i];
      out[o++] = b.frag[i];
      v.setUint32(o, b.wireLen[i], true);
      o += 4;
      out[o++] = b.cls[i];
      v.setUint32(o, b.tags[i], true);
      o += 4;
      let asn: number;
      let cc: string;
      if (fam === 4) {
        asn = en.asn4(b.src4[i]);
        cc = en.country4(b.src4[i]);
      } else {
        asn = en.asn6(b.src16, i * 16);
        cc = en.country6(b.src16, i * 16);
      }
      v.setUint32(o, asn >>> 0, true);
      o += 4;
      const n = cc.length > 8 ? 8 : cc.length;
      out[o++] = n;
      for (let c = 0; c < n; c++) out[o++] = cc.charCodeAt(c) & 0x7f;
    }
    return out.subarray(0, o);
  }
}

/** An enricher that knows nothing (no enrichment imported). */
export const NO_ENRICHMENT: SourceEnricher = {
  asn4: () => 0,
  country4: () => '',
  asn6: () => 0,
  country6: () => '',
};
