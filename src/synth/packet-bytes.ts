/**
 * Header writers that put bytes straight into the capture buffer. Each returns the offset after
 * what it wrote; checksums are real (a darknet sensor sees valid packets, and decoders may check).
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

// Sensor (locally administered) and upstream router MACs: one link, like a real telescope port.
const SENSOR_MAC = [0x02, 0x53, 0x4b, 0x4d, 0x00, 0x01];
const ROUTER_MAC = [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10];

export function writeEthernet(b: Uint8Array, o: number, etherType: number): number {
  for (let i = 0; i < 6; i++) { b[o + i] = SENSOR_MAC[i] as number; b[o + 6 + i] = ROUTER_MAC[i] as number; }
  b[o + 12] = etherType >>> 8;
  b[o + 13] = etherType & 255;
  return o + 14;
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8; b[o + 1] = v;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = v >>> 16; b[o + 2] = v >>> 8; b[o + 3] = v;
}

/** Sum of big-endian 16-bit words over [start, end); an odd last byte is padded with zero. */
export function sum16(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  let i = start;
  for (; i + 1 < end; i += 2) s += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (i < end) s += (b[i] as number) << 8;
  return s;
}

export function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** IPv4 header without options; `ipLen` is the total length. The checksum is filled in. */
export function writeIpv4(b: Uint8Array, o: number, ipLen: number, id: number, df: boolean, ttl: number, proto: number, src: number, dst: number): number {
  b[o] = 0x45; b[o + 1] = 0;
  put16(b, o + 2, ipLen);
  put16(b, o + 4, id);
  b[o + 6] = df ? 0x40 : 0; b[o + 7] = 0;
  b[o + 8] = ttl; b[o + 9] = proto;
  b[o + 10] = 0; b[o + 11] = 0;
  put32(b, o + 12, src);
  put32(b, o + 16, dst);
  put16(b, o + 10, fold(sum16(b, o, o + 20)));
  return o + 20;
}

/** IPv6 header; addresses are copied from 16-byte arrays. */
export function writeIpv6(b: Uint8Array, o: number, payloadLen: number, next: number, hopLimit: number, flow: number, src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number): number {
  b[o] = 0x60; b[o + 1] = (flow >>> 16) & 0x0f; b[o + 2] = flow >>> 8; b[o + 3] = flow;
  put16(b, o + 4, payloadLen);
  b[o + 6] = next; b[o + 7] = hopLimit;
  for (let i = 0; i < 16; i++) { b[o + 8 + i] = src[srcOff + i] as number; b[o + 24 + i] = dst[dstOff + i] as number; }
  return o + 40;
}

/** Pseudo-header sum for a transport checksum, read back from the IP header at `ip`. */
export function pseudoSum(b: Uint8Array, ip: number, proto: number, l4Len: number): number {
  if (((b[ip] as number) >>> 4) === 4) return sum16(b, ip + 12, ip + 20) + proto + l4Len;
  return sum16(b, ip + 8, ip + 40) + proto + l4Len;
}

/** Stores the transport checksum at `l4 + at` over [l4, l4 + len). */
export function finishChecksum(b: Uint8Array, ip: number, l4: number, len: number, proto: number, at: number): void {
  b[l4 + at] = 0; b[l4 + at + 1] = 0;
  const s = (proto === PROTO_ICMP ? 0 : pseudoSum(b, ip, proto, len)) + sum16(b, l4, l4 + len);
  let c = fold(s);
  if (c === 0 && proto === PROTO_UDP) c = 0xffff; // 0 means "no checksum" in UDP
  put16(b, l4 + at, c);
}

/** TCP options we write: none, MSS only (tools), or the Linux SYN set (MSS, SACK, timestamps, window scale). */
export const OPT_NONE = 0;
export const OPT_MSS = 1;
export const OPT_LINUX = 2;
export const OPTION_BYTES = [0, 4, 20] as const;

/** TCP header with options; the checksum is done by the caller once the IP header is in place. */
export function writeTcp(b: Uint8Array, o: number, sport: number, dport: number, seq: number, ack: number, flags: number, window: number, opts: number, tsval: number): number {
  const optLen = OPTION_BYTES[opts] as number;
  put16(b, o, sport);
  put16(b, o + 2, dport);
  put32(b, o + 4, seq);
  put32(b, o + 8, ack);
  b[o + 12] = ((20 + optLen) / 4) << 4;
  b[o + 13] = flags;
  put16(b, o + 14, window);
  b[o + 16] = 0; b[o + 17] = 0; b[o + 18] = 0; b[o + 19] = 0;
  const p = o + 20;
  if (opts !== OPT_NONE) {
    b[p] = 2; b[p + 1] = 4; put16(b, p + 2, 1460);
  }
  if (opts === OPT_LINUX) {
    b[p + 4] = 4; b[p + 5] = 2; // SACK permitted
    b[p + 6] = 8; b[p + 7] = 10; put32(b, p + 8, tsval); put32(b, p + 12, 0);
    b[p + 16] = 1; b[p + 17] = 3; b[p + 18] = 3; b[p + 19] = 7; // NOP, window scale 7
  }
  return p + optLen;
}

export function writeUdp(b: Uint8Array, o: number, sport: number, dport: number, payload: Uint8Array): number {
  put16(b, o, sport);
  put16(b, o + 2, dport);
  put16(b, o + 4, 8 + payload.length);
  b.set(payload, o + 8);
  return o + 8 + payload.length;
}

/** Pads an Ethernet frame to the 60-byte minimum, as a receiving NIC hands it over (FCS stripped). */
export function padEthernet(b: Uint8Array, start: number, end: number): number {
  const min = start + 60;
  for (let i = end; i < min; i++) b[i] = 0;
  return end < min ? min : end;
}
