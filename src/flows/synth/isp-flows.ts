/**
 * The synthetic ISP's flows as a router exports them: one unidirectional record per direction
 * of each session (client→server, server→client), with a diurnal rhythm and heavy-tailed sizes
 * for benign use, exact-period services, and the botnets' beacons (isp-plan.ts). Records are
 * produced client by client into a reused FlowBatch handed to `sink` once it holds a chunk, so any
 * number of flows takes a fixed amount of memory; `sample` thins packets 1-in-N at generation.
 */
import { FlowBatch, FLOW_KIND } from '../flow-batch.js';
import { Rng, cumulative } from '../../synth/rng.js';
import { clientV4, clientV6, longTailV4, planIsp, type Botnet, type Endpoint, type IspPlan, type PeriodicService } from './isp-plan.js';
import { sampledPackets } from './sampling.js';

export interface IspFlowOptions {
  readonly seed?: number;
  readonly clients?: number;
  /** Or the number of records wanted: clients = flows / flowsPerClient (records per client per day). */
  readonly flows?: number;
  readonly flowsPerClient?: number;
  readonly hours?: number;
  /** Start of the window, ms since the epoch (default: 2026-12-01T00:00Z; a date keeps runs comparable). */
  readonly startMs?: number;
  /** 1-in-N packet sampling applied at generation (1 = none). */
  readonly sample?: number;
  readonly botnetsPerKind?: number;
  /** Records per batch handed to the sink. */
  readonly chunk?: number;
}

export interface IspFlowSummary {
  readonly plan: IspPlan;
  readonly records: number;
  readonly startMs: number;
  readonly endMs: number;
}

export const DEFAULT_START_MS = Date.UTC(2026, 11, 1);
export const DEFAULT_FLOWS_PER_CLIENT = 1000;
/** Records per client per day that the periodic services make on average (what benign sessions fill up to flowsPerClient). */
const PERIODIC_RECORDS_PER_DAY = 400;
const EXPORTER = 0xc0000201; // 192.0.2.1

/** Share of a day's sessions per local (JST) hour: quiet at night, a peak in the evening. */
const DIURNAL_JST = [3, 2, 1.5, 1, 1, 1.5, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 10, 10, 8, 5];

class Emitter {
  readonly b: FlowBatch;
  records = 0;
  constructor(private readonly sink: (b: FlowBatch) => Promise<void>, private readonly chunk: number, private readonly sample: number, private readonly r: Rng) {
    // A client's records always fit: the batch grows, and is handed on between clients.
    this.b = new FlowBatch(chunk + 16_384);
  }

  private one(t: number, dur: number, c: number, e: Endpoint, cport: number, fromClient: boolean, packets: number, octets: number, flags: number): void {
    const n = this.sample;
    const kept = n > 1 ? sampledPackets(packets, n, this.r.float()) : packets;
    if (kept <= 0) return;
    const b = this.b;
    const i = b.begin();
    b.kind[i] = FLOW_KIND.netflow9;
    FlowBatch.setV4(b.exporter16, i, EXPORTER);
    b.startMs[i] = t;
    b.endMs[i] = t + dur;
    const cCol = fromClient ? b.src16 : b.dst16;
    const sCol = fromClient ? b.dst16 : b.src16;
    if (e.v6) {
      b.family[i] = 6;
      clientV6(c, cCol, i * 16);
      FlowBatch.setV6(sCol, i, e.v6, 0);
    } else {
      b.family[i] = 4;
      FlowBatch.setV4(cCol, i, clientV4(c));
      FlowBatch.setV4(sCol, i, e.v4);
    }
    b.sport[i] = fromClient ? cport : e.port;
    b.dport[i] = fromClient ? e.port : cport;
    b.proto[i] = e.proto;
    b.tcpFlags[i] = e.proto === 6 ? flags : 0;
    b.packets[i] = kept;
    b.octets[i] = kept === packets ? octets : Math.max(kept * 28, Math.round((octets * kept) / packets));
    b.sampling[i] = n;
    b.inIf[i] = fromClient ? 1 : 2;
    b.outIf[i] = fromClient ? 2 : 1;
    b.commit();
    this.records++;
  }

  /** Hands the batch on once it holds a chunk's worth (called between clients, so nothing awaits per record). */
  async drain(): Promise<void> {
    if (this.b.length < this.chunk) return;
    await this.sink(this.b);
    this.b.reset();
  }

