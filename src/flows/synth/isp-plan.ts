/**
 * The synthetic ISP's population with known truth (docs/flows.md, "Evaluation"): internal clients
 * in documented prefixes, the external servers of benign traffic (popular, long tail), popular
 * periodic services that must not be flagged (NTP, update checks, push keep-alives, CDN
 * telemetry), a few rare benign periodic services (home devices calling their vendor), and
 * botnets of several kinds with their C&C servers (the labels). Everything is drawn from one
 * seed, so the same seed gives the same ISP.
 */
import { Rng } from '../../synth/rng.js';
import { formatIPv4, formatIPv6Bytes } from '../../net/ip.js';

/** The generator's internal prefixes (what `--internal` must say to orient its flows). */
export const SYNTH_INTERNAL = ['10.0.0.0/8', '2001:db8:1000::/48'] as const;

export type CncKind = 'irc' | 'http' | 'sleep' | 'p2p' | 'cloud';
export const CNC_KINDS: readonly CncKind[] = ['irc', 'http', 'sleep', 'p2p', 'cloud'];

/** One labelled C&C endpoint (`labels.json`). */
export interface CncLabel {
  readonly server: string;
  readonly port: number;
  readonly proto: number;
  readonly kind: CncKind;
  readonly botnet: string;
}

/** An external endpoint: IPv4 as a number, or IPv6 as its 16 bytes. */
export interface Endpoint {
  readonly v4: number;
  readonly v6: Uint8Array | null;
  readonly port: number;
  readonly proto: number;
}

/** A periodic service: each user calls one of `servers` every `periodS` (± `jitter`, a fraction). */
export interface PeriodicService {
  readonly name: string;
  readonly servers: readonly Endpoint[];
  /** Share of clients that use it (popular ones), or the exact users (rare ones). */
  readonly share: number;
  readonly users?: readonly number[];
  readonly periodS: readonly number[];
  readonly jitter: number;
  readonly c2s: readonly [packets: number, octets: number];
  readonly s2c: readonly [packets: number, octets: number];
  /** TCP flags of each record (0x18 for keep-alives on an open connection, 0x1b for a whole short connection). */
  readonly flags: number;
}

export interface Botnet {
  readonly name: string;
  readonly kind: CncKind;
  readonly clients: readonly number[];
  readonly servers: readonly Endpoint[];
  readonly periodS: number;
  readonly jitter: number;
  /** Request size (octets) of each bot's beacon, before its small variation. */
  readonly c2sOctets: number;
  /** Whether its clients also scan (and so show up as sources in the darknet). */
  readonly scans: boolean;
}

export interface IspPlan {
  readonly seed: number;
  readonly clients: number;
  readonly popular: readonly Endpoint[];
  /** Cumulative Zipf weights over `popular`. */
  readonly popularWeights: Float64Array;
  readonly longTailSize: number;
  readonly resolvers: readonly Endpoint[];
  readonly mail: readonly Endpoint[];
  readonly streaming: readonly Endpoint[];
  /** The cloud addresses whose port 443 serves benign users too (C&C of kind 'cloud' hides there). */
  readonly cloud: readonly Endpoint[];
  readonly periodic: readonly PeriodicService[];
  readonly botnets: readonly Botnet[];
  /** Benign clients that also scan (a misconfigured or otherwise infected device): darknet noise. */
  readonly benignScanners: readonly number[];
  readonly labels: readonly CncLabel[];
}

export interface PlanOptions {
  readonly seed: number;
  readonly clients: number;
  /** Botnets of each kind (default 2). */
  readonly botnetsPerKind?: number;
}

const PRIVATE = [[0x0a000000, 8], [0x7f000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x64400000, 10], [0xa9fe0000, 16], [0, 8]] as const;

/** A public-looking IPv4 address (no private, loopback, CGN, link-local or multicast space). */
export function publicV4(r: Rng): number {
  for (;;) {
    const v = (0x01000000 + r.int(0xdf000000 - 0x01000000)) >>> 0;
    if (!PRIVATE.some(([base, bits]) => (v >>> (32 - bits)) === (base >>> (32 - bits)))) return v;
  }
}

/** The long-tail server number k as an address: a fixed hash, so no table of millions is kept. */
export function longTailV4(seed: number, k: number): number {
  const r = new Rng(seed ^ 0x5eed, 1_000_003 + k);
  return publicV4(r);
}

function ep(r: Rng, port: number, proto: number, v6share = 0): Endpoint {
  if (v6share > 0 && r.float() < v6share) {
    const b = new Uint8Array(16);
    b.set([0x20, 0x01, 0x0d, 0xb8, 0xf0, 0x00]);
    for (let k = 8; k < 16; k++) b[k] = r.int(256);
    return { v4: 0, v6: b, port, proto };
  }
  return { v4: publicV4(r), v6: null, port, proto };
}

/** A client's IPv4 address (10.x.y.z, from 10.1.0.1 on). */
export const clientV4 = (c: number): number => (0x0a010001 + c) >>> 0;

/** A client's IPv6 address in 2001:db8:1000::/48 (every client is dual-stack). */
export function clientV6(c: number, out: Uint8Array, off: number): void {
  out.fill(0, off, off + 16);
  out.set([0x20, 0x01, 0x0d, 0xb8, 0x10, 0x00, (c >>> 8) & 255, c & 255], off);
  out[off + 15] = 1;
}

export const endpointText = (e: Endpoint): string => (e.v6 ? formatIPv6Bytes(e.v6, 0) : formatIPv4(e.v4));

