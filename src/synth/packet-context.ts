import type { DarknetSpace } from './darknet-space.js';
import {
  ETHERTYPE_IPV4, ETHERTYPE_IPV6, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP,
  finishChecksum, put16, put32, writeEthernet, writeIpv4, writeIpv6, writeTcp, writeUdp,
} from './packet-bytes.js';
import type { Rng } from './rng.js';
import { PORTS_PERMUTATION, PORTS_SET, PORT_STEP, type Streams } from './streams.js';

/**
 * What a kind writer needs, and what it reports about the packet it wrote (protocol, destination
 * port as the report counts it, and whether this source hits that port for the first time).
 * One instance per run: writers set its fields instead of returning objects.
 */
export class PacketContext {
  proto = 0;
  port = 0;
  newPair = false;
  readonly dst6 = new Uint8Array(16);

  constructor(
    readonly rng: Rng,
    readonly st: Streams,
    readonly darknet: DarknetSpace,
    readonly ethernet: boolean,
    /** ZMap's fixed IP ID 54321 is in use (capture day before 2024-03-01). */
    readonly zmapFixedId: boolean,
  ) {}

  /** Link header, if any; returns where the IP header starts. */
  link(b: Uint8Array, o: number, etherType: number): number {
    return this.ethernet ? writeEthernet(b, o, etherType) : o;
  }

  /** The next destination port of stream `s`; `pick` chooses within a port set. */
  nextPort(s: number, pick: number): number {
    const st = this.st;
    if (st.portMode[s] === PORTS_SET) {
      const bit = 1 << pick;
      this.newPair = ((st.portMask[s] as number) & bit) === 0;
      st.portMask[s] = (st.portMask[s] as number) | bit;
      return st.portPool[(st.portStart[s] as number) + pick] as number;
    }
    if (st.portMode[s] === PORTS_PERMUTATION) {
      const k = st.sent[s] as number;
      const m = st.portLen[s] as number;
      this.newPair = k < m;
      return (st.portLo[s] as number) + (((st.portStart[s] as number) + k * PORT_STEP) % m);
    }
    this.newPair = st.sent[s] === 0;
    return 0;
  }

  /** A uniformly chosen index into stream `s`'s port set. */
  anyPick(s: number): number {
    return this.rng.int(this.st.portLen[s] as number);
  }

  tcp4(b: Uint8Array, o: number, src: number, dst: number, id: number, df: boolean, ttl: number,
    sport: number, dport: number, seq: number, ack: number, flags: number, win: number, opts: number): number {
    const ip = this.link(b, o, ETHERTYPE_IPV4);
    const l4 = ip + 20;
    const end = writeTcp(b, l4, sport, dport, seq, ack, flags, win, opts, this.rng.u32());
    writeIpv4(b, ip, end - ip, id, df, ttl, PROTO_TCP, src, dst);
    finishChecksum(b, ip, l4, end - l4, PROTO_TCP, 16);
    this.proto = PROTO_TCP;
    this.port = dport;
    return end;
  }

  tcp6(b: Uint8Array, o: number, s: number, hop: number, sport: number, dport: number, seq: number, flags: number, win: number, opts: number): number {
    const ip = this.link(b, o, ETHERTYPE_IPV6);
    const l4 = ip + 40;
    const end = writeTcp(b, l4, sport, dport, seq, 0, flags, win, opts, this.rng.u32());
    this.darknet.dst6(this.rng, this.dst6, 0);
    writeIpv6(b, ip, end - l4, PROTO_TCP, hop, this.rng.u32() & 0xfffff, this.st.src6, 16 * (this.st.src4[s] as number), this.dst6, 0);
    finishChecksum(b, ip, l4, end - l4, PROTO_TCP, 16);
    this.proto = PROTO_TCP;
    this.port = dport;
    return end;
  }

  udp4(b: Uint8Array, o: number, src: number, dst: number, id: number, ttl: number, sport: number, dport: number, payload: Uint8Array): number {
    const ip = this.link(b, o, ETHERTYPE_IPV4);
    const l4 = ip + 20;
    const end = writeUdp(b, l4, sport, dport, payload);
    writeIpv4(b, ip, end - ip, id, false, ttl, PROTO_UDP, src, dst);
    finishChecksum(b, ip, l4, end - l4, PROTO_UDP, 6);
    this.proto = PROTO_UDP;
    this.port = dport;
    return end;
  }

  /**
   * ICMP message: type, code, the 4-byte rest of header, then `body` bytes already written by
   * the caller at l4 + 8 (use `icmpBody`). The report counts ICMP under port 0.
   */
  icmp4(b: Uint8Array, o: number, src: number, dst: number, id: number, ttl: number, type: number, code: number, rest: number, bodyLen: number): number {
    const ip = this.link(b, o, ETHERTYPE_IPV4);
    const l4 = ip + 20;
    b[l4] = type; b[l4 + 1] = code;
    put32(b, l4 + 4, rest);
    const end = l4 + 8 + bodyLen;
    writeIpv4(b, ip, end - ip, id, false, ttl, PROTO_ICMP, src, dst);
    finishChecksum(b, ip, l4, end - l4, PROTO_ICMP, 2);
    this.proto = PROTO_ICMP;
    this.port = 0;
    return end;
  }

  /** Where the ICMP body starts for a frame at `o` (callers fill it before `icmp4`). */
  icmpBody(o: number): number {
    return (this.ethernet ? o + 14 : o) + 28;
  }

  echo6(b: Uint8Array, o: number, s: number, hop: number, ident: number, seq: number, payloadLen: number): number {
    const ip = this.link(b, o, ETHERTYPE_IPV6);
    const l4 = ip + 40;
    b[l4] = 128; b[l4 + 1] = 0;
    put16(b, l4 + 4, ident);
    put16(b, l4 + 6, seq);
    for (let i = 0; i < payloadLen; i++) b[l4 + 8 + i] = 0x61 + (i % 23);
    const end = l4 + 8 + payloadLen;
    this.darknet.dst6(this.rng, this.dst6, 0);
    writeIpv6(b, ip, end - l4, PROTO_ICMPV6, hop, 0, this.st.src6, 16 * (this.st.src4[s] as number), this.dst6, 0);
    finishChecksum(b, ip, l4, end - l4, PROTO_ICMPV6, 2);
    this.proto = PROTO_ICMPV6;
    this.port = 0;
    return end;
  }
}

/** Writes the quoted IPv4 header + first 8 transport bytes of the packet an ICMP error is about. */
export function writeQuote(b: Uint8Array, at: number, src: number, dst: number, proto: number, ttl: number, id: number, sport: number, dport: number, seq: number): number {
  const inner = proto === PROTO_UDP ? 28 + 12 : 40;
  writeIpv4(b, at, inner, id, false, ttl, proto, src, dst);
  put16(b, at + 20, sport);
  put16(b, at + 22, dport);
  if (proto === PROTO_UDP) { put16(b, at + 24, inner - 20); put16(b, at + 26, 0); } else put32(b, at + 24, seq);
  return 28;
}