  /** A session: the client's record and, when the server answered, the server's. */
  session(t: number, dur: number, c: number, e: Endpoint, cport: number, c2s: readonly [number, number], s2c: readonly [number, number], flags: number): void {
    this.one(t, dur, c, e, cport, true, c2s[0], c2s[1], flags);
    if (s2c[0] > 0) this.one(t + 1 + (dur >> 3), dur, c, e, cport, false, s2c[0], s2c[1], flags);
  }

  async flush(): Promise<void> {
    if (this.b.length > 0) await this.sink(this.b);
    this.b.reset();
  }
}

const ephemeral = (r: Rng): number => 32768 + r.int(28232);
const vary = (r: Rng, v: number, f: number): number => Math.max(1, Math.round(v * (1 + f * (2 * r.float() - 1))));

/** Calls `at(t)` at every period (± jitter) across [0, spanMs), from a random phase. */
function periodic(r: Rng, spanMs: number, periodS: number, jitter: number, at: (t: number) => void): void {
  const p = periodS * 1000;
  for (let t = r.float() * p; t < spanMs; t += p * (1 + jitter * (2 * r.float() - 1))) at(t);
}

function benign(em: Emitter, r: Rng, plan: IspPlan, c: number, t0: number, spanMs: number, sessions: number, hourCum: Float64Array): void {
  const hours = spanMs / 3_600_000;
  for (let k = 0; k < sessions; k++) {
    const h = r.pick(hourCum);
    const t = t0 + Math.min(spanMs - 1, (h + r.float()) * 3_600_000 * (hours / hourCum.length));
    const u = r.float();
    let e: Endpoint;
    let c2s: [number, number];
    let s2c: [number, number];
    let dur: number;
    if (u < 0.5) { // web, popular
      e = plan.popular[r.pick(plan.popularWeights)] as Endpoint;
      const p = r.pareto(4, 1.3, 2000);
      c2s = [p, p * 60 + r.pareto(300, 1.2, 200_000)];
      const q = r.pareto(4, 1.1, 80_000);
      s2c = [q, q * 1200];
      dur = r.pareto(200, 1.0, 600_000);
    } else if (u < 0.65) { // web, long tail: most of these servers see one client a day
      const k = r.int(plan.longTailSize);
      e = { v4: longTailV4(plan.seed, k), v6: null, port: k % 5 === 0 ? 80 : 443, proto: 6 };
      const p = r.pareto(4, 1.3, 500);
      c2s = [p, p * 80 + r.pareto(300, 1.2, 50_000)];
      const q = r.pareto(4, 1.2, 5000);
      s2c = [q, q * 1100];
      dur = r.pareto(300, 1.0, 300_000);
    } else if (u < 0.88) { // DNS
      e = plan.resolvers[r.int(2) + (c & 1) * 2] as Endpoint;
      c2s = [1, 60 + r.int(30)];
      s2c = [1, 90 + r.int(300)];
      dur = 1 + r.int(40);
    } else if (u < 0.91) { // mail
      e = plan.mail[c % plan.mail.length] as Endpoint;
      const p = r.pareto(8, 1.2, 2000);
      c2s = [p, p * 300];
      s2c = [r.pareto(8, 1.2, 5000), r.pareto(3000, 1.1, 30_000_000)];
      dur = r.pareto(500, 1.0, 1_800_000);
    } else if (u < 0.94) { // streaming: few, long and big
      e = plan.streaming[r.int(plan.streaming.length)] as Endpoint;
      const q = r.pareto(2000, 1.1, 2_000_000);
      c2s = [Math.ceil(q / 20), Math.ceil(q / 20) * 60];
      s2c = [q, q * 1350];
      dur = r.pareto(60_000, 1.0, 3_600_000);
    } else { // a SaaS on a cloud address: popular, the same address and port as a 'cloud' C&C
      e = plan.cloud[r.int(plan.cloud.length)] as Endpoint;
      const p = r.pareto(6, 1.3, 2000);
      c2s = [p, p * 150 + r.int(2000)];
      s2c = [p + r.int(10), r.pareto(3000, 1.1, 5_000_000)];
      dur = r.pareto(300, 1.0, 600_000);
    }
    em.session(t, dur, c, e, ephemeral(r), c2s, s2c, 0x1b);
  }
}

function service(em: Emitter, r: Rng, s: PeriodicService, c: number, t0: number, spanMs: number): void {
  const e = s.servers[(c * 7 + s.name.length) % s.servers.length] as Endpoint;
  const period = s.periodS[r.int(s.periodS.length)] as number;
  const port = ephemeral(r); // a keep-alive rides one connection; other services' sessions differ anyway
  periodic(r, spanMs, period, s.jitter, (t) =>
    em.session(t0 + t, 20 + r.int(200), c, e, s.flags === 0x18 ? port : ephemeral(r), [s.c2s[0], vary(r, s.c2s[1], 0.03)], [s.s2c[0], vary(r, s.s2c[1], 0.05)], s.flags));
}

