/**
 * Field values of text flow files → FlowBatch columns: addresses, counters, ports, protocol
 * names and TCP flags written as letters. Each returns a sentinel (-1, NaN, 0 family) on bad
 * text, never throws, so a reader counts `field-invalid` and goes on.
 */
import { parseIPv4, parseIPv6, writeIPv6Bytes } from '../../net/ip.js';
import { FlowBatch } from '../flow-batch.js';

/**
 * Writes an address (dotted quad or IPv6 text) into `col` (src16/dst16/exporter16) at record i;
 * returns its family (IPv4-mapped IPv6 counts as 4), or 0 when the text is not an address.
 */
export function setAddress(col: Uint8Array, i: number, text: string): 0 | 4 | 6 {
  const v4 = parseIPv4(text);
  if (v4 >= 0) {
    FlowBatch.setV4(col, i, v4);
    return 4;
  }
  const v6 = parseIPv6(text);
  if (v6 === null) return 0;
  writeIPv6Bytes(v6, col, i * 16);
  return v6 >> 32n === 0xffffn ? 4 : 6;
}

/**
 * Writes a record's source and destination addresses; returns their family, or 0 when either is
 * not an address or the two are of different families.
 */
export function setEndpoints(b: FlowBatch, i: number, src: string, dst: string): 0 | 4 | 6 {
  const fs = setAddress(b.src16, i, src);
  const fd = setAddress(b.dst16, i, dst);
  return fs !== 0 && fs === fd ? fs : 0;
}

/** The problem of a record whose addresses setEndpoints refused. */
export function endpointsProblem(src: unknown, dst: unknown): string {
  return `addresses ${JSON.stringify(String(src).slice(0, 45))} → ${JSON.stringify(String(dst).slice(0, 45))} are not two addresses of one family`;
}

/** What every text reader sets of a record (the other columns keep begin()'s zeros, sampling 1). */
export interface TextFlow {
  kind: number; family: 4 | 6; startMs: number; endMs: number; proto: number; sport: number; dport: number;
  /** Kept for TCP only: other protocols have none, whatever the text says. */
  tcpFlags: number;
  octets: number; packets: number; revOctets: number; revPackets: number;
}

export function writeFlow(b: FlowBatch, i: number, v: TextFlow): void {
  b.kind[i] = v.kind;
  b.family[i] = v.family;
  b.startMs[i] = v.startMs;
  b.endMs[i] = v.endMs;
  b.proto[i] = v.proto;
  b.sport[i] = v.sport;
  b.dport[i] = v.dport;
  b.tcpFlags[i] = v.proto === 6 ? v.tcpFlags : 0;
  b.octets[i] = v.octets;
  b.packets[i] = v.packets;
  b.revOctets[i] = v.revOctets;
  b.revPackets[i] = v.revPackets;
}

/** Field k of a split line without surrounding spaces ('' when the column is absent, k < 0). */
export function cell(f: readonly string[], k: number): string {
  if (k < 0) return '';
  const s = f[k] ?? '';
  return s.charCodeAt(0) === 32 || s.charCodeAt(s.length - 1) === 32 ? s.trim() : s;
}

/** A counter column: absent or empty is 0, otherwise digits (NaN when not). */
export function countCell(f: readonly string[], k: number): number {
  const s = cell(f, k);
  return s === '' ? 0 : parseCount(s);
}

/** A decimal counter (digits only) → number, or NaN; exact up to 2^53 (longer ones are rounded). */
export function parseCount(s: string): number {
  const n = s.length;
  if (n === 0 || n > 20) return NaN;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return n > 15 ? Number(s) : v;
}

/** A decimal integer in [0, max] → number, or -1. */
export function parseUint(s: string, max: number): number {
  const n = s.length;
  if (n === 0 || n > 10) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= max ? v : -1;
}

/** IANA protocol keywords as Argus, nfdump and Zeek print them (lower case), beside their numbers. */
const PROTOCOLS: ReadonlyMap<string, number> = new Map([
  ['hopopt', 0], ['icmp', 1], ['igmp', 2], ['ggp', 3], ['ipv4', 4], ['ipip', 4], ['ipnip', 4], ['st', 5], ['tcp', 6], ['egp', 8], ['igp', 9],
  ['udp', 17], ['ipv6', 41], ['ipv6-route', 43], ['ipv6-frag', 44], ['rsvp', 46], ['gre', 47], ['esp', 50], ['ah', 51],
  ['icmp6', 58], ['icmpv6', 58], ['ipv6-icmp', 58], ['ipv6-nonxt', 59], ['ipv6-opts', 60], ['eigrp', 88], ['ospf', 89], ['ospfigp', 89],
  ['etherip', 97], ['encap', 98], ['pim', 103], ['ipcomp', 108], ['vrrp', 112], ['l2tp', 115], ['sctp', 132], ['udplite', 136], ['mpls-in-ip', 137],
]);

