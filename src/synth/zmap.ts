import { ZMAP_IP_ID, neutralId, neutralSeq, seqAvoiding } from './fingerprint-guard.js';
import { OPT_MSS, SYN } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

/**
 * ZMap: one port per scan, window 65535, an MSS option, TTL 255 at the sender, source ports
 * spread over 32768–61000. IP ID 54321 until March 2024, random afterwards — the ground truth
 * then expects no zmap tag.
 */
export function writeZmap(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, 0);
  let seq: number;
  let id: number;
  if (c.zmapFixedId) {
    id = ZMAP_IP_ID;
    seq = seqAvoiding(rng.u32(), dst, dport, id);
  } else {
    seq = neutralSeq(rng.u32(), dst);
    id = neutralId(rng.u32(), dst, dport, seq);
  }
  return c.tcp4(b, o, st.src4[s] as number, dst, id, false, st.ttl[s] as number, rng.range(32768, 61000), dport, seq, 0, SYN, 65535, OPT_MSS);
}
