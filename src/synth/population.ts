import { parsePrefix4 } from './prefixes.js';
import { DOS_VECTOR_WEIGHTS, LOW_VECTOR_WEIGHTS, VEC_DNS, VEC_SYN_ACK, VEC_RST_ACK, VEC_RST } from './dos-backscatter.js';
import type { ResolvedOptions } from './options.js';
import { Rng, cumulative } from './rng.js';
import { SourceNetworks } from './source-networks.js';
import { Streams } from './streams.js';
import {
  COUNT_MODEL, DOS_PORTS, IOT_SYN_PORTS, KIND_DOS, KIND_ICMP_ECHO, KIND_IOT_SYN, KIND_LOW_BACKSCATTER, KIND_MASSCAN,
  KIND_MIRAI, KIND_NAMES, KIND_NMAP, KIND_STRAY, KIND_UDP_PROBE, KIND_V6_ECHO, KIND_V6_SYN, KIND_ZMAP, MASSCAN_PORTS,
  ROLE_OF_KIND, ZMAP_PORTS, isIpv6Kind,
} from './traffic-kinds.js';
import { UDP_PROBE_PORTS } from './udp-probes.js';
import { surgeShares } from './surge-injection.js';

export const MINUTES = 1440;

/** A backscatter source with an explicit packets-per-minute profile (DoS attacks and near misses). */
export interface BackscatterPlan {
  stream: number;
  startMinute: number;
  perMinute: Uint32Array;
  /** 'attack' is meant to qualify; 'burst' (too short) and 'trickle' (too slow) are not. */
  intent: 'attack' | 'burst' | 'trickle';
}

export interface Population {
  streams: Streams;
  plans: BackscatterPlan[];
  networks: SourceNetworks;
}

const IPV6_PORTS = [22, 80, 443, 23, 8080, 3389, 445, 8443];
const LINUX_WINDOWS = [5840, 14600, 29200, 64240, 65535];

/** Chooses `k` distinct elements of `xs` (k ≤ xs.length). */
function sample(rng: Rng, xs: readonly number[], k: number): number[] {
  const a = [...xs];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i] as number; a[i] = a[j] as number; a[j] = t;
  }
  return a.slice(0, k);
}

/** Hops to the darknet: most paths are 10–20 routers long. */
function hops(rng: Rng): number {
  return 6 + rng.int(10) + rng.int(10);
}

/**
 * Decides who sends what: one stream per source, with its packet count, ports, TTL, window and
 * activity window; DoS victims get an explicit rate profile (ramp up, peak, decay).
 */
