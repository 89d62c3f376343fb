import type { EventsStore } from '../store/types.js';
import { chTime, ipText } from '../store/events/sql-helpers.js';
import type { TimeWindow } from './time-window.js';

export interface DosThresholds {
  minPackets: number;
  minDurationSeconds: number;
  minPeakPerMinute: number;
  vectorTimeoutSeconds: number;
}

export interface DosAttack {
  ip: string;
  packets: number;
  start: string;
  end: string;
  /** Packets per minute in the attack's busiest minute. */
  peakRate: number;
  /** Distinct darknet addresses that received its backscatter. */
  darknetAddresses: number;
  ports: string[];
}

interface MinuteRow { ip: string; minute: number; first: number; last: number; packets: number; dsts: number; ports: number[] }

/**
 * Spoofed-source DoS attacks seen through their backscatter (Moore et al., 2006): a victim's
 * backscatter minutes are joined into one attack while the gap between them stays under the
 * vector timeout; an attack is reported when it clears the packet, duration and peak-rate
 * thresholds (the defaults are those of CAIDA Corsaro's dos plugin).
 */
export async function findDosAttacks(events: EventsStore, t: DosThresholds, w: TimeWindow): Promise<DosAttack[]> {
  const params = { from: chTime(w.from), to: chTime(w.to), minPackets: t.minPackets };
  const rows = await events.query<MinuteRow>(
    `SELECT ${ipText('victim')} AS ip, toUnixTimestamp(minute) AS minute,
            toUnixTimestamp64Micro(min(first_ts)) AS first, toUnixTimestamp64Micro(max(last_ts)) AS last,
            sum(packets) AS packets, least(uniqCombined64Merge(14)(dsts), packets) AS dsts, groupUniqArrayArray(8)(ports) AS ports
     FROM darknet_backscatter_minute
     WHERE minute >= toStartOfMinute({from:DateTime64(6)}) AND minute < {to:DateTime64(6)}
       AND victim IN (SELECT victim FROM darknet_backscatter_minute
                      WHERE minute >= toStartOfMinute({from:DateTime64(6)}) AND minute < {to:DateTime64(6)}
                      GROUP BY victim HAVING sum(packets) >= {minPackets:UInt64})
     GROUP BY victim, minute ORDER BY victim, minute`,
    params,
  );
  const attacks: DosAttack[] = [];
  let cur: { ip: string; first: number; last: number; packets: number; peak: number; dsts: number; ports: Set<number> } | undefined;
  const close = (): void => {
    if (!cur) return;
    const duration = (cur.last - cur.first) / 1e6;
    if (cur.packets >= t.minPackets && duration >= t.minDurationSeconds && cur.peak >= t.minPeakPerMinute) {
      attacks.push({
        ip: cur.ip,
        packets: cur.packets,
        start: new Date(cur.first / 1000).toISOString(),
        end: new Date(cur.last / 1000).toISOString(),
        peakRate: cur.peak,
        darknetAddresses: cur.dsts,
        ports: [...cur.ports].sort((a, b) => a - b).map(portLabel),
      });
    }
    cur = undefined;
  };
  for (const r of rows) {
    if (cur && (cur.ip !== r.ip || r.first - cur.last > t.vectorTimeoutSeconds * 1e6)) close();
    if (!cur) cur = { ip: r.ip, first: r.first, last: r.last, packets: 0, peak: 0, dsts: 0, ports: new Set() };
    cur.last = Math.max(cur.last, r.last);
    cur.packets += r.packets;
    cur.peak = Math.max(cur.peak, r.packets);
    cur.dsts = Math.max(cur.dsts, r.dsts);
    for (const p of r.ports) cur.ports.add(p);
  }
  close();
  return attacks.sort((a, b) => b.packets - a.packets || a.ip.localeCompare(b.ip));
}

function portLabel(code: number): string {
  const proto = Math.floor(code / 65536);
  const port = code % 65536;
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'icmpv6' : String(proto);
  return proto === 6 || proto === 17 ? `${name}/${port}` : name;
}
