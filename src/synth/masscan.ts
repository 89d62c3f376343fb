import { ZMAP_IP_ID, masscanId } from './fingerprint-guard.js';
import { OPT_NONE, SYN } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

/**
 * Masscan (templ-pkt.c): IP ID = (dst ⊕ dport ⊕ seq) & 0xffff, window 1024, TTL 255 at the
 * sender, one source port per run, no TCP options. Either a list of common ports or a sweep of
 * all 65,535 (a port permutation).
 */
export function writeMasscan(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, c.anyPick(s));
  let seq = rng.u32();
  // Never Mirai's seq == dst, never ZMap's 54321 as the resulting ID.
  while (seq === dst || masscanId(dst, dport, seq) === ZMAP_IP_ID) seq = (seq + 1) >>> 0;
  return c.tcp4(b, o, st.src4[s] as number, dst, masscanId(dst, dport, seq), false, st.ttl[s] as number, st.sport[s] as number, dport, seq, 0, SYN, 1024, OPT_NONE);
}
