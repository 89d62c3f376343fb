import { MINUTES, type Population } from './population.js';
import { Rng } from './rng.js';

/**
 * When each packet is sent, as a counting sort by minute: `order` lists the stream of every
 * packet, minute after minute; `start[m]..start[m+1]` is minute m. Typed arrays only.
 */
export interface Schedule {
  order: Uint32Array;
  start: Uint32Array;
}

/** Diurnal weight per minute: busiest in the Asian evening (~13:00 UTC), quietest twelve hours later. */
export function diurnalCumulative(seed: number): Float64Array {
  const rng = new Rng(seed, 2);
  const c = new Float64Array(MINUTES + 1);
  for (let m = 0; m < MINUTES; m++) {
    const w = 1 + 0.3 * Math.cos((2 * Math.PI * (m - 13 * 60)) / MINUTES) + 0.05 * (rng.float() - 0.5);
    c[m + 1] = (c[m] as number) + w;
  }
  return c;
}

export function buildSchedule(pop: Population, total: number, seed: number): Schedule {
  const { streams: st, plans } = pop;
  const rng = new Rng(seed, 3);
  const cum = diurnalCumulative(seed);
  const planOf = new Map(plans.map((p) => [p.stream, p]));
  const minuteOf = new Uint16Array(total);
  const count = new Uint32Array(MINUTES + 1);
  let p = 0;
  for (let s = 0; s < st.length; s++) {
    const plan = planOf.get(s);
    if (plan) {
      for (let j = 0; j < plan.perMinute.length; j++) {
        for (let k = 0; k < (plan.perMinute[j] as number); k++) minuteOf[p++] = plan.startMinute + j;
      }
      continue;
    }
    const a = st.winStart[s] as number;
    const b = a + (st.winLen[s] as number);
    const lo = cum[a] as number;
    const span = (cum[b] as number) - lo;
    for (let k = st.packets[s] as number; k > 0; k--) {
      // Inverse of the diurnal CDF restricted to the source's window.
      const x = lo + rng.float() * span;
      let l = a;
      let h = b - 1;
      while (l < h) {
        const mid = (l + h + 1) >> 1;
        if ((cum[mid] as number) <= x) l = mid; else h = mid - 1;
      }
      minuteOf[p++] = l;
    }
  }
  if (p !== total) throw new Error(`internal: scheduled ${p} packets instead of ${total}`);
  for (let i = 0; i < total; i++) count[(minuteOf[i] as number) + 1]++;
  const start = new Uint32Array(MINUTES + 1);
  for (let m = 0; m < MINUTES; m++) start[m + 1] = (start[m] as number) + (count[m + 1] as number);
  const next = start.slice(0, MINUTES);
  const order = new Uint32Array(total);
  p = 0;
  for (let s = 0; s < st.length; s++) {
    for (let k = st.packets[s] as number; k > 0; k--) {
      const m = minuteOf[p++] as number;
      order[next[m] as number] = s;
      next[m] = (next[m] as number) + 1;
    }
  }
  // Interleave the sources within each minute.
  for (let m = 0; m < MINUTES; m++) {
    const a = start[m] as number;
    for (let i = (start[m + 1] as number) - 1; i > a; i--) {
      const j = a + rng.int(i - a + 1);
      const t = order[i] as number; order[i] = order[j] as number; order[j] = t;
    }
  }
  return { order, start };
}
