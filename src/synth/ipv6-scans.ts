import { OPT_LINUX, OPT_MSS, SYN } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

/** TCP SYNs into the IPv6 darknet (guessed addresses: see DarknetSpace.dst6). */
export function writeIpv6Syn(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dport = c.nextPort(s, c.anyPick(s));
  const linux = st.variant[s] === 1;
  return c.tcp6(b, o, s, st.ttl[s] as number, linux ? rng.range(32768, 60999) : (st.sport[s] as number), dport, rng.u32(), SYN, st.window[s] as number, linux ? OPT_LINUX : OPT_MSS);
}

/** ICMPv6 echo requests into the IPv6 darknet. */
export function writeIpv6Echo(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { st } = c;
  c.nextPort(s, 0);
  return c.echo6(b, o, s, st.ttl[s] as number, st.sport[s] as number, (st.sent[s] as number) & 0xffff, st.variant[s] as number);
}
