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

/** A classic little-endian pcap's file header and its records (record header and frame) as they are. */
export function pcapRecords(path: string): { header: Uint8Array; records: Uint8Array[]; linkType: number } {
  const f = new Uint8Array(readFileSync(path));
  if (u32le(f, 0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian microsecond pcap`);
  const records: Uint8Array[] = [];
  for (let p = 24; p + 16 <= f.length;) {
    const end = p + 16 + u32le(f, p + 8);
    records.push(f.subarray(p, end));
    p = end;
  }
  return { header: f.subarray(0, 24), records, linkType: u32le(f, 20) };
}

export function udpDatagrams(path: string): UdpDatagram[] {
  const { records, linkType } = pcapRecords(path);
  const out: UdpDatagram[] = [];
  for (const r of records) {
    const receivedAtMs = u32le(r, 0) * 1000 + Math.floor(u32le(r, 4) / 1000);
    const caplen = r.length - 16;
    const link = linkHeader(r, 16, caplen, linkType);
    if (link < 0) continue;
    const ip = 16 + (link >>> 3);
    const version = (r[ip] as number) >>> 4;
    let udp: number;
    let exporter: string;
    if (version === 4 && r[ip + 9] === 17) {
      udp = ip + ((r[ip] as number) & 15) * 4;
      exporter = formatIPv4(((r[ip + 12] as number) * 16777216) + u16be(r, ip + 13) * 256 + (r[ip + 15] as number));
    } else if (version === 6 && r[ip + 6] === 17) {
      udp = ip + 40;
      exporter = formatIPv6Bytes(r, ip + 8);
    } else continue;
    const len = u16be(r, udp + 4);
    out.push({ receivedAtMs, exporter, sport: u16be(r, udp), dport: u16be(r, udp + 2), payload: r.slice(udp + 8, udp + len) });
  }
  return out;
}
