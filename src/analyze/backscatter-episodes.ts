/**
 * A DoS victim's attack episodes, from its hourly backscatter (darknet_source_hour: the victim is
 * the source of the replies its attackers' spoofed packets provoked).
 *
 * Gap rule: hours with backscatter belong to one episode while at most EPISODE_GAP_HOURS − 1
 * quiet hours separate them; EPISODE_GAP_HOURS quiet hours in a row (2: two whole hours without
 * a single reply) end the episode. One quiet hour is kept inside: attacks pulse, and an attack
 * straddling an hour boundary with a lull is still one attack. The finer minute-level attacks of
 * the report (analyze/dos-attacks.ts) apply the packet, duration and rate thresholds; an episode
 * here is every run of backscatter, so that the host page shows all of it.
 */
export const EPISODE_GAP_HOURS = 2;

export interface HourCount {
  /** Start of the hour, ISO 8601 (UTC). */
  hour: string;
  packets: number;
  backscatter: number;
}

export interface BackscatterEpisode {
  /** Start of the first hour with backscatter. */
  start: string;
  /** End of the last hour with backscatter (exclusive). */
  end: string;
  packets: number;
  /** The busiest hour's backscatter packets, and that hour. */
  peak: number;
  peakHour: string;
}

const HOUR_MS = 3_600_000;

/** Episodes, oldest first, from hours in any order (hours without backscatter are ignored). */
export function backscatterEpisodes(hours: readonly HourCount[]): BackscatterEpisode[] {
  const busy = hours.filter((h) => h.backscatter > 0).map((h) => ({ t: Date.parse(h.hour), n: h.backscatter, hour: h.hour })).sort((a, b) => a.t - b.t);
  const out: BackscatterEpisode[] = [];
  let cur: { first: number; last: number; packets: number; peak: number; peakHour: string } | undefined;
  const close = (): void => {
    if (cur) out.push({ start: new Date(cur.first).toISOString(), end: new Date(cur.last + HOUR_MS).toISOString(), packets: cur.packets, peak: cur.peak, peakHour: cur.peakHour });
  };
  for (const h of busy) {
    // Hours strictly between the last busy hour and this one are quiet.
    if (cur && (h.t - cur.last) / HOUR_MS - 1 >= EPISODE_GAP_HOURS) {
      close();
      cur = undefined;
    }
    if (!cur) cur = { first: h.t, last: h.t, packets: 0, peak: 0, peakHour: h.hour };
    cur.last = h.t;
    cur.packets += h.n;
    if (h.n > cur.peak) {
      cur.peak = h.n;
      cur.peakHour = new Date(h.t).toISOString();
    }
  }
  close();
  return out;
}
