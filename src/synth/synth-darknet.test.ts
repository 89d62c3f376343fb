import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { synthDarknet } from './synth-darknet.js';
import type { GroundTruth } from './ground-truth.js';
import type { SynthOptions } from './options.js';
import { classOf, readCapture, type TestPacket } from './testing/read-capture.js';

async function generate(opts: SynthOptions): Promise<{ bytes: Buffer; truth: GroundTruth }> {
  const chunks: Buffer[] = [];
  const out = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
  const truth = await synthDarknet({ bufferSize: 64 * 1024, ...opts }, out);
  return { bytes: Buffer.concat(chunks), truth };
}

const masscanId = (p: TestPacket): number => ((p.dst4 ^ p.dport ^ p.seq) & 0xffff) >>> 0;
const synOnly = (p: TestPacket): boolean => p.family === 4 && p.proto === 6 && (p.flags & 0x16) === 0x02;

/** Recomputes the report a correct analysis must produce, from the bytes alone. */
function analyse(packets: TestPacket[], zmapValid: boolean) {
  const per = new Map<string, { n: number; cls: Record<string, number>; mirai: number; masscan: number; zmap: number; bs: TestPacket[] }>();
  const classes = { scan: { packets: 0, sources: 0 }, backscatter: { packets: 0, sources: 0 }, other: { packets: 0, sources: 0 } };
  const ports = new Map<string, { packets: number; srcs: Set<string> }>();
  for (const p of packets) {
    const c = classOf(p);
    classes[c].packets++;
    let s = per.get(p.src);
    if (!s) { s = { n: 0, cls: { scan: 0, backscatter: 0, other: 0 }, mirai: 0, masscan: 0, zmap: 0, bs: [] }; per.set(p.src, s); }
    s.n++;
    s.cls[c] = (s.cls[c] ?? 0) + 1;
    if (synOnly(p) && p.seq === p.dst4) s.mirai++;
    if (synOnly(p) && p.ipId === masscanId(p)) s.masscan++;
    if (zmapValid && synOnly(p) && p.ipId === 54321) s.zmap++;
    if (c === 'backscatter') s.bs.push(p);
    const proto = p.proto === 6 ? 'tcp' : p.proto === 17 ? 'udp' : p.proto === 1 ? 'icmp' : 'icmpv6';
    const key = `${proto}/${p.proto === 6 || p.proto === 17 ? p.dport : 0}`;
    const e = ports.get(key) ?? { packets: 0, srcs: new Set<string>() };
    e.packets++; e.srcs.add(p.src); ports.set(key, e);
  }
  const tags = { mirai: { packets: 0, sources: 0 }, masscan: { packets: 0, sources: 0 }, zmap: { packets: 0, sources: 0 } };
  const attacks: { ip: string; packets: number; peakRate: number; startMicros: number; endMicros: number }[] = [];
  for (const [ip, s] of per) {
    const { scan = 0, backscatter = 0, other = 0 } = s.cls;
    const k = scan >= backscatter && scan >= other ? 'scan' : backscatter >= other ? 'backscatter' : 'other';
    classes[k].sources++;
    for (const t of ['mirai', 'masscan', 'zmap'] as const) if (s[t] > 0 && s[t] >= 0.5 * s.n) { tags[t].packets += s[t]; tags[t].sources++; }
    if (s.bs.length >= 25) {
      // Corsaro: per-minute counts, joined while gaps stay under 300 s.
      let cur: { packets: number; first: number; last: number; minutes: Map<number, number> } | undefined;
      const close = (): void => {
        if (cur && cur.packets >= 25 && cur.last - cur.first >= 60e6 && Math.max(...cur.minutes.values()) >= 30) {
          attacks.push({ ip, packets: cur.packets, peakRate: Math.max(...cur.minutes.values()), startMicros: cur.first, endMicros: cur.last });
        }
        cur = undefined;
      };
      for (const p of s.bs) {
        if (cur && p.micros - cur.last > 300e6) close();
        cur ??= { packets: 0, first: p.micros, last: p.micros, minutes: new Map() };
        cur.packets++;
        cur.last = p.micros;
        const m = Math.floor(p.micros / 60e6);
        cur.minutes.set(m, (cur.minutes.get(m) ?? 0) + 1);
      }
      close();
    }
  }
  const topPorts = [...ports].map(([k, v]) => ({ proto: k.split('/')[0], port: Number(k.split('/')[1]), packets: v.packets, sources: v.srcs.size }));
  return { packets: packets.length, sources: per.size, classes, tags, topPorts, attacks };
}