export function buildPopulation(o: ResolvedOptions): Population {
  const rng = new Rng(o.seed, 1);
  const networks = new SourceNetworks(o.seed, o.darknet4.map(parsePrefix4));
  const st = new Streams(Math.min(1 << 22, Math.max(1024, Math.ceil(o.packets / 4))));
  const plans: BackscatterPlan[] = [];

  const newSource = (kind: number): number => {
    const s = st.add(kind);
    if (isIpv6Kind(kind)) {
      // add6 may grow src6: reserve first, then write into the array as it is now.
      const at = st.add6(s);
      networks.allocate6(rng, ROLE_OF_KIND[kind] ?? 'any', st.src6, at);
    }
    else st.src4[s] = networks.allocate4(rng, ROLE_OF_KIND[kind] ?? 'any');
    return s;
  };

  // Budgets: IPv6 and DoS shares first, the IPv4 kinds share the rest in proportion to the mix.
  const n = o.packets;
  const v6 = Math.round(n * o.ipv6Share);
  let dos = Math.round(n * o.dosShare);
  let victims = o.dosVictims;
  // An attack needs room for a ramp, a peak of ≥ 40/min and a decay: at least 150 packets each.
  while (victims > 0 && dos / victims < 150) victims--;
  if (victims === 0) dos = 0;
  const rest = n - v6 - dos;
  const v4Kinds = KIND_NAMES.filter((k, i) => !isIpv6Kind(i) && i !== KIND_DOS && o.mix[k] > 0);
  const mixTotal = v4Kinds.reduce((a, k) => a + o.mix[k], 0);
  const budget = new Float64Array(KIND_NAMES.length);
  let assigned = 0;
  for (const k of v4Kinds) { const b = Math.floor((rest * o.mix[k]) / mixTotal); budget[KIND_NAMES.indexOf(k)] = b; assigned += b; }
  // Rounding leftovers go to the largest kind (or to DoS/IPv6 when nothing else is left).
  const leftover = rest - assigned;
  if (v4Kinds.length > 0) {
    const big = KIND_NAMES.indexOf(v4Kinds.reduce((a, k) => (o.mix[k] > o.mix[a] ? k : a)));
    budget[big] = (budget[big] as number) + leftover;
  } else if (dos > 0) dos += leftover;
  const v6Total = v6 + (v4Kinds.length === 0 && dos === 0 ? leftover : 0);
  budget[KIND_V6_SYN] = Math.ceil(v6Total * 0.7);
  budget[KIND_V6_ECHO] = v6Total - (budget[KIND_V6_SYN] as number);

  // Near misses come out of the low-volume backscatter budget when it is large enough.
  if (o.subThresholdBackscatter && (budget[KIND_LOW_BACKSCATTER] as number) >= 400) {
    const burst = Math.max(o.dos.minPackets, o.dos.minPeakPerMinute, 30) + 10;
    const trickleMinutes = Math.max(90, Math.ceil(o.dos.minDurationSeconds / 60) * 3);
    const trickle = new Uint32Array(trickleMinutes).fill(1);
    for (let i = 0; i < trickleMinutes; i += 3) trickle[i] = 2;
    const trickleTotal = trickle.reduce((a, x) => a + x, 0);
    if (o.dos.minPeakPerMinute > 2 && (budget[KIND_LOW_BACKSCATTER] as number) > burst + trickleTotal + 100) {
      budget[KIND_LOW_BACKSCATTER] = (budget[KIND_LOW_BACKSCATTER] as number) - burst - trickleTotal;
      const b = backscatterSource(KIND_DOS, rng.pick(cumulative(DOS_VECTOR_WEIGHTS)));
      plans.push({ stream: b, startMinute: rng.int(MINUTES), perMinute: Uint32Array.of(burst), intent: 'burst' });
      const t = backscatterSource(KIND_DOS, VEC_RST_ACK);
      plans.push({ stream: t, startMinute: rng.int(MINUTES - trickleMinutes), perMinute: trickle, intent: 'trickle' });
    }
  }

  function backscatterSource(kind: number, vector: number): number {
    const s = newSource(kind);
    st.variant[s] = vector;
    st.service[s] = vector === VEC_DNS ? 53 : (DOS_PORTS[rng.int(DOS_PORTS.length)] as number);
    st.ttl[s] = (rng.float() < 0.7 ? 64 : 128) - hops(rng);
    st.window[s] = LINUX_WINDOWS[rng.int(LINUX_WINDOWS.length)] as number;
    st.ipId[s] = rng.u32() & 0xffff;
    if (vector === VEC_SYN_ACK || vector === VEC_RST_ACK || vector === VEC_RST || vector === VEC_DNS || vector === 8) {
      st.setPortPermutation(s, 1024, 64512, rng.int(64512));
    }
    return s;
  }

  // DoS attacks: split the budget unevenly (a couple of big ones, several smaller).
  if (victims > 0) {
    const weights = Array.from({ length: victims }, () => 0.3 + rng.float() * rng.float() * 3);
    const wsum = weights.reduce((a, x) => a + x, 0);
    let left = dos;
    for (let v = 0; v < victims; v++) {
      const p = v === victims - 1 ? left : Math.max(150, Math.min(left - 150 * (victims - v - 1), Math.round((dos * (weights[v] as number)) / wsum)));
      left -= p;
      const s = backscatterSource(KIND_DOS, rng.pick(cumulative(DOS_VECTOR_WEIGHTS)));
      const profile = attackProfile(rng, p, o.dos.minPeakPerMinute);
      plans.push({ stream: s, startMinute: rng.int(MINUTES - profile.length + 1), perMinute: profile, intent: 'attack' });
    }
  }

  const lowCap = Math.max(1, Math.min(COUNT_MODEL.lowBackscatter.cap, o.dos.minPackets - 1));
  const lowVectors = cumulative(LOW_VECTOR_WEIGHTS);
  for (let kind = 0; kind < KIND_NAMES.length; kind++) {
    if (kind === KIND_DOS) continue;
    const model = COUNT_MODEL[KIND_NAMES[kind] as keyof typeof COUNT_MODEL];
    let left = budget[kind] as number;
    while (left > 0) {
      const cap = Math.min(kind === KIND_LOW_BACKSCATTER ? lowCap : model.cap, o.maxSourcePackets);
      const c = Math.min(left, rng.pareto(model.xm, model.alpha, cap));
      left -= c;
      const s = kind === KIND_LOW_BACKSCATTER ? backscatterSource(kind, rng.pick(lowVectors)) : newSource(kind);
      st.packets[s] = c;
      configure(rng, st, s, kind, c);
    }
  }
  for (const p of plans) st.packets[p.stream] = p.perMinute.reduce((a, x) => a + x, 0);
  addSurges(o, st, networks);
  return { streams: st, plans, networks };
}

