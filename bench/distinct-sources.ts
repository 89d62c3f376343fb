/**
 * The ingest's worst case: every packet from a different source, as a spoofed-source SYN flood or
 * a scan from a large botnet looks to a telescope. Each source is a row of its own in every
 * per-source aggregate (darknet_source_day, darknet_source_port_day) and a distinct value in the
 * hourly source counts. Written as a pcap of TCP SYNs over one UTC day: source i is a fixed
 * permutation of the 32-bit space (an odd multiplier), so none repeats; destinations, ports and
 * IP ids come from a small seeded generator.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PcapWriter } from '../src/sources/pcap/pcap-writer.js';
import { ETHERTYPE_IPV4, OPT_MSS, PROTO_TCP, SYN, finishChecksum, writeEthernet, writeIpv4, writeTcp } from '../src/synth/packet-bytes.js';

/** 198.18.0.0/15, the synthetic telescope's space. */
const DARKNET = 0xc6120000;
const FRAME = 14 + 20 + 24;

export async function writeDistinctSourceCapture(file: string, packets: number, day: string): Promise<void> {
  const out = createWriteStream(file);
  const w = new PcapWriter(out);
  const start = Date.parse(`${day}T00:00:00Z`) / 1000;
  const step = 86_400 / packets;
  let x = 0x2545f491;
  const next = (): number => {
    // xorshift32: enough spread for addresses and ports, and the same file for the same arguments.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < packets; i++) {
    if (w.room < FRAME) await w.flush();
    const b = w.buf;
    const o = w.frameOffset;
    const src = Math.imul(i, 0x9e3779b1) >>> 0;
    const r = next();
    const ip = writeEthernet(b, o, ETHERTYPE_IPV4);
    const tcp = writeIpv4(b, ip, 44, r & 0xffff, false, 48 + (r >>> 28), PROTO_TCP, src, (DARKNET | (r >>> 15)) >>> 0);
    const end = writeTcp(b, tcp, 1024 + (r & 0x7fff), [23, 80, 443, 22, 8080, 445, 3389, 5555][r >>> 29] as number, next(), 0, SYN, 1024, OPT_MSS, 0);
    finishChecksum(b, ip, tcp, end - tcp, PROTO_TCP, 16);
    const t = start + i * step;
    const seconds = Math.floor(t);
    w.commit(end - o, seconds, Math.floor((t - seconds) * 1e9));
  }
  await w.finish();
  out.end();
  await once(out, 'close');
}
