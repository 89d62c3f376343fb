import { writeFile } from 'node:fs/promises';
import { createCaptureWriter } from '../sources/pcap/pcap-writer.js';
import { formatIPv4, formatIPv6Bytes } from '../net/ip.js';
import { DarknetSpace } from './darknet-space.js';
import { VECTOR_NAMES, vectorIsTcpOrUdp, writeBackscatter } from './dos-backscatter.js';
import {
  belowThreshold, isoMicros, joinAttacks, type Count, type GroundTruth, type MinuteStat, type TruthDosAttack, type TruthNearMiss, type TruthPort, type TruthSource,
} from './ground-truth.js';
import { writeIcmpEcho } from './icmp-echo.js';
import { writeIpv6Echo, writeIpv6Syn } from './ipv6-scans.js';
import { writeMasscan } from './masscan.js';
import { writeMirai } from './mirai.js';
import { resolveOptions, type SynthOptions } from './options.js';
import { writeIotSyn, writeNmap } from './other-scanners.js';
import { captureSink } from './output-stream.js';
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP, padEthernet } from './packet-bytes.js';
import { PacketContext } from './packet-context.js';
import { MINUTES, buildPopulation } from './population.js';
import { Rng } from './rng.js';
import { buildSchedule } from './schedule.js';
import { writeStray } from './stray.js';
import {
  CLASS_OF_KIND, KIND_DOS, KIND_ICMP_ECHO, KIND_IOT_SYN, KIND_LOW_BACKSCATTER, KIND_MASSCAN, KIND_MIRAI, KIND_NAMES,
  KIND_NMAP, KIND_STRAY, KIND_UDP_PROBE, KIND_V6_ECHO, KIND_V6_SYN, KIND_ZMAP, isIpv6Kind,
} from './traffic-kinds.js';
import { writeUdpProbe } from './udp-probes.js';
import { SurgeCounter } from './surge-counter.js';
import { writeZmap } from './zmap.js';

/** Largest frame we write (Ethernet + IPv4 + UDP + the SIP probe), with margin. */
const MAX_FRAME = 512;
const PROTO_INDEX = new Uint8Array(256);
PROTO_INDEX[PROTO_UDP] = 1;
PROTO_INDEX[PROTO_ICMP] = 2;
PROTO_INDEX[PROTO_ICMPV6] = 3;
const PROTO_OF_INDEX = ['tcp', 'udp', 'icmp', 'icmpv6'] as const;

type KindWriter = (c: PacketContext, b: Uint8Array, o: number, s: number) => number;
const WRITERS: KindWriter[] = [];
WRITERS[KIND_MIRAI] = writeMirai;
WRITERS[KIND_MASSCAN] = writeMasscan;
WRITERS[KIND_ZMAP] = writeZmap;
WRITERS[KIND_NMAP] = writeNmap;
WRITERS[KIND_IOT_SYN] = writeIotSyn;
WRITERS[KIND_UDP_PROBE] = writeUdpProbe;
WRITERS[KIND_ICMP_ECHO] = writeIcmpEcho;
WRITERS[KIND_V6_SYN] = writeIpv6Syn;
WRITERS[KIND_V6_ECHO] = writeIpv6Echo;
WRITERS[KIND_DOS] = writeBackscatter;
WRITERS[KIND_LOW_BACKSCATTER] = writeBackscatter;
WRITERS[KIND_STRAY] = writeStray;

/**
 * Writes one UTC day of synthetic darknet traffic to `out` (not ended afterwards) and returns
 * what a correct analysis must find in it. Same options and seed → identical bytes.
 */
