/** CIDR text → normalised form ("192.0.2.0/24", "2001:db8::/32"); undefined when it is not one. */
import { isIP } from 'node:net';

export function parseCidr(text: string): { ip: string; bits: number; family: 4 | 6 } | undefined {
  const m = /^\s*([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?\s*$/.exec(text);
  if (!m) return undefined;
  const ip = (m[1] as string).toLowerCase();
  const family = isIP(ip);
  if (family !== 4 && family !== 6) return undefined;
  const max = family === 4 ? 32 : 128;
  const bits = m[2] === undefined ? max : Number(m[2]);
  if (bits > max) return undefined;
  return { ip, bits, family };
}