function distinctClients(r: Rng, n: number, clients: number, taken: Set<number>): number[] {
  const out: number[] = [];
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const c = r.int(clients);
    if (!taken.has(c)) { taken.add(c); out.push(c); }
  }
  return out;
}

export function planIsp(o: PlanOptions): IspPlan {
  const r = new Rng(o.seed, 0xc0ffee);
  const clients = Math.max(10, Math.floor(o.clients));
  const nPopular = 300 + Math.floor(clients / 20);
  const popular = Array.from({ length: nPopular }, () => ep(r, r.float() < 0.85 ? 443 : 80, 6, 0.25));
  const popularWeights = new Float64Array(nPopular);
  let s = 0;
  for (let k = 0; k < nPopular; k++) { s += 1 / (k + 1); popularWeights[k] = s; }
  const resolvers = Array.from({ length: 4 }, () => ep(r, 53, 17));
  const mail = Array.from({ length: 6 }, () => ep(r, r.float() < 0.5 ? 993 : 587, 6));
  const streaming = Array.from({ length: 12 }, () => ep(r, 443, r.float() < 0.3 ? 17 : 6));
  const cloud = Array.from({ length: 4 }, () => ep(r, 443, 6));
  const many = (n: number, port: number, proto: number): Endpoint[] => Array.from({ length: n }, () => ep(r, port, proto));
  // Popular means popular at any size: a service's server count grows with the clients, so each
  // of its servers keeps hundreds of users (a small test ISP must not make NTP look rare).
  const per = (usersPerServer: number, share: number): number => Math.max(1, Math.round((clients * share) / usersPerServer));
  const periodic: PeriodicService[] = [
    { name: 'ntp', servers: many(per(300, 0.6), 123, 17), share: 0.6, periodS: [256, 512, 1024, 1024, 1024], jitter: 0.002, c2s: [1, 76], s2c: [1, 76], flags: 0 },
    { name: 'os-update', servers: many(per(2000, 0.5), 443, 6), share: 0.5, periodS: [3600], jitter: 0.05, c2s: [8, 2400], s2c: [9, 6100], flags: 0x1b },
    { name: 'av-update', servers: many(per(1000, 0.3), 443, 6), share: 0.3, periodS: [1800], jitter: 0.02, c2s: [6, 1500], s2c: [6, 3200], flags: 0x1b },
    { name: 'push', servers: many(per(500, 0.7), 5223, 6), share: 0.7, periodS: [900, 1200, 1680], jitter: 0.03, c2s: [1, 85], s2c: [1, 85], flags: 0x18 },
    { name: 'telemetry', servers: many(per(150, 0.4), 443, 6), share: 0.4, periodS: [300, 600, 900], jitter: 0.1, c2s: [7, 1800], s2c: [6, 900], flags: 0x1b },
  ];
  const taken = new Set<number>();
  // Rare benign periodic: a home device calling its small vendor's cloud (what no rarity filter can tell from a beacon).
  for (let v = 0; v < 2; v++) {
    periodic.push({
      name: `iot-vendor-${v + 1}`, servers: many(1, v === 0 ? 8883 : 443, 6), share: 0, users: distinctClients(r, 2 + r.int(4), clients, new Set()),
      periodS: [v === 0 ? 60 : 300], jitter: 0.01, c2s: [2, 160], s2c: [2, 140], flags: 0x18,
    });
  }
  const botnets: Botnet[] = [];
  const labels: CncLabel[] = [];
  const perKind = o.botnetsPerKind ?? 2;
  for (const kind of CNC_KINDS) {
    for (let k = 0; k < perKind; k++) {
      const name = `${kind}-${k + 1}`;
      const size = 1 + r.int(20);
      const bots = distinctClients(r, Math.min(size, Math.floor(clients / 10)), clients, taken);
      let servers: Endpoint[];
      let periodS: number;
      let jitter: number;
      if (kind === 'irc') { servers = [ep(r, [6667, 6668, 7000, 8080][r.int(4)] as number, 6)]; periodS = 90 + r.int(150); jitter = 0.05; }
      else if (kind === 'http') { servers = [ep(r, [80, 443, 8080][r.int(3)] as number, 6)]; periodS = 60 + r.int(840); jitter = 0.1 + r.float() * 0.4; }
      else if (kind === 'sleep') { servers = [ep(r, 443, 6)]; periodS = 3600 * (1 + r.int(5)); jitter = 0.1 + r.float() * 0.2; }
      else if (kind === 'p2p') { const port = 10000 + r.int(50000); servers = Array.from({ length: 3 + r.int(4) }, () => ep(r, port, 17)); periodS = 300 + r.int(900); jitter = 0.3; }
      else { servers = [cloud[k % cloud.length] as Endpoint]; periodS = 120 + r.int(480); jitter = 0.2; }
      botnets.push({ name, kind, clients: bots, servers, periodS, jitter, c2sOctets: 200 + r.int(500), scans: kind === 'irc' || kind === 'p2p' });
      for (const e of servers) labels.push({ server: endpointText(e), port: e.port, proto: e.proto, kind, botnet: name });
    }
  }
  const benignScanners = distinctClients(r, Math.max(1, Math.floor(clients / 200)), clients, new Set(taken));
  return { seed: o.seed, clients, popular, popularWeights, longTailSize: Math.max(50_000, clients * 50), resolvers, mail, streaming, cloud, periodic, botnets, benignScanners, labels };
}
