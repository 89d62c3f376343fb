/** A campaign's id, made from its strongest tie so that a recomputation keeps it (its name: schema/campaign.ts). */
import { createHash } from 'node:crypto';
import type { TieKind } from '../../schema/campaign.js';
import { formatIPv6Bytes } from '../../net/ip.js';

/** `cmp-` and 12 hex digits of SHA-256 over the strongest tie's kind and value. */
export function campaignId(kind: TieKind, value: string): string {
  return `cmp-${createHash('sha256').update(`${kind}\0${value}`).digest('hex').slice(0, 12)}`;
}

/** IPv4-mapped addresses as dotted quads, the rest as RFC 5952 text. */
export function ipTextOf(b: Uint8Array, off: number): string {
  let mapped = b[off + 10] === 0xff && b[off + 11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) mapped = b[off + i] === 0;
  if (mapped) return `${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  return formatIPv6Bytes(b, off);
}
