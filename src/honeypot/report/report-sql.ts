/** SQL pieces and conversions the honeypot report's queries share. */
import { formatIp, parseIpUnmapped } from '../../net/ip.js';

/**
 * Distinct sessions: (honeypot, sensor, session id); an event without a session id (a Dionaea
 * connection logged alone, an HTTP request) is a session of its own.
 */
export const SESSIONS = "(uniqExactIf(tuple(honeypot, sensor, session), session != '') + countIf(session = ''))";

/** How many entries each list of the report holds at most (the contract's descriptions say the same). */
export const listLimits = { credentials: 50, commands: 50, clients: 20, urls: 200, hashes: 200, sources: 50 } as const;

/** An address as people write it: IPv4 dotted, not ::ffff:a.b.c.d. */
export function displayIp(text: string): string {
  const p = parseIpUnmapped(text);
  return p ? formatIp(p) : text;
}

/** ISO 8601 of a time in microseconds since the epoch (as ClickHouse sends a UInt64: text). */
export function isoOfMicros(us: string | number): string {
  return new Date(Math.floor(Number(us) / 1000)).toISOString();
}
