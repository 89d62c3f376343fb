/**
 * The darknet packet event, declared once: ClickHouse column, type and meaning. The ingest
 * table DDL and the RowBinary encoder's column order both come from this list (a test checks
 * the encoder against it).
 */
export interface FieldDef {
  readonly name: string;
  readonly ch: string;
  readonly codec?: string;
  readonly doc: string;
}

export const DARKNET_PACKET_FIELDS: readonly FieldDef[] = [
  { name: 'ts', ch: "DateTime64(6, 'UTC')", codec: 'CODEC(Delta, ZSTD(1))', doc: 'capture time, microseconds' },
  { name: 'sensor', ch: 'LowCardinality(String)', doc: 'name of the telescope sensor that saw the packet' },
  { name: 'family', ch: 'UInt8', doc: '4 or 6' },
  { name: 'src', ch: 'IPv6', doc: 'source address (IPv4 as ::ffff:a.b.c.d)' },
  { name: 'dst', ch: 'IPv6', doc: 'darknet address that received the packet' },
  { name: 'proto', ch: 'UInt8', doc: 'IP protocol of the transport' },
  { name: 'sport', ch: 'UInt16', doc: 'source port (TCP/UDP)' },
  { name: 'dport', ch: 'UInt16', doc: 'destination port (TCP/UDP)' },
  { name: 'tcp_flags', ch: 'UInt8', doc: 'TCP flags byte' },
  { name: 'tcp_seq', ch: 'UInt32', doc: 'TCP sequence number' },
  { name: 'tcp_ack', ch: 'UInt32', doc: 'TCP acknowledgement number' },
  { name: 'tcp_window', ch: 'UInt16', doc: 'TCP window' },
  { name: 'ip_id', ch: 'UInt32', doc: 'IPv4 identification or IPv6 fragment identification' },
  { name: 'ttl', ch: 'UInt8', doc: 'IPv4 TTL or IPv6 hop limit' },
  { name: 'ip_len', ch: 'UInt16', doc: 'IP total length' },
  { name: 'icmp_type', ch: 'UInt8', doc: 'ICMP or ICMPv6 type' },
  { name: 'icmp_code', ch: 'UInt8', doc: 'ICMP or ICMPv6 code' },
  { name: 'frag', ch: 'UInt8', doc: 'fragment bits: 1 fragment, 2 first, 4 more follow' },
  { name: 'wire_len', ch: 'UInt32', doc: 'frame length on the wire' },
  { name: 'cls', ch: 'UInt8', doc: 'packet class: 0 other, 1 scan, 2 backscatter' },
  { name: 'tags', ch: 'UInt32', doc: 'bit i set when fingerprint bit i matched this packet' },
  { name: 'src_asn', ch: 'UInt32', doc: 'origin AS of the source (0 unknown)' },
  { name: 'src_country', ch: 'LowCardinality(String)', doc: 'ISO country of the source' },
];

/** Column list for CREATE TABLE. */
export function packetColumnsDdl(): string {
  return DARKNET_PACKET_FIELDS.map((f) => `  ${f.name} ${f.ch}${f.codec ? ` ${f.codec}` : ''}`).join(',\n');
}

/** Structure string for file()/input() readers of the RowBinary batches. */
export function packetStructure(): string {
  return DARKNET_PACKET_FIELDS.map((f) => `${f.name} ${f.ch}`).join(', ');
}