describe('synthDarknet', () => {
  it('writes a mixture whose bytes agree with the ground truth', async () => {
    const { bytes, truth } = await generate({ packets: 30_000, seed: 3, date: '2024-01-15' });
    const { packets } = readCapture(bytes);
    expect(packets.every((p) => p.checksumsOk)).toBe(true);
    const a = analyse(packets, true);
    expect(a.packets).toBe(truth.packets);
    expect(a.sources).toBe(truth.sources);
    expect(a.classes).toEqual(truth.classes);
    expect(a.tags).toEqual(truth.tags);
    expect(truth.tags.zmap.sources).toBeGreaterThan(0);
    expect(truth.tags.masscan.sources).toBeGreaterThan(0);
    for (const t of truth.topPorts) expect(a.topPorts).toContainEqual(t);
    expect(truth.topPorts[0]?.packets).toBe(Math.max(...a.topPorts.map((p) => p.packets)));
    const want = truth.dosVictims.map(({ ip, packets: n, peakRate, startMicros, endMicros }) => ({ ip, packets: n, peakRate, startMicros, endMicros }));
    expect(a.attacks.sort((x, y) => y.packets - x.packets)).toEqual(want);
    expect(truth.dosVictims.length).toBe(5);
    expect(truth.dosNearMisses.map((m) => m.reason)).toHaveLength(2);
    // Times are ordered and inside the day.
    for (let i = 1; i < packets.length; i++) expect((packets[i] as TestPacket).micros).toBeGreaterThanOrEqual((packets[i - 1] as TestPacket).micros);
    expect(packets[0]?.micros).toBeGreaterThanOrEqual(Date.parse('2024-01-15T00:00:00Z') * 1000);
    expect(packets.at(-1)?.micros).toBeLessThan(Date.parse('2024-01-16T00:00:00Z') * 1000);
  });

  it('sets Mirai sequence numbers to the destination address', async () => {
    const { bytes, truth } = await generate({ packets: 3000, seed: 5, mix: { mirai: 1, masscan: 0, zmap: 0, nmap: 0, iotSyn: 0, udpProbe: 0, icmpEcho: 0, lowBackscatter: 0, stray: 0 }, ipv6Share: 0, dosShare: 0 });
    const { packets } = readCapture(bytes);
    expect(packets).toHaveLength(3000);
    expect(packets.every((p) => synOnly(p) && p.seq === p.dst4 && (p.dport === 23 || p.dport === 2323))).toBe(true);
    const share23 = packets.filter((p) => p.dport === 23).length / packets.length;
    expect(share23).toBeGreaterThan(0.85);
    expect(truth.tags.mirai).toEqual({ packets: 3000, sources: truth.sources });
    expect(packets.every((p) => p.ttl >= 30 && p.ttl <= 64)).toBe(true);
  });

  it('sets Masscan IP IDs to (dst ^ dport ^ seq) & 0xffff', async () => {
    const { bytes, truth } = await generate({ packets: 2000, seed: 6, mix: { mirai: 0, masscan: 1, zmap: 0, nmap: 0, iotSyn: 0, udpProbe: 0, icmpEcho: 0, lowBackscatter: 0, stray: 0 }, ipv6Share: 0, dosShare: 0 });
    const { packets } = readCapture(bytes);
    expect(packets.every((p) => synOnly(p) && p.ipId === masscanId(p) && p.window === 1024 && p.seq !== p.dst4)).toBe(true);
    expect(truth.tags.masscan.packets).toBe(2000);
  });

  it('uses ZMap IP ID 54321 only before March 2024', async () => {
    const zmapOnly = { mirai: 0, masscan: 0, zmap: 1, nmap: 0, iotSyn: 0, udpProbe: 0, icmpEcho: 0, lowBackscatter: 0, stray: 0 };
    const before = await generate({ packets: 1500, seed: 8, date: '2024-02-29', mix: zmapOnly, ipv6Share: 0, dosShare: 0 });
    const after = await generate({ packets: 1500, seed: 8, date: '2024-03-01', mix: zmapOnly, ipv6Share: 0, dosShare: 0 });
    const pb = readCapture(before.bytes).packets;
    const pa = readCapture(after.bytes).packets;
    expect(pb.every((p) => p.ipId === 54321 && p.window === 65535)).toBe(true);
    expect(pa.filter((p) => p.ipId === 54321)).toHaveLength(0);
    expect(before.truth.tags.zmap.packets).toBe(1500);
    expect(after.truth.tags.zmap).toEqual({ packets: 0, sources: 0 });
    expect(after.truth.kinds['zmap']?.packets).toBe(1500);
  });

  it('sends backscatter with reply flags and qualifying attack profiles', async () => {
    const { bytes, truth } = await generate({ packets: 20_000, seed: 9, dosShare: 0.5, dosVictims: 4 });
    const victims = new Set(truth.dosVictims.map((v) => v.ip));
    const fromVictims = readCapture(bytes).packets.filter((p) => victims.has(p.src));
    expect(fromVictims.every((p) => classOf(p) === 'backscatter')).toBe(true);
    for (const p of fromVictims.filter((x) => x.proto === 6)) expect(p.flags & 0x04 || (p.flags & 0x12) === 0x12).toBeTruthy();
    expect(truth.dosVictims).toHaveLength(4);
    for (const v of truth.dosVictims) {
      expect(v.packets).toBeGreaterThanOrEqual(25);
      expect(v.durationSeconds).toBeGreaterThanOrEqual(60);
      expect(v.peakRate).toBeGreaterThanOrEqual(30);
    }
    expect(truth.dosVictims.reduce((a, v) => a + v.packets, 0)).toBe(10_000);
  });

  it('injects port surges of known ports and hours on top of the background, and counts them in the truth', async () => {
    const base = { packets: 20_000, seed: 4, date: '2025-06-01' };
    const surges = [
      { proto: 'tcp' as const, port: 8888, hour: 5, packets: 900 },
      { proto: 'udp' as const, port: 5060, hour: 17, packets: 700, sources: 3 },
      { proto: 'udp' as const, port: 40000, hour: 0, packets: 50 },
    ];
    const plain = await generate(base);
    const { bytes, truth } = await generate({ ...base, surges });
    const { packets } = readCapture(bytes);
    expect(packets.every((p) => p.checksumsOk)).toBe(true);
    expect(truth.packets).toBe(20_000 + 1650);
    expect(packets).toHaveLength(truth.packets);
    // The background is the same day: its classes only gain the injected scans.
    expect(truth.classes.scan.packets).toBe(plain.truth.classes.scan.packets + 1650);
    expect(truth.classes.backscatter).toEqual(plain.truth.classes.backscatter);
    const inHour = (proto: number, port: number, hour: string): TestPacket[] => {
      const from = Date.parse(hour) * 1000;
      return packets.filter((p) => p.proto === proto && p.dport === port && p.micros >= from && p.micros < from + 3600e6);
    };
    const injectedSources = new Set<string>();
    for (const [i, t] of truth.surges.entries()) {
      const spec = surges[i];
      expect(t).toMatchObject({ proto: spec?.proto, port: spec?.port, injected: spec?.packets });
      expect(t.hour).toBe(`2025-06-01T${String(spec?.hour).padStart(2, '0')}:00:00.000Z`);
      const got = inHour(t.proto === 'tcp' ? 6 : 17, t.port, t.hour);
      expect(got.length, `${t.proto}/${t.port}`).toBe(t.packets);
      expect(t.packets).toBeGreaterThanOrEqual(t.injected);
      for (const p of got) injectedSources.add(p.src);
    }
    expect(truth.surges[1]?.packets).toBeGreaterThan(700); // 5060 also carries background UDP probes
    expect(truth.surges[0]?.packets).toBe(900); // in that hour nothing else went to 8888
    expect(injectedSources.size).toBeGreaterThanOrEqual(16 + 3 + 16);
  });

  it('refuses a surge it cannot inject, saying which and why', async () => {
    await expect(generate({ packets: 100, surges: [{ proto: 'tcp', port: 80, hour: 24, packets: 10 }] })).rejects.toThrow('surges[0].hour must be an integer 0–23, not 24');
    await expect(generate({ packets: 100, surges: [{ proto: 'tcp', port: 0, hour: 1, packets: 10 }] })).rejects.toThrow('surges[0].port');
  });

  it('is deterministic and honours the output formats', async () => {
    const base = { packets: 4000, seed: 11, date: '2023-05-05' };
    const a = await generate(base);
    const b = await generate(base);
    const c = await generate({ ...base, seed: 12 });
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
    const ref = readCapture(a.bytes);
    expect(ref.linkType).toBe(1);
    const strip = (ps: TestPacket[]) => ps.map((p) => ({ ...p }));
    for (const variant of [
      { gzip: true }, { format: 'pcapng' as const }, { format: 'pcapng' as const, nanosecond: true, gzip: true },
      { nanosecond: true, bigEndian: true }, { linkType: 'raw' as const },
    ]) {
      const v = await generate({ ...base, ...variant });
      const got = readCapture(v.bytes);
      expect(got.linkType).toBe(variant.linkType === 'raw' ? 101 : 1);
      expect(got.nano).toBe(variant.nanosecond === true);
      expect(strip(got.packets)).toEqual(strip(ref.packets));
      expect(v.truth.classes).toEqual(a.truth.classes);
    }
  });

  it('writes to a stream that applies back-pressure', async () => {
    const slow = new PassThrough({ highWaterMark: 1024 });
    let total = 0;
    const reading = (async () => { for await (const chunk of slow) { total += (chunk as Buffer).length; await new Promise((r) => setTimeout(r, 1)); } })();
    const truth = await synthDarknet({ packets: 20_000, seed: 2, bufferSize: 64 * 1024 }, slow);
    slow.end();
    await reading;
    expect(total).toBe(truth.bytes);
  });
});
