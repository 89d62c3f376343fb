import {
  FRAG_FIRST, FRAG_IS_FRAGMENT, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP,
  TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG, type PacketBatch,
} from '../decode/packet-batch.js';

/**
 * Per-packet class of darknet traffic. A darknet answers nothing, so a packet is either a probe
 * (scan), a reply to a packet that someone else sent with a spoofed darknet source
 * (backscatter, Moore et al. 2006), or something else (misconfiguration, stray fragments).
 */
export const CLASS_OTHER = 0;
export const CLASS_SCAN = 1;
export const CLASS_BACKSCATTER = 2;
export const CLASS_NAMES = ['other', 'scan', 'backscatter'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

export interface ClassifyOptions {
  /** UDP source ports whose packets are replies (DNS, NTP, SNMP, SSDP, memcached …). */
  udpBackscatterSourcePorts: readonly number[];
}


// ICMP types (RFC 792) and ICMPv6 types (RFC 4443).
const ICMP_ECHO_REPLY = 0;
const ICMP_UNREACH = 3;
const ICMP_SOURCE_QUENCH = 4;
const ICMP_REDIRECT = 5;
const ICMP_ECHO = 8;
const ICMP_TIME_EXCEEDED = 11;
const ICMP_PARAM_PROBLEM = 12;
const ICMP_TIMESTAMP = 13;
const ICMP_TIMESTAMP_REPLY = 14;
const ICMP6_ECHO = 128;
const ICMP6_ECHO_REPLY = 129;

/** Classifies every packet of the batch in place (`batch.cls`). */
export function classifyBatch(batch: PacketBatch, opts: ClassifyOptions): void {
  const replyPort = new Uint8Array(65536);
  for (const p of opts.udpBackscatterSourcePorts) replyPort[p] = 1;
  const { proto, tcpFlags, sport, icmpType, frag, cls } = batch;
  for (let i = 0; i < batch.length; i++) {
    if ((frag[i] & FRAG_IS_FRAGMENT) !== 0 && (frag[i] & FRAG_FIRST) === 0) {
      cls[i] = CLASS_OTHER; // no transport header to judge by
      continue;
    }
    const p = proto[i];
    if (p === PROTO_TCP) cls[i] = tcpClass(tcpFlags[i]);
    else if (p === PROTO_UDP) cls[i] = replyPort[sport[i]] === 1 ? CLASS_BACKSCATTER : CLASS_SCAN;
    else if (p === PROTO_ICMP) cls[i] = icmpClass(icmpType[i]);
    else if (p === PROTO_ICMPV6) cls[i] = icmp6Class(icmpType[i]);
    else cls[i] = CLASS_OTHER;
  }
}

export function tcpClass(flags: number): number {
  if ((flags & TCP_RST) !== 0) return CLASS_BACKSCATTER;
  if ((flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) return CLASS_BACKSCATTER;
  if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) return CLASS_SCAN;
  // Stealth scans: NULL, FIN and Xmas probes.
  const low = flags & (TCP_FIN | TCP_SYN | TCP_RST | TCP_PSH | TCP_ACK | TCP_URG);
  if (low === 0 || low === TCP_FIN || low === (TCP_FIN | TCP_PSH | TCP_URG)) return CLASS_SCAN;
  return CLASS_OTHER;
}

export function icmpClass(type: number): number {
  if (type === ICMP_ECHO || type === ICMP_TIMESTAMP) return CLASS_SCAN;
  if (
    type === ICMP_ECHO_REPLY || type === ICMP_UNREACH || type === ICMP_SOURCE_QUENCH || type === ICMP_REDIRECT ||
    type === ICMP_TIME_EXCEEDED || type === ICMP_PARAM_PROBLEM || type === ICMP_TIMESTAMP_REPLY
  ) return CLASS_BACKSCATTER;
  return CLASS_OTHER;
}

export function icmp6Class(type: number): number {
  if (type === ICMP6_ECHO) return CLASS_SCAN;
  if (type === ICMP6_ECHO_REPLY || (type >= 1 && type <= 4)) return CLASS_BACKSCATTER;
  return CLASS_OTHER;
}
