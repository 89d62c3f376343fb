/** A campaign's id and name, both made from its strongest tie so that a recomputation keeps them. */
import { createHash } from 'node:crypto';
import type { TieKind } from './tie-rules.js';
import { formatIPv6Bytes } from '../../net/ip.js';

/** `cmp-` and 12 hex digits of SHA-256 over the strongest tie's kind and value. */
export function campaignId(kind: TieKind, value: string): string {
  return `cmp-${createHash('sha256').update(`${kind}\0${value}`).digest('hex').slice(0, 12)}`;
}

/** The last path segment of a URL, when it has one (the dropper's file name: mirai.arm7). */
function fileOf(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  return path.split('/').filter(Boolean).pop() ?? '';
}

function hostOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+|\[[^\]]+\])/i.exec(url)?.[1]?.toLowerCase() ?? '';
}

/**
 * "198.51.100.7 (mirai.arm7)" for a campaign tied by a URL, its host or its dropper (its top URL
 * names both); the dictionary or the tool otherwise. `topUrl` is the campaign's most named URL.
 */
export function campaignName(kind: TieKind, value: string, topUrl: string | undefined): string {
  const url = kind === 'url' ? value : topUrl;
  if ((kind === 'url' || kind === 'url-host' || kind === 'hash') && url) {
    const host = kind === 'url-host' ? value : hostOf(url);
    const file = fileOf(url);
    return file ? `${host} (${file})` : host;
  }
  if (kind === 'hash') return `dropper ${value.slice(0, 12)}`;
  if (kind === 'url-host') return value;
  if (kind === 'credentials') return `dictionary ${value.replace(/ #[0-9a-f]+$/, '')}`;
  if (kind === 'tool-ports') return `tool ${value}`;
  if (kind === 'darknet-tool') return `darknet ${value}`;
  if (kind === 'cnc') return `C&C ${value}`;
  return `${kind} ${value}`;
}

/** IPv4-mapped addresses as dotted quads, the rest as RFC 5952 text. */
export function ipTextOf(b: Uint8Array, off: number): string {
  let mapped = b[off + 10] === 0xff && b[off + 11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) mapped = b[off + i] === 0;
  if (mapped) return `${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  return formatIPv6Bytes(b, off);
}
