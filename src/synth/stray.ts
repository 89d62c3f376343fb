import { neutralSeq } from './fingerprint-guard.js';
import { ACK, FIN, OPT_NONE, PSH } from './packet-bytes.js';
import type { PacketContext } from './packet-context.js';

const STRAY_FLAGS = [ACK, FIN | ACK, PSH | ACK] as const;

/**
 * Neither probe nor reply: late ACKs, FIN-ACKs and PSH-ACKs of connections the darknet never
 * had (address reuse, misconfigured load balancers). Class "other".
 */
export function writeStray(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const id = st.ipId[s] as number;
  st.ipId[s] = (id + 1) & 0xffff;
  return c.tcp4(b, o, st.src4[s] as number, dst, id, true, st.ttl[s] as number, st.service[s] as number, c.nextPort(s, 0),
    neutralSeq(rng.u32(), dst), rng.u32(), STRAY_FLAGS[rng.int(3)] as number, st.window[s] as number, OPT_NONE);
}
