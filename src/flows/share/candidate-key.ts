/**
 * A candidate's canonical name, `server|port|proto`, the one text every carrier hashes and the
 * hub's ids are made from: the server in RFC 5952 form (IPv4-mapped IPv6 as IPv4, IPv6 in lower
 * case, compressed), port and protocol number in decimal. Two carriers that saw the same server
 * write the same text whatever their exporters printed.
 */
import { formatIp, parseIpUnmapped } from '../../net/ip.js';
import type { CncCandidate } from '../detect/candidate.js';

export type CandidateRef = Pick<CncCandidate, 'server' | 'port' | 'proto'>;

/** The canonical text, or undefined when the server is not an address or port/proto are out of range. */
export function candidateKey(c: CandidateRef): string | undefined {
  const ip = parseIpUnmapped(c.server);
  if (!ip) return undefined;
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) return undefined;
  if (!Number.isInteger(c.proto) || c.proto < 0 || c.proto > 255) return undefined;
  return `${formatIp(ip)}|${c.port}|${c.proto}`;
}

/** The server's address in canonical form (what the key starts with). */
export function canonicalServer(server: string): string | undefined {
  const ip = parseIpUnmapped(server);
  return ip ? formatIp(ip) : undefined;
}

/**
 * The coarse client count a carrier shares instead of its exact count: an order of magnitude,
 * enough to tell one infected customer from a botnet, too coarse to count a carrier's customers.
 */
export const CLIENT_BUCKETS = ['1', '2-9', '10-99', '100+'] as const;
export type ClientBucket = (typeof CLIENT_BUCKETS)[number];

export function clientBucket(clients: number): ClientBucket {
  if (!(clients >= 2)) return '1';
  if (clients < 10) return '2-9';
  if (clients < 100) return '10-99';
  return '100+';
}
