import { bytes, ether, ext, icmp, ipv4, ipv6, sll, tcp, udp } from './frames.js';
import { PcapngBuilder, pcapFile } from './capture-files.js';

/** A mix of frames: IPv4 TCP, UDP, ICMP with a quoted header, IPv6 with a fragment header. */
export function sampleFrames(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < n; k++) {
    const kind = k % 4;
    const p = kind === 0 ? ipv4({ src: `192.0.2.${k % 250}`, dst: '198.18.0.1', proto: 6, payload: tcp({ sport: k, dport: 23, flags: 2, seq: k }) })
      : kind === 1 ? ipv4({ src: '192.0.2.9', dst: '198.18.0.2', proto: 17, payload: udp(53, 40000 + k) })
        : kind === 2 ? ipv6({ src: '2001:db8::1', dst: '2001:db8:dead::2', next: 0, payload: bytes(ext('hop', 44), ext('frag', 6, { more: true, id: k }), tcp({ sport: 1, dport: 443, flags: 18 })) })
          : ipv4({ src: '203.0.113.5', dst: '198.18.0.3', proto: 1, payload: icmp(3, 1, Array(32).fill(k & 255)) });
    out.push(ether(kind === 2 ? 0x86dd : 0x0800, p));
  }
  return out;
}

/**
 * Valid captures to damage, each as a function of how many of the frames it holds, so that a
 * test knows where record k ends: `make(k + 1).length`.
 */
export const FUZZ_INPUTS: { name: string; make: (frames: Uint8Array[]) => Uint8Array }[] = [
  { name: 'pcap µs little-endian', make: (f) => pcapFile(f.map((frame, k) => ({ ts: 1_700_000_000 + k, frame })), { linkType: 1 }) },
  { name: 'pcap ns big-endian', make: (f) => pcapFile(f.map((frame, k) => ({ ts: 0, sec: 1_700_000_000 + k, frac: k * 1001, frame })), { linkType: 1, nano: true, bigEndian: true }) },
  { name: 'pcapng little-endian', make: (f) => f.reduce((b, frame, k) => b.epb(0, BigInt(k + 1) * 1000n, frame), new PcapngBuilder().shb().idb(1)).build() },
  {
    name: 'pcapng big-endian, two interfaces, SPB',
    make: (f) => f.reduce((b, frame, k) => (k % 3 === 2 ? b.spb(frame) : k % 3 === 1 ? b.epb(1, BigInt(k), sll(frame[13] === 0xdd ? 0x86dd : 0x0800, frame.subarray(14))) : b.epb(0, BigInt(k) * 1_000_000_000n, frame)),
      new PcapngBuilder(false).shb().idb(1, { name: 'eth0', tsresol: 9 }).idb(113, { tsresol: 0x80 | 10 })).build(),
  },
];

/**
 * One damaged copy of `file`, the kind chosen by `iter % 5`: random bytes changed, the file cut,
 * a 32-bit field (often a length) set to a random value in either byte order, bytes removed, or
 * random bytes inserted. `firstDamage` is the offset of the first byte that differs.
 */
export function damage(file: Uint8Array, iter: number, rand: () => number): { damaged: Uint8Array; firstDamage: number } {
  const int = (below: number): number => Math.floor(rand() * below);
  const data = Uint8Array.from(file);
  switch (iter % 5) {
    case 0: {
      let first = data.length;
      for (let k = 0; k < 1 + int(8); k++) {
        const at = int(data.length);
        data[at] = int(256);
        first = Math.min(first, at);
      }
      return { damaged: data, firstDamage: first };
    }
    case 1: {
      const at = int(data.length);
      return { damaged: data.subarray(0, at), firstDamage: at };
    }
    case 2: {
      const at = int(data.length - 4);
      new DataView(data.buffer).setUint32(at, Math.floor(rand() * 2 ** 32), rand() < 0.5);
      return { damaged: data, firstDamage: at };
    }
    case 3: {
      const at = int(data.length);
      return { damaged: bytes(data.subarray(0, at), data.subarray(Math.min(data.length, at + 1 + int(200)))), firstDamage: at };
    }
    default: {
      const at = int(data.length);
      return { damaged: bytes(data.subarray(0, at), Uint8Array.from({ length: 1 + int(64) }, () => int(256)), data.subarray(at)), firstDamage: at };
    }
  }
}