function bot(em: Emitter, r: Rng, n: Botnet, c: number, t0: number, spanMs: number): void {
  const req = vary(r, n.c2sOctets, 0.1); // each bot's build differs a little; its beacons are alike
  for (const e of n.servers) {
    const port = ephemeral(r);
    periodic(r, spanMs, n.periodS, n.jitter, (t) => {
      const task = r.float() < 0.05; // now and then the server sends a command
      switch (n.kind) {
        case 'irc':
          em.session(t0 + t, 50 + r.int(100), c, e, port, [1, 52 + r.int(12)], task ? [3, 300 + r.int(600)] : [1, 52 + r.int(12)], 0x18);
          break;
        case 'p2p':
          em.session(t0 + t, 100 + r.int(400), c, e, e.port, [1, vary(r, req, 0.02)], [1, vary(r, req, 0.2)], 0);
          break;
        case 'sleep':
          em.session(t0 + t, 500 + r.int(2000), c, e, ephemeral(r), [10, vary(r, req + 1200, 0.03)], task ? [20, 20_000 + r.int(50_000)] : [8, vary(r, 3800, 0.05)], 0x1b);
          break;
        default: // http, cloud
          em.session(t0 + t, 100 + r.int(900), c, e, ephemeral(r), [5, vary(r, req, 0.03)], task ? [12, 8000 + r.int(40_000)] : [4, vary(r, 350, 0.1)], 0x1b);
      }
    });
  }
  if (n.kind === 'p2p') { // peers among the infected clients too (internal to internal: not a candidate)
    for (const peer of n.clients) {
      if (peer === c) continue;
      const e: Endpoint = { v4: clientV4(peer), v6: null, port: (n.servers[0] as Endpoint).port, proto: 17 };
      periodic(r, spanMs, n.periodS * 2, n.jitter, (t) => em.session(t0 + t, 200, c, e, e.port, [1, req], [1, req], 0));
    }
  }
}

/** Generates the ISP's flows into `sink` (a batch reused after each call); returns the plan (the truth) and counts. */
export async function generateIspFlows(o: IspFlowOptions, sink: (b: FlowBatch) => Promise<void>): Promise<IspFlowSummary> {
  const seed = o.seed ?? 1;
  const hours = o.hours ?? 24;
  const perClient = o.flowsPerClient ?? DEFAULT_FLOWS_PER_CLIENT;
  const clients = o.clients ?? Math.max(10, Math.round((o.flows ?? 1_000_000) / perClient));
  const plan = planIsp({ seed, clients, botnetsPerKind: o.botnetsPerKind });
  const t0 = o.startMs ?? DEFAULT_START_MS;
  const spanMs = hours * 3_600_000;
  const startHour = new Date(t0).getUTCHours();
  // One weight per hour of the window, from the JST hour it falls in.
  const hourCum = cumulative(Array.from({ length: Math.max(1, Math.ceil(hours)) }, (_, h) => DIURNAL_JST[(startHour + h + 9) % 24] as number));
  const rCounts = new Rng(seed, 7);
  const em = new Emitter(sink, o.chunk ?? 65_536, Math.max(1, Math.floor(o.sample ?? 1)), new Rng(seed, 11));
  const botsOf = new Map<number, Botnet[]>();
  for (const n of plan.botnets) for (const c of n.clients) botsOf.set(c, [...(botsOf.get(c) ?? []), n]);
  const benignSessions = Math.max(10, (perClient - PERIODIC_RECORDS_PER_DAY) / 2) * (hours / 24);
  for (let c = 0; c < plan.clients; c++) {
    const r = new Rng(seed, 1000 + c);
    const activity = Math.min(8, rCounts.pareto(50, 1.5, 100_000) / 150); // mean about 1, heavy-tailed
    benign(em, r, plan, c, t0, spanMs, Math.round(benignSessions * activity), hourCum);
    for (const s of plan.periodic) {
      const uses = s.users ? s.users.includes(c) : r.float() < s.share;
      if (uses) service(em, r, s, c, t0, spanMs);
    }
    for (const n of botsOf.get(c) ?? []) bot(em, r, n, c, t0, spanMs);
    await em.drain();
  }
  await em.flush();
  return { plan, records: em.records, startMs: t0, endMs: t0 + spanMs };
}
