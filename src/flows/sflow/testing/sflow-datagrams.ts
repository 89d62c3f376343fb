/**
 * Builders of sFlow v5 datagrams for test vectors, written from the specification
 * (sflow.org/sflow_version_5.txt, XDR encoding): every structure as 32-bit big-endian words,
 * opaque data with its length and padded to 4 bytes.
 */
import { bytes, ip4, ip6 } from '../../../sources/testing/frames.js';

export const word = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
export const hyper = (v: number): number[] => [...word(Math.floor(v / 4294967296)), ...word(v >>> 0)];

/** opaque<>: a length, the bytes, zero padding to a multiple of 4. */
export function opaque(data: Uint8Array): Uint8Array {
  return bytes(word(data.length), data, new Array((4 - (data.length % 4)) % 4).fill(0));
}

/** An sFlow `address`: type 1 (IPv4) or 2 (IPv6), then the address. */
export function address(a: string): number[] {
  return a.includes(':') ? [...word(2), ...ip6(a)] : [...word(1), ...ip4(a)];
}

/** A flow or counter record, or a sample: data_format (enterprise << 12 | format) and opaque data. */
export function tagged(format: number, body: Uint8Array, enterprise = 0): Uint8Array {
  return bytes(word(((enterprise << 12) | format) >>> 0), opaque(body));
}

export function datagram(o: { agent: string; subAgent?: number; sequence?: number; uptimeMs?: number; samples: Uint8Array[]; numSamples?: number }): Uint8Array {
  return bytes(word(5), address(o.agent), word(o.subAgent ?? 0), word(o.sequence ?? 1), word(o.uptimeMs ?? 1000),
    word(o.numSamples ?? o.samples.length), ...o.samples);
}

export interface FlowSampleOptions {
  sequence?: number;
  sourceType?: number;
  sourceIndex?: number;
  rate?: number;
  pool?: number;
  drops?: number;
  /** Compact samples: the raw `interface` words (format in the top two bits). */
  input?: number;
  output?: number;
  /** Expanded samples: interface_expanded format and value. */
  inputFormat?: number;
  outputFormat?: number;
  records: Uint8Array[];
}

/** A flow sample (format 1) or an expanded flow sample (format 3). */
export function flowSample(o: FlowSampleOptions, expanded = false): Uint8Array {
  const type = o.sourceType ?? 0;
  const index = o.sourceIndex ?? 1;
  const source = expanded ? [...word(type), ...word(index)] : word(((type << 24) | (index & 0xffffff)) >>> 0);
  const ifs = expanded
    ? [...word(o.inputFormat ?? 0), ...word(o.input ?? 0), ...word(o.outputFormat ?? 0), ...word(o.output ?? 0)]
    : [...word(o.input ?? 0), ...word(o.output ?? 0)];
  const body = bytes(word(o.sequence ?? 1), source, word(o.rate ?? 1), word(o.pool ?? 0), word(o.drops ?? 0), ifs, word(o.records.length), ...o.records);
  return tagged(expanded ? 3 : 1, body);
}

/** A counter sample (format 2) or an expanded one (format 4). */
export function counterSample(o: { sequence?: number; sourceType?: number; sourceIndex?: number; records: Uint8Array[] }, expanded = false): Uint8Array {
  const type = o.sourceType ?? 0;
  const index = o.sourceIndex ?? 1;
  const source = expanded ? [...word(type), ...word(index)] : word(((type << 24) | (index & 0xffffff)) >>> 0);
  return tagged(expanded ? 4 : 2, bytes(word(o.sequence ?? 1), source, word(o.records.length), ...o.records));
}

/** Raw packet header (flow record 1): header_protocol, frame_length, stripped, header<>. */
export function rawHeader(protocol: number, frameLength: number, header: Uint8Array, stripped = 4): Uint8Array {
  return tagged(1, bytes(word(protocol), word(frameLength), word(stripped), opaque(header)));
}

/** Sampled IPv4 (flow record 3). */
export function sampledIPv4(o: { length: number; proto: number; src: string; dst: string; sport: number; dport: number; tcpFlags?: number; tos?: number }): Uint8Array {
  return tagged(3, bytes(word(o.length), word(o.proto), ip4(o.src), ip4(o.dst), word(o.sport), word(o.dport), word(o.tcpFlags ?? 0), word(o.tos ?? 0)));
}

/** Sampled IPv6 (flow record 4). */
export function sampledIPv6(o: { length: number; proto: number; src: string; dst: string; sport: number; dport: number; tcpFlags?: number; priority?: number }): Uint8Array {
  return tagged(4, bytes(word(o.length), word(o.proto), ip6(o.src), ip6(o.dst), word(o.sport), word(o.dport), word(o.tcpFlags ?? 0), word(o.priority ?? 0)));
}

/** Extended switch (flow record 1001): src VLAN, src priority, dst VLAN, dst priority. */
export function extendedSwitch(vlan: number): Uint8Array {
  return tagged(1001, bytes(word(vlan), word(0), word(vlan), word(0)));
}

/** Extended gateway (flow record 1003): next hop, as, src_as, src_peer_as, dst_as_path segments, communities, localpref. */
export function extendedGateway(o: { nextHop?: string; as: number; srcAs: number; peerAs?: number; path?: number[][]; communities?: number[] }): Uint8Array {
  const path = o.path ?? [];
  const segments = path.flatMap((seg) => [...word(2), ...word(seg.length), ...seg.flatMap(word)]); // 2 = AS_SEQUENCE
  const communities = o.communities ?? [];
  return tagged(1003, bytes(address(o.nextHop ?? '0.0.0.0'), word(o.as), word(o.srcAs), word(o.peerAs ?? 0), word(path.length), segments,
    word(communities.length), communities.flatMap(word), word(100)));
}

export interface GenericCounters {
  ifIndex: number; ifType: number; ifSpeed: number; ifDirection: number; ifStatus: number;
  inOctets: number; inUcastPkts: number; inMulticastPkts: number; inBroadcastPkts: number; inDiscards: number; inErrors: number; inUnknownProtos: number;
  outOctets: number; outUcastPkts: number; outMulticastPkts: number; outBroadcastPkts: number; outDiscards: number; outErrors: number; promiscuousMode: number;
}

/** Generic interface counters (counter record 1), 88 bytes. */
export function genericCounters(c: GenericCounters): Uint8Array {
  return tagged(1, bytes(word(c.ifIndex), word(c.ifType), hyper(c.ifSpeed), word(c.ifDirection), word(c.ifStatus), hyper(c.inOctets),
    word(c.inUcastPkts), word(c.inMulticastPkts), word(c.inBroadcastPkts), word(c.inDiscards), word(c.inErrors), word(c.inUnknownProtos),
    hyper(c.outOctets), word(c.outUcastPkts), word(c.outMulticastPkts), word(c.outBroadcastPkts), word(c.outDiscards), word(c.outErrors),
    word(c.promiscuousMode)));
}
