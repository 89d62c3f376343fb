import { neutralId } from './fingerprint-guard.js';
import { OPT_NONE, SYN } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

/**
 * Mirai's scanner (scanner.c): raw SYNs to 23, every tenth to 2323, with the TCP sequence number
 * set to the destination address, a random IP ID and source port per probe, one random window
 * per bot. Port set of the stream: [23, 2323].
 */
export function writeMirai(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, rng.float() < 0.9 ? 0 : 1);
  const id = neutralId(rng.u32(), dst, dport, dst);
  return c.tcp4(b, o, st.src4[s] as number, dst, id, false, st.ttl[s] as number, rng.u32() & 0xffff, dport, dst, 0, SYN, st.window[s] as number, OPT_NONE);
}