/**
 * The injected surges' scanners come last and draw from a random stream of their own, so the
 * background's sources and the minutes of their packets are those of the same day without surges.
 */
function addSurges(o: ResolvedOptions, st: Streams, networks: SourceNetworks): void {
  const rng = new Rng(o.seed, 5);
  for (const surge of o.surges) {
    const kind = surge.proto === 'tcp' ? KIND_IOT_SYN : KIND_UDP_PROBE;
    for (const c of surgeShares(surge)) {
      const s = st.add(kind);
      st.src4[s] = networks.allocate4(rng, ROLE_OF_KIND[kind] ?? 'any');
      st.packets[s] = c;
      configure(rng, st, s, kind, c);
      st.setPortSet(s, [surge.port]);
      st.winStart[s] = surge.hour * 60;
      st.winLen[s] = 60;
    }
  }
}

/** Per-kind source attributes and activity window. */
function configure(rng: Rng, st: Streams, s: number, kind: number, count: number): void {
  let len: number;
  switch (kind) {
    case KIND_MIRAI:
      st.setPortSet(s, [23, 2323]);
      st.ttl[s] = 64 - hops(rng);
      st.window[s] = rng.u32() & 0xffff;
      len = count <= 3 ? rng.range(1, 240) : rng.range(360, MINUTES);
      break;
    case KIND_MASSCAN:
      if (rng.float() < 0.3) st.setPortPermutation(s, 1, 65535, rng.int(65535));
      else st.setPortSet(s, sample(rng, MASSCAN_PORTS, rng.range(1, 12)));
      st.ttl[s] = 255 - hops(rng);
      st.sport[s] = rng.range(40000, 60000);
      len = rng.range(10, 180);
      break;
    case KIND_ZMAP:
      st.setPortSet(s, [ZMAP_PORTS[rng.int(ZMAP_PORTS.length)] as number]);
      st.ttl[s] = 255 - hops(rng);
      len = rng.range(10, 180);
      break;
    case KIND_NMAP:
      st.setPortPermutation(s, 1, 1024, rng.int(1024));
      st.ttl[s] = rng.range(37, 59) - hops(rng) + 6; // nmap picks 37–59 itself
      st.sport[s] = rng.range(33000, 65000);
      len = rng.range(5, 60);
      break;
    case KIND_IOT_SYN:
      st.setPortSet(s, sample(rng, IOT_SYN_PORTS, rng.range(1, 4)));
      st.ttl[s] = 64 - hops(rng);
      st.window[s] = LINUX_WINDOWS[rng.int(LINUX_WINDOWS.length)] as number;
      len = count <= 3 ? rng.range(1, 240) : rng.range(240, MINUTES);
      break;
    case KIND_UDP_PROBE:
      st.setPortSet(s, sample(rng, UDP_PROBE_PORTS, rng.range(1, 3)));
      st.ttl[s] = [64, 128, 255][rng.int(3)] as number - hops(rng);
      len = rng.range(1, 600);
      break;
    case KIND_ICMP_ECHO:
      st.ttl[s] = (rng.float() < 0.6 ? 64 : 128) - hops(rng);
      st.sport[s] = rng.u32() & 0xffff; // echo identifier
      st.variant[s] = [0, 8, 32, 56][rng.int(4)] as number;
      len = rng.range(1, 600);
      break;
    case KIND_V6_SYN:
      st.setPortSet(s, sample(rng, IPV6_PORTS, rng.range(1, 3)));
      st.ttl[s] = 64 - hops(rng);
      st.variant[s] = rng.float() < 0.5 ? 1 : 0;
      st.window[s] = st.variant[s] === 1 ? 64800 : 65535;
      st.sport[s] = rng.range(40000, 60000);
      len = rng.range(1, 600);
      break;
    case KIND_V6_ECHO:
      st.ttl[s] = 64 - hops(rng);
      st.sport[s] = rng.u32() & 0xffff;
      st.variant[s] = [0, 8, 16][rng.int(3)] as number;
      len = rng.range(1, 600);
      break;
    case KIND_STRAY:
      st.ttl[s] = (rng.float() < 0.7 ? 64 : 128) - hops(rng);
      st.service[s] = [80, 443, 8080, 993, 5222][rng.int(5)] as number;
      st.window[s] = LINUX_WINDOWS[rng.int(LINUX_WINDOWS.length)] as number;
      st.ipId[s] = rng.u32() & 0xffff;
      st.setPortPermutation(s, 1024, 64512, rng.int(64512));
      len = rng.range(1, 120);
      break;
    default: // low-volume backscatter
      len = rng.range(1, 120);
      break;
  }
  st.winLen[s] = len;
  st.winStart[s] = rng.int(MINUTES - len + 1);
}

