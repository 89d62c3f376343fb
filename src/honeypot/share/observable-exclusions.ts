/**
 * Which honeypot observables may become indicators, and why not. Never published: anything that
 * names one of our own addresses (a honeypot address a client reached, or a prefix registered as
 * our sensors — anywhere in a URL, not only as its host), reserved and private addresses and
 * names, addresses on the warning lists, benign domains (benign-domains.ts), and what cannot be
 * read as a URL, a host or a SHA-256. The first reason that applies is the one counted.
 */
import { isIP } from 'node:net';
import { CidrSet } from '../../net/cidr-set.js';
import { parseIpUnmapped, formatIp } from '../../net/ip.js';
import { addressExclusion, type ExclusionSets } from '../../share/indicators/exclusions.js';
import { DomainList, isDomainName, reservedDomain } from './benign-domains.js';

export const HONEYPOT_EXCLUSIONS = ['invalid', 'own-address', 'reserved', 'warning-list', 'benign-domain', 'below-threshold', 'expired'] as const;
export type HoneypotExclusion = (typeof HONEYPOT_EXCLUSIONS)[number];

export interface HoneypotExclusionSets {
  /** Our sensors' prefixes (share sensors) and the warning lists' addresses. */
  readonly shared: ExclusionSets;
  /** Every address our honeypots were reached at. */
  readonly honeypots: CidrSet;
  readonly benign: DomainList;
}

export function honeypotSet(addresses: readonly string[]): CidrSet {
  const ok = addresses.map((a) => parseIpUnmapped(a)).filter((p) => p !== undefined).map((p) => formatIp(p));
  return new CidrSet(ok);
}

/** A host as an indicator names it: an address in its usual text, or a lower-case DNS name; undefined when neither. */
export function normaliseHost(host: string): { host: string; ip: boolean } | undefined {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const direct = parseIpUnmapped(bare);
  if (direct) return { host: formatIp(direct), ip: true };
  let h: string;
  try {
    // The URL parser reads the forms bots use to hide an address (0x7f000001, 2130706433, 0177.0.0.1).
    h = new URL(`http://${bare}/`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
  const p = parseIpUnmapped(h);
  if (p) return { host: formatIp(p), ip: true };
  return isDomainName(h) ? { host: h, ip: false } : undefined;
}

const SCHEMES = new Set(['http:', 'https:', 'ftp:', 'tftp:']);

/** A URL as published: parsed (http, https, ftp, tftp), printable, at most 2,048 characters; and its host. */
export function readUrl(text: string): { url: string; host: { host: string; ip: boolean } } | undefined {
  // Control characters, spaces and quotes break consumers' parsers more often than they name a real URL.
  if (text.length > 2048 || /[\u0000-\u0020\u007f"<>\\`]/.test(text)) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (!SCHEMES.has(u.protocol)) return undefined;
  const host = normaliseHost(u.hostname);
  return host ? { url: text, host } : undefined;
}

const V4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const V6 = /\[([0-9a-fA-F:.]+)\]/g;

/** Every address written in a text (dotted IPv4, bracketed IPv6), as the URL parser would not find those in a path or query. */
function addressesIn(text: string): string[] {
  const out = [...text.matchAll(V4)].map((m) => m[0]);
  for (const m of text.matchAll(V6)) if (m[1] && isIP(m[1]) === 6) out.push(m[1]);
  return out;
}

function addressReason(ip: string, sets: HoneypotExclusionSets): HoneypotExclusion | undefined {
  const p = parseIpUnmapped(ip);
  if (!p) return 'invalid';
  if (sets.honeypots.has(p)) return 'own-address';
  const why = addressExclusion(formatIp(p), sets.shared);
  if (why === 'own-sensor') return 'own-address';
  if (why === 'warning-list' || why === 'reserved') return why;
  return why === undefined ? undefined : 'reserved';
}

/** Why a host may not be published (as a domain-name or an address indicator). */
export function hostExclusion(host: { host: string; ip: boolean }, sets: HoneypotExclusionSets): HoneypotExclusion | undefined {
  if (host.ip) return addressReason(host.host, sets);
  if (reservedDomain(host.host)) return 'reserved';
  return sets.benign.has(host.host) ? 'benign-domain' : undefined;
}

/**
 * Why a URL may not be published. On a benign domain it is published only when a file came from
 * it (a dropper on a code-hosting site); a connectivity check (`wget google.com`) is not.
 */
export function urlExclusion(text: string, delivered: boolean, sets: HoneypotExclusionSets): HoneypotExclusion | undefined {
  const u = readUrl(text);
  if (!u) return 'invalid';
  const own = [...addressesIn(text), ...(u.host.ip ? [u.host.host] : [])].map((a) => addressReason(a, sets)).find((r) => r === 'own-address');
  if (own) return own;
  const why = hostExclusion(u.host, sets);
  if (why === 'benign-domain' && delivered) return undefined;
  return why;
}

export function hashExclusion(sha256: string): HoneypotExclusion | undefined {
  return /^[0-9a-f]{64}$/.test(sha256) ? undefined : 'invalid';
}
