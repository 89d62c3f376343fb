/**
 * The STIX pattern of a C&C candidate: one observation of traffic to the server's address, port
 * and protocol (STIX 2.1 section 9), so it matches a connection to that service — not, as
 * `[ipv4-addr:value = …] AND [network-traffic:dst_port = …]` would, any address seen alongside
 * any traffic to the port. Ports are named only for protocols that have them.
 */
import { isIP } from 'node:net';
import { PROTO_NAMES } from '../../store/events/sql-helpers.js';

const WITH_PORTS: ReadonlySet<number> = new Set([6, 17, 132]);

/** `server` in canonical form (candidate-key.ts). */
export function candidatePattern(server: string, port: number, proto: number): string {
  const terms = [
    `network-traffic:dst_ref.type = '${isIP(server) === 6 ? 'ipv6-addr' : 'ipv4-addr'}'`,
    `network-traffic:dst_ref.value = '${server}'`,
  ];
  if (WITH_PORTS.has(proto)) terms.push(`network-traffic:dst_port = ${port}`);
  const name = PROTO_NAMES[proto];
  if (name !== undefined) terms.push(`network-traffic:protocols[*] = '${name}'`);
  return `[${terms.join(' AND ')}]`;
}

/** `443/tcp`, `icmp`, `proto 47`: the service as people read it. */
export function serviceText(port: number, proto: number): string {
  const name = PROTO_NAMES[proto] ?? `proto ${proto}`;
  return WITH_PORTS.has(proto) ? `${port}/${name}` : name;
}
