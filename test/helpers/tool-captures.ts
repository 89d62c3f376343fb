/**
 * Small captures with known truth for the tool-tag tests, written with the generator's own header
 * writers (src/synth/packet-bytes.ts) as classic pcap files without a link layer (LINKTYPE_RAW).
 */
import { PROTO_TCP, PROTO_UDP, RST, SYN, finishChecksum, writeIpv4, writeTcp, writeUdp, OPT_NONE } from '../../src/synth/packet-bytes.js';
import { masscanId } from '../../src/synth/fingerprint-guard.js';
import { pcapFile } from '../../src/sources/testing/capture-files.js';
import { LINKTYPE_RAW } from '../../src/sources/pcap/pcap-writer.js';
import { parseIPv4 } from '../../src/net/ip.js';
import { randomU32, seededRandom } from '../../src/util/seeded-random.js';

export interface Frame { ts: number; frame: Uint8Array }

function addr(ip: string): number {
  const v = parseIPv4(ip);
  if (v < 0) throw new Error(`not an IPv4 address: ${ip}`);
  return v;
}

/** A repeatable sequence of unsigned 32-bit integers. */
export function seeded(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => randomU32(rand);
}

export interface TcpOptions { src: string; dst: string; sport: number; dport: number; seq: number; id: number; flags: number; ttl?: number; window?: number; ts: number }

export function tcpFrame(o: TcpOptions): Frame {
  const b = new Uint8Array(40);
  const end = writeTcp(b, 20, o.sport, o.dport, o.seq, 0, o.flags, o.window ?? 1024, OPT_NONE, 0);
  writeIpv4(b, 0, end, o.id, false, o.ttl ?? 255, PROTO_TCP, addr(o.src), addr(o.dst));
  finishChecksum(b, 0, 20, end - 20, PROTO_TCP, 16);
  return { ts: o.ts, frame: b.subarray(0, end) };
}

export function udpFrame(o: { src: string; dst: string; sport: number; dport: number; id: number; ts: number; payload?: Uint8Array }): Frame {
  const payload = o.payload ?? new Uint8Array(0);
  const b = new Uint8Array(28 + payload.length);
  const end = writeUdp(b, 20, o.sport, o.dport, payload);
  writeIpv4(b, 0, end, o.id, false, 252, PROTO_UDP, addr(o.src), addr(o.dst));
  finishChecksum(b, 0, 20, end - 20, PROTO_UDP, 6);
  return { ts: o.ts, frame: b };
}

/**
 * What `masscan -p0-1000 <dst>` sends (as in a real capture of Masscan 1.0.4): one SYN per port
 * 0–1000 from one source port, IP ID = (dst ⊕ dport ⊕ seq) & 0xffff, window 1024; then a RST for
 * each of `resets` ports that answered (Masscan's own stack closes them; not SYNs).
 */
export function masscanTcpRun(src: string, dst: string, startSeconds: number, resets: readonly number[] = [80, 443]): Frame[] {
  const rnd = seeded(0x6d617373);
  const d = addr(dst);
  const out: Frame[] = [];
  for (let port = 0; port <= 1000; port++) {
    const seq = rnd();
    out.push(tcpFrame({ src, dst, sport: 51406, dport: port, seq, id: masscanId(d, port, seq), flags: SYN, ts: startSeconds + port * 0.004 }));
  }
  resets.forEach((port, i) => {
    out.push(tcpFrame({ src, dst, sport: 51406, dport: port, seq: rnd(), id: rnd() & 0xffff, flags: RST, window: 0, ts: startSeconds + 5 + i }));
  });
  return out;
}

/** What `masscan -pU:0-1000 <dst>` sends: one empty UDP datagram per port 0–1000, random IP IDs. */
export function udpProbeRun(src: string, dst: string, startSeconds: number, seed = 0x75647020): Frame[] {
  const rnd = seeded(seed);
  const out: Frame[] = [];
  for (let port = 0; port <= 1000; port++) out.push(udpFrame({ src, dst, sport: 51436, dport: port, id: rnd() & 0xffff, ts: startSeconds + port * 0.004 }));
  return out;
}

/** The bytes of a classic pcap file holding `frames` (LINKTYPE_RAW), in time order. */
export function rawPcap(frames: readonly Frame[]): Uint8Array {
  return pcapFile([...frames].sort((a, b) => a.ts - b.ts), { linkType: LINKTYPE_RAW });
}