/**
 * Packets per minute of one attack of `total` packets: a linear ramp over the first ~15 %, a
 * plateau to ~40 %, then an exponential decay. Every minute gets at least one packet, so the
 * attack is never split by the vector timeout, and the peak stays well above the threshold.
 */
export function attackProfile(rng: Rng, total: number, minPeak: number): Uint32Array {
  const target = Math.max(40, minPeak + 10);
  const minutes = Math.max(3, Math.min(rng.range(10, 240), Math.floor(total / target)));
  const w = new Float64Array(minutes);
  const up = Math.max(1, Math.round(minutes * (0.05 + rng.float() * 0.15)));
  const plateauEnd = Math.max(up + 1, Math.round(minutes * (0.3 + rng.float() * 0.2)));
  const tau = Math.max(1, minutes * (0.15 + rng.float() * 0.2));
  let wsum = 0;
  for (let j = 0; j < minutes; j++) {
    const x = j < up ? (j + 1) / (up + 1) : j < plateauEnd ? 1 : Math.exp(-(j - plateauEnd) / tau);
    w[j] = x * (0.85 + rng.float() * 0.3);
    wsum += w[j] as number;
  }
  const out = new Uint32Array(minutes).fill(1);
  const spare = total - minutes;
  // Largest remainder: exact total, proportional to the weights.
  const frac: number[] = [];
  let given = 0;
  for (let j = 0; j < minutes; j++) {
    const exact = (spare * (w[j] as number)) / wsum;
    const whole = Math.floor(exact);
    out[j] = (out[j] as number) + whole;
    given += whole;
    frac.push(exact - whole);
  }
  const order = frac.map((f, j) => [f, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let i = 0; i < spare - given; i++) {
    const j = (order[i % minutes] as readonly [number, number])[1];
    out[j] = (out[j] as number) + 1;
  }
  return out;
}
