import type { PacketContext } from './packet-context.js';

const ICMP_ECHO_REQUEST = 8;

/** Ping sweeps: echo requests with one identifier per source, an incrementing sequence, 0–56 bytes of data. */
export function writeIcmpEcho(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  c.nextPort(s, 0);
  const len = st.variant[s] as number;
  const body = c.icmpBody(o);
  for (let i = 0; i < len; i++) b[body + i] = 0x10 + i;
  const rest = (((st.sport[s] as number) << 16) | ((st.sent[s] as number) & 0xffff)) >>> 0;
  return c.icmp4(b, o, st.src4[s] as number, dst, rng.u32() & 0xffff, st.ttl[s] as number, ICMP_ECHO_REQUEST, 0, rest, len);
}
