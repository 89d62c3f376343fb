import type { SourceRole } from './source-networks.js';

/**
 * The kinds of traffic a darknet receives. Every synthetic source sends exactly one kind, so its
 * class and its tags are known by construction (see README.md for the per-packet rules).
 */
export const KIND_MIRAI = 0;
export const KIND_MASSCAN = 1;
export const KIND_ZMAP = 2;
export const KIND_NMAP = 3;
export const KIND_IOT_SYN = 4;
export const KIND_UDP_PROBE = 5;
export const KIND_ICMP_ECHO = 6;
export const KIND_V6_SYN = 7;
export const KIND_V6_ECHO = 8;
export const KIND_DOS = 9;
export const KIND_LOW_BACKSCATTER = 10;
export const KIND_STRAY = 11;

export const KIND_NAMES = [
  'mirai', 'masscan', 'zmap', 'nmap', 'iotSyn', 'udpProbe', 'icmpEcho', 'ipv6Syn', 'ipv6Echo', 'dosBackscatter', 'lowBackscatter', 'stray',
] as const;
export type TrafficKind = (typeof KIND_NAMES)[number];

export type ClassName = 'other' | 'scan' | 'backscatter';
export const CLASS_OF_KIND: readonly ClassName[] = [
  'scan', 'scan', 'scan', 'scan', 'scan', 'scan', 'scan', 'scan', 'scan', 'backscatter', 'backscatter', 'other',
];

export const ROLE_OF_KIND: readonly SourceRole[] = [
  'bot', 'scanner', 'scanner', 'scanner', 'bot', 'any', 'any', 'any', 'any', 'victim', 'any', 'any',
];

export function isIpv6Kind(k: number): boolean {
  return k === KIND_V6_SYN || k === KIND_V6_ECHO;
}

/** Default share of all packets per IPv4 kind (IPv6 kinds get `ipv6Share`, DoS gets `dosShare`). */
export const DEFAULT_MIX: Readonly<Partial<Record<TrafficKind, number>>> = {
  mirai: 0.34, masscan: 0.1, zmap: 0.08, nmap: 0.04, iotSyn: 0.16, udpProbe: 0.08, icmpEcho: 0.04,
  lowBackscatter: 0.03, stray: 0.02,
};

/**
 * Packets per source: a Pareto tail (xm, alpha) capped, so that most sources send 1–3 packets
 * and a few send very many. Scanning tools sweep the whole darknet and start higher.
 */
export const COUNT_MODEL: Readonly<Record<TrafficKind, { xm: number; alpha: number; cap: number }>> = {
  mirai: { xm: 1, alpha: 1.15, cap: 20000 },
  masscan: { xm: 40, alpha: 1.0, cap: 140000 },
  zmap: { xm: 60, alpha: 1.0, cap: 140000 },
  nmap: { xm: 5, alpha: 1.1, cap: 8000 },
  iotSyn: { xm: 1, alpha: 1.1, cap: 30000 },
  udpProbe: { xm: 1, alpha: 1.1, cap: 30000 },
  icmpEcho: { xm: 1, alpha: 1.2, cap: 20000 },
  ipv6Syn: { xm: 1, alpha: 1.2, cap: 5000 },
  ipv6Echo: { xm: 1, alpha: 1.3, cap: 2000 },
  dosBackscatter: { xm: 1, alpha: 1, cap: 1 }, // sized by the attack profile instead
  // Never reaches the 25 packets of a DoS attack, whatever the thresholds' defaults.
  lowBackscatter: { xm: 1, alpha: 1.4, cap: 20 },
  stray: { xm: 1, alpha: 1.5, cap: 50 },
};

/** Ports aimed at IoT devices that bots and generic scanners probe. */
export const IOT_SYN_PORTS = [23, 2323, 80, 8080, 81, 37215, 52869, 5555, 7547, 8443, 1883, 554] as const;
export const MASSCAN_PORTS = [80, 443, 8080, 22, 3389, 5555, 8443, 21, 25, 445, 1433, 3306, 5900, 6379, 9200, 8888] as const;
export const ZMAP_PORTS = [443, 80, 7547, 22, 8080, 3389, 21, 25] as const;
/** Attacked services whose backscatter we synthesise. */
export const DOS_PORTS = [80, 443, 22, 53, 25, 8080, 3389, 27015] as const;
