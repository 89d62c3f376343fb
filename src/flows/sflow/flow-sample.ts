/**
 * sFlow v5 flow samples (enterprise 0, format 1 compact and 3 expanded) into one FlowBatch
 * record each: the sampled packet's addresses, ports, protocol and TCP flags from a sampled IPv4
 * or IPv6 record (formats 3, 4) or else from the raw packet header (format 1, decoded by
 * decode/), octets = the sampled frame's length, packets = 1, sampling = the sample's rate,
 * AS numbers from the extended gateway record (1003). Other records (extended switch 1001,
 * router 1002, other enterprises) are skipped by their length.
 */
import { FLOW_KIND, FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { SflowDatagramContext } from './datagram-context.js';
import type { SampledHeaderDecoder } from './sampled-header.js';
import { afterOpaque, u32be } from './xdr.js';

const REC_RAW_HEADER = 1;
const REC_SAMPLED_IPV4 = 3;
const REC_SAMPLED_IPV6 = 4;
const REC_EXTENDED_GATEWAY = 1003;
/** Top two bits of a compact `interface`: 0 = an ifIndex in the low 30 bits (1 discarded, 2 several). */
const IF_VALUE_MASK = 0x3fffffff;

/** A flow sample's fixed part after its sequence and source id: rate, interfaces, record count, where records start. */
export interface FlowSampleHead {
  readonly rate: number;
  readonly inIf: number;
  readonly outIf: number;
  readonly records: number;
  readonly recordsAt: number;
}

/** The fields after the source id of a compact (format 1) or expanded (format 3) flow sample. */
export function flowSampleHead(d: Uint8Array, p: number, end: number, expanded: boolean): FlowSampleHead | null {
  // rate, pool, drops, then input/output (compact: one word each; expanded: format and value), record count.
  if (end - p < (expanded ? 32 : 24)) return null;
  const rate = u32be(d, p);
  if (expanded) {
    return {
      rate,
      inIf: u32be(d, p + 12) === 0 ? u32be(d, p + 16) : 0,
      outIf: u32be(d, p + 20) === 0 ? u32be(d, p + 24) : 0,
      records: u32be(d, p + 28),
      recordsAt: p + 32,
    };
  }
  const input = u32be(d, p + 12);
  const output = u32be(d, p + 16);
  return {
    rate,
    inIf: input >>> 30 === 0 ? input & IF_VALUE_MASK : 0,
    outIf: output >>> 30 === 0 ? output & IF_VALUE_MASK : 0,
    records: u32be(d, p + 20),
    recordsAt: p + 24,
  };
}

/** Decodes the records of one flow sample in `d[head.recordsAt, end)`; true when a record was stored. */
export function decodeFlowRecords(d: Uint8Array, head: FlowSampleHead, end: number, ctx: SflowDatagramContext): boolean {
  const { out, skips } = ctx;
  const i = out.begin();
  let fromIpRecord = false;
  let fromHeader = false;
  let headerFailed = false;
  let frameLength = -1;
  let ipLength = 0;
  /** Records cut or too short for their fields (each counted once as sflow-record-truncated). */
  let damaged = 0;
  let q = head.recordsAt;
  for (let r = 0; r < head.records; r++) {
    if (end - q < 8) {
      damaged++;
      break;
    }
    const format = u32be(d, q);
    const len = u32be(d, q + 4);
    const body = q + 8;
    if (len > end - body) {
      damaged++;
      break;
    }
    q = afterOpaque(body, len, end);
    if (format >>> 12 !== 0) continue; // another enterprise's record
    switch (format & 0xfff) {
      case REC_RAW_HEADER: {
        // header_protocol, frame_length, stripped, then the header as opaque data.
        const hl = len >= 16 ? u32be(d, body + 12) : 0;
        if (len < 16 || hl > len - 16) {
          damaged++;
          break;
        }
        frameLength = u32be(d, body + 4);
        if (fromIpRecord) break;
        if (ctx.header.decode(d, body + 16, hl, u32be(d, body))) {
          copyPacket(ctx.header, out, i);
          fromHeader = true;
        } else headerFailed = true;
        break;
      }
      case REC_SAMPLED_IPV4:
        // length, protocol, src, dst, src_port, dst_port, tcp_flags, tos.
        if (len < 32) {
          damaged++;
          break;
        }
        ipLength = u32be(d, body);
        out.family[i] = 4;
        FlowBatch.setV4(out.src16, i, u32be(d, body + 8));
        FlowBatch.setV4(out.dst16, i, u32be(d, body + 12));
        sampledTransport(d, body + 16, body + 4, out, i);
        fromIpRecord = true;
        break;
      case REC_SAMPLED_IPV6:
        // length, protocol, src (16), dst (16), src_port, dst_port, tcp_flags, priority.
        if (len < 56) {
          damaged++;
          break;
        }
        ipLength = u32be(d, body);
        out.family[i] = 6;
        FlowBatch.setV6(out.src16, i, d, body + 8);
        FlowBatch.setV6(out.dst16, i, d, body + 24);
        sampledTransport(d, body + 40, body + 4, out, i);
        fromIpRecord = true;
        break;
      case REC_EXTENDED_GATEWAY:
        if (!gateway(d, body, body + len, out, i, skips)) damaged++;
        break;
      default:
        break; // extended switch, router, … and formats we do not know: skipped by length
    }
  }
  if (damaged > 0) skips.add(FLOW_SKIP['sflow-record-truncated'], damaged);
  if (!fromIpRecord && !fromHeader) {
    // A sample whose packet record was damaged is counted once, as that damage.
    if (headerFailed) skips.add(FLOW_SKIP['sflow-header-undecodable']);
    else if (damaged === 0) skips.add(FLOW_SKIP['sflow-sample-without-packet']);
    return false;
  }
  let rate = head.rate;
  if (rate === 0) {
    skips.add(FLOW_SKIP['sampling-rate-zero']);
    rate = 1;
  }
  if (!ctx.rates.includes(rate)) ctx.rates.push(rate);
  out.kind[i] = FLOW_KIND.sflow5;
  out.exporter16.set(ctx.agent16, i * 16);
  out.domain[i] = ctx.subAgent;
  out.startMs[i] = ctx.receivedAtMs;
  out.endMs[i] = ctx.receivedAtMs;
  out.octets[i] = frameLength >= 0 ? frameLength : ipLength;
  out.packets[i] = 1;
  out.sampling[i] = rate;
  out.inIf[i] = head.inIf;
  out.outIf[i] = head.outIf;
  out.commit();
  return true;
}

/** protocol at `protoAt`; src_port, dst_port, tcp_flags at `p`. */
function sampledTransport(d: Uint8Array, p: number, protoAt: number, out: FlowBatch, i: number): void {
  out.proto[i] = u32be(d, protoAt) & 0xff;
  out.sport[i] = u32be(d, p) & 0xffff;
  out.dport[i] = u32be(d, p + 4) & 0xffff;
  out.tcpFlags[i] = u32be(d, p + 8) & 0xff;
}

function copyPacket(h: SampledHeaderDecoder, out: FlowBatch, i: number): void {
  const pk = h.packet;
  out.family[i] = pk.family[0] ?? 0;
  FlowBatch.setV6(out.src16, i, pk.src16, 0);
  FlowBatch.setV6(out.dst16, i, pk.dst16, 0);
  out.proto[i] = pk.proto[0] ?? 0;
  // ICMP: type × 256 + code as the destination port, as NetFlow v5 and the flow files carry it.
  const icmp = out.proto[i] === 1 || out.proto[i] === 58;
  out.sport[i] = icmp ? 0 : (pk.sport[0] ?? 0);
  out.dport[i] = icmp ? ((pk.icmpType[0] ?? 0) << 8) | (pk.icmpCode[0] ?? 0) : (pk.dport[0] ?? 0);
  out.tcpFlags[i] = pk.tcpFlags[0] ?? 0;
}

/**
 * Extended gateway (1003): next_hop (an address), as, src_as, src_peer_as, dst_as_path
 * (segments of type, count, ASNs), communities, localpref. As goflow2 and akvorado read it, a
 * source AS of 0 or an empty path means the router's own AS (the packet starts or ends here):
 * srcAs = src_as or as; dstAs = the last AS of the path or as.
 */
function gateway(d: Uint8Array, p: number, end: number, out: FlowBatch, i: number, skips: FlowSkipCounters): boolean {
  if (end - p < 4) return false;
  const type = u32be(d, p);
  const addrLen = type === 1 ? 4 : type === 2 ? 16 : type === 0 ? 0 : -1;
  if (addrLen < 0) {
    skips.add(FLOW_SKIP['sflow-bad-address-type']);
    return true; // counted as what it is, not as a cut record
  }
  let q = p + 4 + addrLen;
  if (end - q < 16) return false;
  const routerAs = u32be(d, q);
  const srcAs = u32be(d, q + 4);
  const segments = u32be(d, q + 12);
  q += 16;
  let lastAs = 0;
  for (let s = 0; s < segments; s++) {
    if (end - q < 8) return false;
    const n = u32be(d, q + 4);
    q += 8;
    if (n > (end - q) / 4) return false;
    if (n > 0) lastAs = u32be(d, q + (n - 1) * 4);
    q += n * 4;
  }
  out.srcAs[i] = srcAs !== 0 ? srcAs : routerAs;
  out.dstAs[i] = lastAs !== 0 ? lastAs : routerAs;
  return true;
}
