import { writeQuote, type PacketContext } from './packet-context.js';
import { ACK, OPT_MSS, OPT_NONE, PROTO_TCP, PROTO_UDP, RST, SYN } from './packet-bytes.js';

/**
 * Backscatter (Moore et al., 2006): replies of hosts that received packets with spoofed darknet
 * source addresses. A DoS victim replies with one vector per attack; low-volume backscatter
 * (a stray RST, a router's time exceeded …) uses the others too. Replies go to the spoofed
 * random high ports (a port permutation over 1024–65535).
 */
export const VEC_SYN_ACK = 0;
export const VEC_RST_ACK = 1;
export const VEC_ECHO_REPLY = 2;
export const VEC_PORT_UNREACH = 3;
export const VEC_DNS = 4;
export const VEC_RST = 5;
export const VEC_TIME_EXCEEDED = 6;
export const VEC_HOST_UNREACH = 7;
export const VEC_NTP = 8;
export const VEC_SOURCE_QUENCH = 9;
export const VEC_REDIRECT = 10;
export const VEC_PARAM_PROBLEM = 11;

export const VECTOR_NAMES = [
  'tcp-syn-ack', 'tcp-rst-ack', 'icmp-echo-reply', 'icmp-port-unreachable', 'udp-dns-response', 'tcp-rst',
  'icmp-time-exceeded', 'icmp-host-unreachable', 'udp-ntp-response', 'icmp-source-quench', 'icmp-redirect', 'icmp-parameter-problem',
] as const;

/** Vectors of attacks, and how often each occurs (SYN floods dominate). */
export const DOS_VECTOR_WEIGHTS = [0.45, 0.2, 0.15, 0.1, 0.1];
/** Low-volume backscatter vectors and weights. */
export const LOW_VECTOR_WEIGHTS = [0.2, 0.2, 0.08, 0.08, 0.06, 0.12, 0.12, 0.06, 0.04, 0.01, 0.02, 0.02];

export function vectorIsTcpOrUdp(v: number): boolean {
  return v === VEC_SYN_ACK || v === VEC_RST_ACK || v === VEC_RST || v === VEC_DNS || v === VEC_NTP;
}

const DNS_RESPONSE = Uint8Array.from(Buffer.from('000081800001000100000000037777770765786d61706c6503636f6d0000010001c00c000100010000012c0004c6336401', 'hex'));
const NTP_RESPONSE = (() => {
  const a = new Uint8Array(48);
  a[0] = 0x24; a[1] = 2; a[2] = 6; a[3] = 0xe9;
  return a;
})();

export function writeBackscatter(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const src = st.src4[s] as number;
  const dst = c.darknet.dst4(rng);
  const ttl = st.ttl[s] as number;
  const svc = st.service[s] as number;
  const id = st.ipId[s] as number;
  st.ipId[s] = (id + 1) & 0xffff;
  const v = st.variant[s] as number;
  switch (v) {
    case VEC_SYN_ACK:
      return c.tcp4(b, o, src, dst, id, true, ttl, svc, c.nextPort(s, 0), rng.u32(), rng.u32(), SYN | ACK, st.window[s] as number, OPT_MSS);
    case VEC_RST_ACK:
      return c.tcp4(b, o, src, dst, id, true, ttl, svc, c.nextPort(s, 0), 0, rng.u32(), RST | ACK, 0, OPT_NONE);
    case VEC_RST:
      return c.tcp4(b, o, src, dst, id, true, ttl, svc, c.nextPort(s, 0), rng.u32(), 0, RST, 0, OPT_NONE);
    case VEC_DNS: {
      DNS_RESPONSE[0] = rng.u32() & 255;
      DNS_RESPONSE[1] = rng.u32() & 255;
      return c.udp4(b, o, src, dst, id, ttl, 53, c.nextPort(s, 0), DNS_RESPONSE);
    }
    case VEC_NTP:
      return c.udp4(b, o, src, dst, id, ttl, 123, c.nextPort(s, 0), NTP_RESPONSE);
    case VEC_ECHO_REPLY: {
      c.nextPort(s, 0);
      const body = c.icmpBody(o);
      for (let i = 0; i < 32; i++) b[body + i] = 0x61 + (i % 23);
      return c.icmp4(b, o, src, dst, id, ttl, 0, 0, rng.u32(), 32);
    }
    default:
      return writeIcmpError(c, b, o, s, v, src, dst, id, ttl, svc);
  }
}

/** ICMP errors quote the IPv4 header and first 8 bytes of the packet that caused them. */
function writeIcmpError(c: PacketContext, b: Uint8Array, o: number, s: number, v: number, src: number, dst: number, id: number, ttl: number, svc: number): number {
  const { rng } = c;
  c.nextPort(s, 0);
  const body = c.icmpBody(o);
  const hiPort = rng.range(1024, 65535);
  // The spoofed packet went from the darknet address to the victim, or to a host behind a router.
  const behind = ((src & 0xffff0000) | (rng.u32() & 0xfffe) | 1) >>> 0;
  let type = 3;
  let code = 3;
  let rest = 0;
  if (v === VEC_PORT_UNREACH) {
    writeQuote(b, body, dst, src, PROTO_UDP, rng.range(40, 250), rng.u32() & 0xffff, hiPort, svc, 0);
  } else if (v === VEC_HOST_UNREACH) {
    code = rng.float() < 0.7 ? 1 : 13;
    writeQuote(b, body, dst, behind, PROTO_TCP, rng.range(40, 250), rng.u32() & 0xffff, hiPort, svc, rng.u32());
  } else if (v === VEC_TIME_EXCEEDED) {
    type = 11; code = 0;
    writeQuote(b, body, dst, behind, PROTO_TCP, 1, rng.u32() & 0xffff, hiPort, svc, rng.u32());
  } else if (v === VEC_SOURCE_QUENCH) {
    type = 4; code = 0;
    writeQuote(b, body, dst, src, PROTO_UDP, rng.range(40, 250), rng.u32() & 0xffff, hiPort, svc, 0);
  } else if (v === VEC_REDIRECT) {
    type = 5; code = 1; rest = (src + 1) >>> 0; // the better gateway
    writeQuote(b, body, dst, behind, PROTO_TCP, rng.range(40, 250), rng.u32() & 0xffff, hiPort, svc, rng.u32());
  } else {
    type = 12; code = 0; rest = (20 << 24) >>> 0; // pointer to the offending octet
    writeQuote(b, body, dst, src, PROTO_TCP, rng.range(40, 250), rng.u32() & 0xffff, hiPort, svc, rng.u32());
  }
  return c.icmp4(b, o, src, dst, id, ttl, type, code, rest, 28);
}
