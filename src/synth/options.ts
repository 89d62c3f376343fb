import type { CaptureFormat, LinkTypeName } from '../sources/pcap/pcap-writer.js';
import { DEFAULT_IOT_PORTS } from '../config/schema.js';
import { DEFAULT_DARKNET4, DEFAULT_DARKNET6 } from './darknet-space.js';
import { ZMAP_FIXED_ID_UNTIL } from './fingerprint-guard.js';
import { DEFAULT_MIX, type TrafficKind } from './traffic-kinds.js';
import { resolveSurges, type SurgeSpec } from './surge-injection.js';

/** Thresholds of a spoofed DoS attack seen through backscatter (CAIDA Corsaro dos plugin defaults). */
export interface DosThresholds {
  minPackets: number;
  minDurationSeconds: number;
  minPeakPerMinute: number;
  vectorTimeoutSeconds: number;
}

export const CORSARO_DOS_THRESHOLDS: DosThresholds = { minPackets: 25, minDurationSeconds: 60, minPeakPerMinute: 30, vectorTimeoutSeconds: 300 };

export interface SynthOptions {
  /** UTC day `YYYY-MM-DD`; default yesterday. */
  date?: string;
  /** Total packets (default 1,000,000). */
  packets?: number;
  seed?: number;
  /** Darknet prefixes (default 198.18.0.0/15 and 2001:db8:dead::/48: never routed). */
  darknet4?: string[];
  darknet6?: string[];
  format?: CaptureFormat;
  nanosecond?: boolean;
  gzip?: boolean;
  bigEndian?: boolean;
  linkType?: LinkTypeName;
  /** Share of packets sent over IPv6 (default 0.01). */
  ipv6Share?: number;
  /** Share of packets that are DoS backscatter of qualifying attacks (default 0.1). */
  dosShare?: number;
  /** Number of attacked victims (default 5; fewer when the packets would not make real attacks). */
  dosVictims?: number;
  /** Add one short burst and one slow trickle of backscatter that must not count as attacks (default true). */
  subThresholdBackscatter?: boolean;
  /** Share of packets per IPv4 kind; kinds left out keep their default share, 0 removes a kind. */
  mix?: Partial<Record<TrafficKind, number>>;
  dosThresholds?: Partial<DosThresholds>;
  iotPorts?: readonly number[];
  /** Include the per-source list in the ground truth. */
  truthSources?: boolean;
  /** Also write the ground truth as JSON to this path. */
  truthPath?: string;
  /** Bytes per output buffer (two are used). */
  bufferSize?: number;
  /**
   * Most packets any one source sends (default: each kind's own cap, up to 140,000). A small cap
   * makes every port's traffic the sum of many small sources: steady, without the bursts of big
   * scanners, as a background for injected surges.
   */
  maxSourcePackets?: number;
  /** Port surges to inject, on top of `packets` (ground truth `surges`). */
  surges?: SurgeSpec[];
}

export interface ResolvedOptions {
  date: string;
  dayStartSeconds: number;
  packets: number;
  seed: number;
  darknet4: string[];
  darknet6: string[];
  format: CaptureFormat;
  nanosecond: boolean;
  gzip: boolean;
  bigEndian: boolean;
  linkType: LinkTypeName;
  ipv6Share: number;
  dosShare: number;
  dosVictims: number;
  subThresholdBackscatter: boolean;
  mix: Record<TrafficKind, number>;
  dos: DosThresholds;
  iotPorts: readonly number[];
  truthSources: boolean;
  truthPath: string | undefined;
  zmapFixedId: boolean;
  bufferSize: number | undefined;
  maxSourcePackets: number;
  surges: Required<SurgeSpec>[];
}

export function yesterday(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, not ${v}`);
  return v;
}

export function resolveOptions(o: SynthOptions): ResolvedOptions {
  const date = o.date ?? yesterday();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new Error(`date must be a UTC day YYYY-MM-DD, not ${date}`);
  const packets = o.packets ?? 1_000_000;
  if (!Number.isInteger(packets) || packets < 1 || packets > 2 ** 31) throw new Error(`packets must be an integer between 1 and 2^31, not ${packets}`);
  const share = (name: string, v: number | undefined, d: number): number => {
    const x = v ?? d;
    if (!(x >= 0 && x <= 1)) throw new Error(`${name} must be between 0 and 1, not ${x}`);
    return x;
  };
  const mix = {
    mirai: 0, masscan: 0, zmap: 0, nmap: 0, iotSyn: 0, udpProbe: 0, icmpEcho: 0, ipv6Syn: 0, ipv6Echo: 0, dosBackscatter: 0, lowBackscatter: 0, stray: 0,
    ...DEFAULT_MIX, ...o.mix,
  } satisfies Record<TrafficKind, number>;
  return {
    date,
    dayStartSeconds: Date.parse(`${date}T00:00:00Z`) / 1000,
    packets,
    seed: (o.seed ?? 1) >>> 0,
    darknet4: o.darknet4 ?? DEFAULT_DARKNET4,
    darknet6: o.darknet6 ?? DEFAULT_DARKNET6,
    format: o.format ?? 'pcap',
    nanosecond: o.nanosecond ?? false,
    gzip: o.gzip ?? false,
    bigEndian: o.bigEndian ?? false,
    linkType: o.linkType ?? 'ethernet',
    ipv6Share: share('ipv6Share', o.ipv6Share, 0.01),
    dosShare: share('dosShare', o.dosShare, 0.1),
    dosVictims: Math.max(0, Math.floor(o.dosVictims ?? 5)),
    subThresholdBackscatter: o.subThresholdBackscatter ?? true,
    mix,
    dos: { ...CORSARO_DOS_THRESHOLDS, ...o.dosThresholds },
    iotPorts: o.iotPorts ?? DEFAULT_IOT_PORTS,
    truthSources: o.truthSources ?? false,
    truthPath: o.truthPath,
    zmapFixedId: date < ZMAP_FIXED_ID_UNTIL,
    bufferSize: o.bufferSize,
    maxSourcePackets: positiveInt('maxSourcePackets', o.maxSourcePackets ?? 2 ** 31),
    surges: resolveSurges(o.surges),
  };
}
