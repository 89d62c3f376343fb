import { neutralId, neutralSeq } from './fingerprint-guard.js';
import { OPT_LINUX, OPT_MSS, SYN } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

const NMAP_WINDOWS = [1024, 2048, 3072, 4096] as const;

/**
 * nmap -sS: a fixed source port per scan, window 1024/2048/3072/4096, an MSS option, the first
 * 1024 ports in a shuffled order, random IP ID and sequence number.
 */
export function writeNmap(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, 0);
  const seq = neutralSeq(rng.u32(), dst);
  const id = neutralId(rng.u32(), dst, dport, seq);
  return c.tcp4(b, o, st.src4[s] as number, dst, id, false, st.ttl[s] as number, st.sport[s] as number, dport, seq, 0, SYN, NMAP_WINDOWS[rng.int(4)] as number, OPT_MSS);
}

/**
 * Other IoT bots and scripts that scan through the kernel's connect(): Linux SYNs (DF, full
 * option set, ephemeral source ports) to a few IoT ports — none of the tool fingerprints.
 */
export function writeIotSyn(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, c.anyPick(s));
  const seq = neutralSeq(rng.u32(), dst);
  const id = neutralId(rng.u32(), dst, dport, seq);
  return c.tcp4(b, o, st.src4[s] as number, dst, id, true, st.ttl[s] as number, rng.range(32768, 60999), dport, seq, 0, SYN, st.window[s] as number, OPT_LINUX);
}
