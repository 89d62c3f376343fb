import type { DosThresholds } from './options.js';
import type { TruthSurge } from './surge-injection.js';

export interface Count { packets: number; sources: number }

export interface TruthPort { proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6'; port: number; packets: number; sources: number }

export interface TruthDosAttack {
  ip: string;
  packets: number;
  /** First and last packet, ISO (milliseconds, truncated) and microseconds since the epoch. */
  start: string;
  end: string;
  startMicros: number;
  endMicros: number;
  durationSeconds: number;
  /** Packets in the busiest calendar minute. */
  peakRate: number;
  vector: string;
  port: number;
}

export interface TruthNearMiss extends TruthDosAttack { reason: string }

export interface TruthSource {
  ip: string;
  kind: string;
  class: 'scan' | 'backscatter' | 'other';
  tags: string[];
  packets: number;
  firstSeen: string;
  lastSeen: string;
}

export interface GroundTruth {
  generator: 'sakimori synth darknet';
  seed: number;
  date: string;
  from: string;
  to: string;
  format: 'pcap' | 'pcapng';
  linkType: 'ethernet' | 'raw';
  nanosecond: boolean;
  gzip: boolean;
  darknet: { ipv4: string[]; ipv6: string[] };
  packets: number;
  sources: number;
  /** Capture bytes before compression. */
  bytes: number;
  firstPacketMicros: number;
  lastPacketMicros: number;
  families: { ipv4: Count; ipv6: Count };
  classes: { scan: Count; backscatter: Count; other: Count };
  tags: { mirai: Count; masscan: Count; zmap: Count };
  /** Whether the zmap fingerprint (IP ID 54321) applies to this day at all. */
  zmapFingerprintValid: boolean;
  kinds: Record<string, Count>;
  topPorts: TruthPort[];
  iotShare: number;
  dosThresholds: DosThresholds;
  dosVictims: TruthDosAttack[];
  /** Backscatter bursts and trickles that must not be reported as attacks, with the reason. */
  dosNearMisses: TruthNearMiss[];
  /** The injected port surges (option `surges`), in the order given. */
  surges: TruthSurge[];
  perSource?: TruthSource[];
}

/** One calendar minute of a backscatter source: packets and first/last timestamps (µs). */
export interface MinuteStat { minute: number; packets: number; first: number; last: number }

export interface JoinedAttack { packets: number; first: number; last: number; peak: number }

/**
 * Moore et al. / Corsaro: a source's backscatter minutes belong to one attack while the gap
 * from the previous packet stays within the vector timeout. Mirrors analyze/dos-attacks.ts.
 */
export function joinAttacks(rows: readonly MinuteStat[], t: DosThresholds): JoinedAttack[] {
  const out: JoinedAttack[] = [];
  let cur: JoinedAttack | undefined;
  for (const r of rows) {
    if (cur && r.first - cur.last > t.vectorTimeoutSeconds * 1e6) { out.push(cur); cur = undefined; }
    if (!cur) cur = { packets: 0, first: r.first, last: r.last, peak: 0 };
    cur.packets += r.packets;
    cur.last = Math.max(cur.last, r.last);
    cur.peak = Math.max(cur.peak, r.packets);
  }
  if (cur) out.push(cur);
  return out;
}

/** Why an attack does not qualify, or undefined when it does. */
export function belowThreshold(a: JoinedAttack, t: DosThresholds): string | undefined {
  if (a.packets < t.minPackets) return `${a.packets} packets < ${t.minPackets}`;
  const d = (a.last - a.first) / 1e6;
  if (d < t.minDurationSeconds) return `lasted ${d.toFixed(1)} s < ${t.minDurationSeconds} s`;
  if (a.peak < t.minPeakPerMinute) return `peak ${a.peak}/min < ${t.minPeakPerMinute}/min`;
  return undefined;
}

export function isoMicros(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