/** A protocol number (decimal 0–255) or keyword, any case → number, or -1. */
export function protocolNumber(s: string): number {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) return parseUint(s, 255);
  return PROTOCOLS.get(s.toLowerCase()) ?? -1;
}

/** ICMP for IPv4 and IPv6: their flows carry a type and code instead of ports. */
export function isIcmp(proto: number): boolean {
  return proto === 1 || proto === 58;
}

/**
 * Service names as /etc/services spells them, for tools run without numeric ports (Argus's ra
 * without -n): the common ones only; another name is a field-invalid.
 */
const SERVICES: ReadonlyMap<string, number> = new Map([
  ['ftp-data', 20], ['ftp', 21], ['ssh', 22], ['telnet', 23], ['smtp', 25], ['time', 37], ['whois', 43], ['tacacs', 49], ['domain', 53],
  ['bootps', 67], ['bootpc', 68], ['tftp', 69], ['gopher', 70], ['finger', 79], ['http', 80], ['www', 80], ['kerberos', 88], ['pop3', 110],
  ['sunrpc', 111], ['ident', 113], ['auth', 113], ['nntp', 119], ['ntp', 123], ['epmap', 135], ['loc-srv', 135], ['netbios-ns', 137],
  ['netbios-dgm', 138], ['netbios-ssn', 139], ['imap', 143], ['imap2', 143], ['snmp', 161], ['snmp-trap', 162], ['bgp', 179], ['irc', 194],
  ['ldap', 389], ['https', 443], ['microsoft-ds', 445], ['kpasswd', 464], ['isakmp', 500], ['exec', 512], ['login', 513], ['shell', 514],
  ['syslog', 514], ['printer', 515], ['submission', 587], ['ldaps', 636], ['rsync', 873], ['ftps', 990], ['telnets', 992], ['imaps', 993],
  ['pop3s', 995], ['socks', 1080], ['openvpn', 1194], ['ms-sql-s', 1433], ['ms-sql-m', 1434], ['pptp', 1723], ['radius', 1812],
  ['radius-acct', 1813], ['nfs', 2049], ['mysql', 3306], ['ms-wbt-server', 3389], ['sip', 5060], ['sip-tls', 5061], ['xmpp-client', 5222],
  ['postgresql', 5432], ['amqp', 5672], ['x11', 6000], ['ircd', 6667], ['http-alt', 8080], ['webcache', 8080],
]);

/** A port: decimal, `0x…` hex (Argus) or a common service name → 0–65535, or -1. */
export function parsePort(s: string): number {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (c === 48 && (s.charCodeAt(1) === 120 || s.charCodeAt(1) === 88)) return parseHex16(s);
    return parseUint(s, 65535);
  }
  return SERVICES.get(s.toLowerCase()) ?? -1;
}

/** `0x` and 1–4 hex digits → number, or -1. */
export function parseHex16(s: string): number {
  const n = s.length;
  if (n < 3 || n > 6) return -1;
  let v = 0;
  for (let i = 2; i < n; i++) {
    const c = s.charCodeAt(i) | 0x20;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** TCP flag bits by the letters tools print them with: CWR ECE URG ACK PSH RST SYN FIN. */
const FLAG_LETTERS: Readonly<Record<string, number>> = { C: 128, E: 64, U: 32, A: 16, P: 8, R: 4, S: 2, F: 1 };

/**
 * TCP flags written as letters with dots for the unset ones (`...AP.SF`, `.AP.SF`, in any
 * positions), as a hex number (`0x1b`, nfdump 1.6 for flags beyond the six) or decimal → bits, or -1.
 */
export function parseFlagLetters(s: string): number {
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    if (c !== 48 || s.charCodeAt(1) !== 120) return parseUint(s, 255);
    const h = parseHex16(s);
    return h > 255 ? -1 : h;
  }
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '.' || ch === ' ') continue;
    const bit = FLAG_LETTERS[ch];
    if (bit === undefined) return -1;
    v |= bit;
  }
  return v;
}
