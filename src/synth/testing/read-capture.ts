import { gunzipSync } from 'node:zlib';

/** A decoded packet, for tests only (objects per packet are fine here). */
export interface TestPacket {
  micros: number;
  family: 4 | 6;
  src: string;
  dst: string;
  dst4: number;
  proto: number;
  ttl: number;
  ipId: number;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  window: number;
  icmpType: number;
  checksumsOk: boolean;
}

function sum16(b: Buffer, s: number, e: number): number {
  let x = 0;
  for (let i = s; i + 1 < e; i += 2) x += b.readUInt16BE(i);
  if ((e - s) % 2 === 1) x += (b[e - 1] as number) << 8;
  return x;
}
function ok(sum: number): boolean {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** Reads a pcap or pcapng capture (gzip allowed) written by our writer. */
export function readCapture(input: Buffer): { linkType: number; nano: boolean; packets: TestPacket[] } {
  const buf = input[0] === 0x1f && input[1] === 0x8b ? gunzipSync(input) : input;
  const out: TestPacket[] = [];
  if (buf.readUInt32LE(0) === 0x0a0d0d0a) {
    const le = buf.readUInt32LE(8) === 0x1a2b3c4d;
    const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    let p = 0;
    let linkType = 0;
    let nano = false;
    while (p < buf.length) {
      const type = u32(p);
      const len = u32(p + 4);
      if (type === 1) {
        linkType = le ? buf.readUInt16LE(p + 8) : buf.readUInt16BE(p + 8);
        nano = len > 20 && (le ? buf.readUInt16LE(p + 16) : buf.readUInt16BE(p + 16)) === 9 && buf[p + 20] === 9;
      } else if (type === 6) {
        const ts = (BigInt(u32(p + 12)) << 32n) | BigInt(u32(p + 16));
        const micros = Number(nano ? ts / 1000n : ts);
        out.push(decode(buf.subarray(p + 28, p + 28 + u32(p + 20)), linkType, micros));
      }
      p += len;
    }
    return { linkType, nano, packets: out };
  }
  const magicLe = buf.readUInt32LE(0);
  const le = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const nano = u32(0) === 0xa1b23c4d;
  const linkType = u32(20);
  for (let p = 24; p < buf.length;) {
    const micros = u32(p) * 1e6 + (nano ? Math.floor(u32(p + 4) / 1000) : u32(p + 4));
    const cap = u32(p + 8);
    out.push(decode(buf.subarray(p + 16, p + 16 + cap), linkType, micros));
    p += 16 + cap;
  }
  return { linkType, nano, packets: out };
}

function ip6(b: Buffer, o: number): string {
  const g: string[] = [];
  for (let i = 0; i < 8; i++) g.push(b.readUInt16BE(o + i * 2).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:::+/, '::');
}

function decode(f: Buffer, linkType: number, micros: number): TestPacket {
  const ip = linkType === 1 ? 14 : 0;
  const v = (f[ip] as number) >> 4;
  const p: TestPacket = { micros, family: v === 6 ? 6 : 4, src: '', dst: '', dst4: 0, proto: 0, ttl: 0, ipId: 0, sport: 0, dport: 0, flags: 0, seq: 0, window: 0, icmpType: -1, checksumsOk: true };
  let l4: number;
  let l4len: number;
  let pseudo: number;
  if (v === 4) {
    const totalLen = f.readUInt16BE(ip + 2);
    p.src = [...f.subarray(ip + 12, ip + 16)].join('.');
    p.dst = [...f.subarray(ip + 16, ip + 20)].join('.');
    p.dst4 = f.readUInt32BE(ip + 16);
    p.proto = f[ip + 9] as number;
    p.ttl = f[ip + 8] as number;
    p.ipId = f.readUInt16BE(ip + 4);
    p.checksumsOk = ok(sum16(f, ip, ip + 20));
    l4 = ip + 20;
    l4len = totalLen - 20;
    pseudo = sum16(f, ip + 12, ip + 20) + p.proto + l4len;
  } else {
    p.src = ip6(f, ip + 8);
    p.dst = ip6(f, ip + 24);
    p.proto = f[ip + 6] as number;
    p.ttl = f[ip + 7] as number;
    l4 = ip + 40;
    l4len = f.readUInt16BE(ip + 4);
    pseudo = sum16(f, ip + 8, ip + 40) + p.proto + l4len;
  }
  if (p.proto === 6 || p.proto === 17) {
    p.sport = f.readUInt16BE(l4);
    p.dport = f.readUInt16BE(l4 + 2);
  }
  if (p.proto === 6) {
    p.seq = f.readUInt32BE(l4 + 4);
    p.flags = f[l4 + 13] as number;
    p.window = f.readUInt16BE(l4 + 14);
  }
  if (p.proto === 1 || p.proto === 58) p.icmpType = f[l4] as number;
  const body = sum16(f, l4, l4 + l4len);
  p.checksumsOk = p.checksumsOk && ok((p.proto === 1 ? 0 : pseudo) + body);
  return p;
}

const REPLY_PORTS = new Set([53, 123, 137, 161, 389, 1900, 5353, 11211]);

/** The per-packet class rule of README.md. */
export function classOf(p: TestPacket): 'scan' | 'backscatter' | 'other' {
  if (p.proto === 6) {
    if (p.flags & 0x04) return 'backscatter';
    if ((p.flags & 0x12) === 0x12) return 'backscatter';
    if ((p.flags & 0x12) === 0x02) return 'scan';
    const low = p.flags & 0x3f;
    return low === 0 || low === 0x01 || low === 0x29 ? 'scan' : 'other';
  }
  if (p.proto === 17) return REPLY_PORTS.has(p.sport) ? 'backscatter' : 'scan';
  if (p.proto === 1) {
    if (p.icmpType === 8 || p.icmpType === 13) return 'scan';
    return [0, 3, 4, 5, 11, 12, 14].includes(p.icmpType) ? 'backscatter' : 'other';
  }
  if (p.proto === 58) {
    if (p.icmpType === 128) return 'scan';
    return p.icmpType === 129 || (p.icmpType >= 1 && p.icmpType <= 4) ? 'backscatter' : 'other';
  }
  return 'other';
}
