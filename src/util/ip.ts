import { isIP } from 'node:net';

/** Normalises an IPv4 or IPv6 address given by a user; undefined when it is not one. */
export function parseIp(s: string): string | undefined {
  const v = s.trim().replace(/^\[|\]$/g, '');
  return isIP(v) === 0 ? undefined : v.toLowerCase();
}
