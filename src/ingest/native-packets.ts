import type { PacketBatch } from '../decode/packet-batch.js';
import { DARKNET_PACKET_FIELDS } from '../schema/darknet-packet.js';
import type { SourceEnricher } from './source-enricher.js';
import { columnHeader, varints } from './native-block.js';
import { requireLittleEndian } from '../util/little-endian.js';

/**
 * Encodes a batch as one ClickHouse Native block. Native is columnar like the batch itself, so
 * almost every column is the batch's typed array handed over as it is (x86 and ARM are
 * little-endian, as Native is); only the timestamp (double → Int64) and the enrichment columns
 * are computed. ClickHouse reads such a block at memory speed, where a row format costs a parse
 * per value.
 *
 * The sensor is not in the block: it is the same for every row and goes into the INSERT as a
 * constant. The country travels as FixedString(2) ('\0\0' = unknown).
 */
export interface NativeBlock {
  /** Header and column pieces, in order; valid until the next `encode` of this encoder. */
  chunks: Uint8Array[];
  rows: number;
}

type Column = { name: string; type: string; data: (b: PacketBatch, n: number, enc: PacketNativeEncoder) => Uint8Array };

const bytes = (a: ArrayBufferView, len: number): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, len);

/** Columns of the block, in the order of the schema (without `sensor`). */
const COLUMNS: readonly Column[] = [
  { name: 'ts', type: "DateTime64(6, 'UTC')", data: (_b, n, e) => bytes(e.ts, n * 8) },
  { name: 'family', type: 'UInt8', data: (b, n) => bytes(b.family, n) },
  { name: 'src', type: 'IPv6', data: (b, n) => bytes(b.src16, n * 16) },
  { name: 'dst', type: 'IPv6', data: (b, n) => bytes(b.dst16, n * 16) },
  { name: 'proto', type: 'UInt8', data: (b, n) => bytes(b.proto, n) },
  { name: 'sport', type: 'UInt16', data: (b, n) => bytes(b.sport, n * 2) },
  { name: 'dport', type: 'UInt16', data: (b, n) => bytes(b.dport, n * 2) },
  { name: 'tcp_flags', type: 'UInt8', data: (b, n) => bytes(b.tcpFlags, n) },
  { name: 'tcp_seq', type: 'UInt32', data: (b, n) => bytes(b.tcpSeq, n * 4) },
  { name: 'tcp_ack', type: 'UInt32', data: (b, n) => bytes(b.tcpAck, n * 4) },
  { name: 'tcp_window', type: 'UInt16', data: (b, n) => bytes(b.tcpWindow, n * 2) },
  { name: 'ip_id', type: 'UInt32', data: (b, n) => bytes(b.ipId, n * 4) },
  { name: 'ttl', type: 'UInt8', data: (b, n) => bytes(b.ttl, n) },
  { name: 'ip_len', type: 'UInt16', data: (b, n) => bytes(b.ipLen, n * 2) },
  { name: 'icmp_type', type: 'UInt8', data: (b, n) => bytes(b.icmpType, n) },
  { name: 'icmp_code', type: 'UInt8', data: (b, n) => bytes(b.icmpCode, n) },
  { name: 'frag', type: 'UInt8', data: (b, n) => bytes(b.frag, n) },
  { name: 'wire_len', type: 'UInt32', data: (b, n) => bytes(b.wireLen, n * 4) },
  { name: 'cls', type: 'UInt8', data: (b, n) => bytes(b.cls, n) },
  { name: 'tags', type: 'UInt32', data: (b, n) => bytes(b.tags, n * 4) },
  { name: 'src_asn', type: 'UInt32', data: (_b, n, e) => bytes(e.asn, n * 4) },
  { name: 'src_country', type: 'FixedString(2)', data: (_b, n, e) => bytes(e.country, n * 2) },
];

requireLittleEndian('the Native encoder');

/** `name Type, …` of the block, for `file(…, 'Native', structure)`. */
export const NATIVE_STRUCTURE = COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');

/** The SELECT list that turns a block into darknet_ingest rows, in the table's column order. */
export function nativeSelectList(sensorLiteral: string): string {
  return DARKNET_PACKET_FIELDS.map((f) =>
    f.name === 'sensor' ? `${sensorLiteral} AS sensor`
      : f.name === 'src_country' ? "replaceAll(toString(src_country), '\\0', '') AS src_country"
        : f.name,
  ).join(', ');
}

export class PacketNativeEncoder {
  /** Int64 microseconds as pairs of 32-bit halves. */
  ts: Int32Array;
  asn: Uint32Array;
  country: Uint8Array;
  private readonly headers: Uint8Array[];

  constructor(private readonly enricher: SourceEnricher, capacity: number) {
    this.ts = new Int32Array(capacity * 2);
    this.asn = new Uint32Array(capacity);
    this.country = new Uint8Array(capacity * 2);
    this.headers = COLUMNS.map((c) => columnHeader(c.name, c.type));
  }

  encode(b: PacketBatch): NativeBlock {
    const n = b.length;
    const { ts, asn, country } = this;
    const en = this.enricher;
    for (let i = 0; i < n; i++) {
      const t = b.tsMicros[i] as number;
      const hi = Math.floor(t / 4294967296);
      ts[i * 2] = (t - hi * 4294967296) | 0;
      ts[i * 2 + 1] = hi;
      let cc: string;
      if (b.family[i] === 4) {
        const ip = b.src4[i] as number;
        asn[i] = en.asn4(ip);
        cc = en.country4(ip);
      } else {
        asn[i] = en.asn6(b.src16, i * 16);
        cc = en.country6(b.src16, i * 16);
      }
      country[i * 2] = cc.length > 0 ? cc.charCodeAt(0) & 0x7f : 0;
      country[i * 2 + 1] = cc.length > 1 ? cc.charCodeAt(1) & 0x7f : 0;
    }
    const chunks: Uint8Array[] = [varints(COLUMNS.length, n)];
    COLUMNS.forEach((c, k) => {
      chunks.push(this.headers[k] as Uint8Array, c.data(b, n, this));
    });
    return { chunks, rows: n };
  }
}

