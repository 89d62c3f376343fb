/**
 * Port surges injected on top of the background traffic: for each, a group of scanners that
 * probe one port during one hour of the day and nothing else. The ground truth lists them, so
 * surge detection can be checked against known ports and hours.
 */

export interface SurgeSpec {
  proto: 'tcp' | 'udp';
  port: number;
  /** Hour of the UTC day, 0–23. */
  hour: number;
  /** Packets injected (on top of `packets`, the background). */
  packets: number;
  /** Scanners that send them (default 16). */
  sources?: number;
}

export interface TruthSurge {
  proto: 'tcp' | 'udp';
  port: number;
  /** Start of the hour (ISO). */
  hour: string;
  /** Packets injected into that hour. */
  injected: number;
  /** All packets to that port in that hour, background included: what a report counts. */
  packets: number;
}

export const DEFAULT_SURGE_SOURCES = 16;

/** The surges checked, with every default filled in; an error names the surge and what is wrong. */
export function resolveSurges(specs: readonly SurgeSpec[] | undefined): Required<SurgeSpec>[] {
  return (specs ?? []).map((s, i) => {
    const where = `surges[${i}]`;
    if (s.proto !== 'tcp' && s.proto !== 'udp') throw new Error(`${where}.proto must be tcp or udp, not ${String(s.proto)}`);
    const int = (name: string, v: number, lo: number, hi: number): number => {
      if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${where}.${name} must be an integer ${lo}–${hi}, not ${v}`);
      return v;
    };
    const packets = int('packets', s.packets, 1, 2 ** 31);
    return {
      proto: s.proto,
      port: int('port', s.port, 1, 65535),
      hour: int('hour', s.hour, 0, 23),
      packets,
      sources: int('sources', s.sources ?? Math.min(DEFAULT_SURGE_SOURCES, packets), 1, packets),
    };
  });
}

/** `tcp/8888@13:5000` (protocol/port@hour:packets), as the synth command takes it. */
export function parseSurgeSpec(text: string): SurgeSpec {
  const m = /^(tcp|udp)\/(\d+)@(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`a surge is proto/port@hour:packets, e.g. tcp/8888@13:5000, not "${text}"`);
  return { proto: m[1] as 'tcp' | 'udp', port: Number(m[2]), hour: Number(m[3]), packets: Number(m[4]) };
}

/** Packets of each injected surge's sources: `packets` split as evenly as whole packets allow. */
export function surgeShares(s: Required<SurgeSpec>): number[] {
  const base = Math.floor(s.packets / s.sources);
  return Array.from({ length: s.sources }, (_, i) => base + (i < s.packets % s.sources ? 1 : 0));
}
