/**
 * Tests only: the UDP payloads of a classic pcap file (the real captures in ../shared/data/flows),
 * found with the link-layer decoder of src/decode. Deliberately minimal (IPv4/IPv6 without
 * extension headers, no fragments): the flow-file reader is built elsewhere.
 */
import { readFileSync } from 'node:fs';
import { linkHeader } from '../../../decode/link.js';
import { u16be, u32le } from '../../../sources/record-parser.js';
import { formatIPv4, formatIPv6Bytes } from '../../../net/ip.js';

export interface UdpDatagram {
  readonly receivedAtMs: number;
  readonly exporter: string;
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
}

export function udpDatagrams(path: string): UdpDatagram[] {
  const f = new Uint8Array(readFileSync(path));
  if (u32le(f, 0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian microsecond pcap`);
  const linkType = u32le(f, 20);
  const out: UdpDatagram[] = [];
  for (let p = 24; p + 16 <= f.length;) {
    const receivedAtMs = u32le(f, p) * 1000 + Math.floor(u32le(f, p + 4) / 1000);
    const caplen = u32le(f, p + 8);
    const frame = p + 16;
    p = frame + caplen;
    const link = linkHeader(f, frame, caplen, linkType);
    if (link < 0) continue;
    const ip = frame + (link >>> 3);
    const version = (f[ip] as number) >>> 4;
    let udp: number;
    let exporter: string;
    if (version === 4 && f[ip + 9] === 17) {
      udp = ip + ((f[ip] as number) & 15) * 4;
      exporter = formatIPv4(((f[ip + 12] as number) * 16777216) + u16be(f, ip + 13) * 256 + (f[ip + 15] as number));
    } else if (version === 6 && f[ip + 6] === 17) {
      udp = ip + 40;
      exporter = formatIPv6Bytes(f, ip + 8);
    } else continue;
    const len = u16be(f, udp + 4);
    out.push({ receivedAtMs, exporter, sport: u16be(f, udp), dport: u16be(f, udp + 2), payload: f.slice(udp + 8, udp + len) });
  }
  return out;
}