export async function synthDarknet(opts: SynthOptions, out: NodeJS.WritableStream): Promise<GroundTruth> {
  const o = resolveOptions(opts);
  const pop = buildPopulation(o);
  const st = pop.streams;
  const total = o.packets + o.surges.reduce((a, x) => a + x.packets, 0);
  const sched = buildSchedule(pop, total, o.seed);
  const darknet = new DarknetSpace(o.darknet4, o.darknet6);
  const rng = new Rng(o.seed, 4);
  const ethernet = o.linkType === 'ethernet';
  const ctx = new PacketContext(rng, st, darknet, ethernet, o.zmapFixedId);
  const { sink, done } = captureSink(out, o.gzip);
  const w = createCaptureWriter(o.format, sink, { linkType: o.linkType, nanosecond: o.nanosecond, bigEndian: o.bigEndian, bufferSize: o.bufferSize });

  const portPackets = new Float64Array(4 * 65536);
  const portSources = new Float64Array(4 * 65536);
  // Per-minute backscatter statistics of the planned (DoS-like) sources, for the attack truth.
  const planIndex = new Int32Array(st.length).fill(-1);
  pop.plans.forEach((p, i) => { planIndex[p.stream] = i; });
  const minuteStats: MinuteStat[][] = pop.plans.map(() => []);
  const surgeCounter = new SurgeCounter(o.surges, o.dayStartSeconds);

  const { order, start } = sched;
  for (let m = 0; m < MINUTES; m++) {
    const a = start[m] as number;
    const k = (start[m + 1] as number) - a;
    const minuteSec = o.dayStartSeconds + m * 60;
    for (let i = 0; i < k; i++) {
      const s = order[a + i] as number;
      // Evenly spread over the minute with jitter: sorted without sorting.
      const offNs = Math.floor(((i + rng.float()) * 60e9) / k);
      const sec = minuteSec + Math.floor(offNs / 1e9);
      const ns = o.nanosecond ? offNs % 1e9 : Math.floor((offNs % 1e9) / 1000) * 1000;
      const micros = sec * 1e6 + Math.floor(ns / 1000);
      if (w.room < MAX_FRAME) await w.flush();
      const fo = w.frameOffset;
      const kind = st.kind[s] as number;
      let end = (WRITERS[kind] as KindWriter)(ctx, w.buf, fo, s);
      if (ethernet) end = padEthernet(w.buf, fo, end);
      w.commit(end - fo, sec, ns);

      if (st.sent[s] === 0) st.firstTs[s] = micros;
      st.lastTs[s] = micros;
      st.sent[s] = (st.sent[s] as number) + 1;
      const pi = ((PROTO_INDEX[ctx.proto] as number) << 16) | ctx.port;
      portPackets[pi] = (portPackets[pi] as number) + 1;
      if (ctx.newPair) portSources[pi] = (portSources[pi] as number) + 1;
      surgeCounter.count(pi, m);
      const plan = planIndex[s] as number;
      if (plan >= 0) {
        const rows = minuteStats[plan] as MinuteStat[];
        const last = rows[rows.length - 1];
        if (last && last.minute === m) { last.packets++; last.last = micros; } else rows.push({ minute: m, packets: 1, first: micros, last: micros });
      }
    }
  }
  await w.finish();
  await done();

  const truth = assembleTruth();
  if (o.truthPath) await writeFile(o.truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  return truth;

  function sourceIp(s: number): string {
    return isIpv6Kind(st.kind[s] as number) ? formatIPv6Bytes(st.src6, 16 * (st.src4[s] as number)) : formatIPv4(st.src4[s] as number);
  }

  function assembleTruth(): GroundTruth {
    const zero = (): Count => ({ packets: 0, sources: 0 });
    const classes = { scan: zero(), backscatter: zero(), other: zero() };
    const tags = { mirai: zero(), masscan: zero(), zmap: zero() };
    const families = { ipv4: zero(), ipv6: zero() };
    const kinds: Record<string, Count> = Object.fromEntries(KIND_NAMES.map((k) => [k, zero()]));
    const perSource: TruthSource[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (let s = 0; s < st.length; s++) {
      const n = st.sent[s] as number;
      if (n === 0) continue;
      const kind = st.kind[s] as number;
      const cls = CLASS_OF_KIND[kind] as keyof typeof classes;
      const add = (c: Count): void => { c.packets += n; c.sources++; };
      add(classes[cls]);
      add(kinds[KIND_NAMES[kind] as string] as Count);
      add(isIpv6Kind(kind) ? families.ipv6 : families.ipv4);
      const tag = kind === KIND_MIRAI ? 'mirai' : kind === KIND_MASSCAN ? 'masscan' : kind === KIND_ZMAP && o.zmapFixedId ? 'zmap' : undefined;
      if (tag) add(tags[tag]);
      first = Math.min(first, st.firstTs[s] as number);
      last = Math.max(last, st.lastTs[s] as number);
      if (o.truthSources) {
        perSource.push({
          ip: sourceIp(s), kind: KIND_NAMES[kind] as string, class: cls, tags: tag ? [tag] : [], packets: n,
          firstSeen: isoMicros(st.firstTs[s] as number), lastSeen: isoMicros(st.lastTs[s] as number),
        });
      }
    }

    const ports: TruthPort[] = [];
    const iot = new Set(o.iotPorts);
    let iotPackets = 0;
    for (let i = 0; i < portPackets.length; i++) {
      const p = portPackets[i] as number;
      if (p === 0) continue;
      const proto = i >>> 16;
      const port = i & 0xffff;
      if (proto <= 1 && iot.has(port)) iotPackets += p;
      ports.push({ proto: PROTO_OF_INDEX[proto] as TruthPort['proto'], port, packets: p, sources: portSources[i] as number });
    }
    const protoNumber = { tcp: PROTO_TCP, udp: PROTO_UDP, icmp: PROTO_ICMP, icmpv6: PROTO_ICMPV6 };
    ports.sort((x, y) => y.packets - x.packets || protoNumber[x.proto] - protoNumber[y.proto] || x.port - y.port);

    const dosVictims: TruthDosAttack[] = [];
    const dosNearMisses: TruthNearMiss[] = [];
    pop.plans.forEach((p, i) => {
      for (const a of joinAttacks(minuteStats[i] as MinuteStat[], o.dos)) {
        const s = p.stream;
        const attack: TruthDosAttack = {
          ip: sourceIp(s), packets: a.packets, start: isoMicros(a.first), end: isoMicros(a.last), startMicros: a.first, endMicros: a.last,
          durationSeconds: (a.last - a.first) / 1e6, peakRate: a.peak, vector: VECTOR_NAMES[st.variant[s] as number] as string, port: vectorIsTcpOrUdp(st.variant[s] as number) ? (st.service[s] as number) : 0,
        };
        const reason = belowThreshold(a, o.dos);
        if (reason === undefined) dosVictims.push(attack); else dosNearMisses.push({ ...attack, reason });
      }
    });
    dosVictims.sort((x, y) => y.packets - x.packets || x.ip.localeCompare(y.ip));

    const sources = classes.scan.sources + classes.backscatter.sources + classes.other.sources;
    return {
      generator: 'sakimori synth darknet',
      seed: o.seed,
      date: o.date,
      from: new Date(o.dayStartSeconds * 1000).toISOString(),
      to: new Date((o.dayStartSeconds + 86400) * 1000).toISOString(),
      format: o.format,
      linkType: o.linkType,
      nanosecond: o.nanosecond,
      gzip: o.gzip,
      darknet: { ipv4: o.darknet4, ipv6: o.darknet6 },
      packets: total,
      sources,
      bytes: w.bytesWritten,
      firstPacketMicros: first,
      lastPacketMicros: last,
      families,
      classes,
      tags,
      zmapFingerprintValid: o.zmapFixedId,
      kinds,
      topPorts: ports.slice(0, 20),
      iotShare: total > 0 ? iotPackets / total : 0,
      dosThresholds: o.dos,
      dosVictims,
      dosNearMisses,
      surges: surgeCounter.truth(),
      ...(o.truthSources ? { perSource } : {}),
    };
  }
}
