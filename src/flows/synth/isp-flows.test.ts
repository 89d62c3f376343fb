import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { FlowBatch } from '../flow-batch.js';
import { generateIspFlows, type IspFlowOptions } from './isp-flows.js';
import { clientV4, endpointText, type IspPlan } from './isp-plan.js';
import { flowsCsvLines, NFDUMP_CSV_HEADER, nfdumpFlags } from './flows-csv.js';
import { sampledPackets } from './sampling.js';
import { formatIPv4 } from '../../net/ip.js';

interface Rec { src: string; dst: string; sport: number; dport: number; proto: number; start: number; packets: number; octets: number; sampling: number }

async function run(o: IspFlowOptions, keep = true): Promise<{ digest: string; records: Rec[]; plan: IspPlan; csv: string }> {
  const h = createHash('sha256');
  const records: Rec[] = [];
  let csv = '';
  const s = await generateIspFlows({ chunk: 4096, ...o }, async (b: FlowBatch) => {
    for (const c of b.columns()) h.update(new Uint8Array(c.buffer, c.byteOffset, Math.min(c.byteLength, (c.byteLength / b.capacity) * b.length)));
    if (keep) for (const v of b.views()) records.push({ src: v.src, dst: v.dst, sport: v.sport, dport: v.dport, proto: v.proto, start: v.startMs, packets: v.packets, octets: v.octets, sampling: v.sampling });
    if (!csv) csv = flowsCsvLines(b).join('').split('\n').slice(0, 3).join('\n');
  });
  if (keep) expect(records).toHaveLength(s.records);
  return { digest: h.digest('hex'), records, plan: s.plan, csv };
}

const small: IspFlowOptions = { seed: 7, clients: 120, flowsPerClient: 500 };
let once: ReturnType<typeof run> | undefined;
const smallRun = (): ReturnType<typeof run> => (once ??= run(small));

describe('synthetic ISP flows', () => {
  it('is deterministic by seed', async () => {
    const a = await run(small, false);
    const b = await run(small, false);
    const c = await run({ ...small, seed: 8 }, false);
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(a.plan.labels).toEqual(b.plan.labels);
  });

  it('gives every labelled C&C server its kind\'s behaviour, from its botnet\'s clients, inside busy benign traffic', async () => {
    const { records, plan } = await smallRun();
    expect(records.length).toBeGreaterThan(120 * 300);
    const kinds = new Set(plan.labels.map((l) => l.kind));
    expect([...kinds].sort()).toEqual(['cloud', 'http', 'irc', 'p2p', 'sleep']);
    for (const n of plan.botnets) {
      expect(n.clients.length).toBeGreaterThanOrEqual(1);
      expect(n.clients.length).toBeLessThanOrEqual(20);
      const bots = new Set(n.clients.map((c) => formatIPv4(clientV4(c))));
      for (const e of n.servers) {
        const server = endpointText(e);
        expect(plan.labels).toContainEqual({ server, port: e.port, proto: e.proto, kind: n.kind, botnet: n.name });
        const up = records.filter((r) => r.dst === server && r.dport === e.port && r.proto === e.proto);
        const fromBots = up.filter((r) => bots.has(r.src));
        expect(new Set(fromBots.map((r) => r.src)).size, `${n.name} ${server}`).toBe(bots.size);
        // One bot's beacons: intervals around the botnet's period, within its jitter.
        const first = n.clients[0] as number;
        const ts = fromBots.filter((r) => r.src === formatIPv4(clientV4(first))).map((r) => r.start).sort((x, y) => x - y);
        const iv = ts.slice(1).map((t, i) => (t - (ts[i] as number)) / 1000);
        expect(iv.length).toBeGreaterThanOrEqual(2);
        for (const d of iv) {
          expect(d).toBeGreaterThanOrEqual(n.periodS * (1 - n.jitter) - 1);
          expect(d).toBeLessThanOrEqual(n.periodS * (1 + n.jitter) + 1);
        }
        if (n.kind === 'irc') expect(fromBots.every((r) => r.packets === 1 && r.octets < 100)).toBe(true);
        if (n.kind === 'sleep') expect(n.periodS).toBeGreaterThanOrEqual(3600);
        if (n.kind === 'http') expect(n.jitter).toBeGreaterThanOrEqual(0.1);
        if (n.kind === 'p2p') expect(e.proto).toBe(17);
        // A cloud C&C shares its address and port with benign users.
        if (n.kind === 'cloud') expect(new Set(up.map((r) => r.src)).size).toBeGreaterThan(bots.size + 5);
        // Unidirectional: the server's replies are separate records.
        expect(records.some((r) => r.src === server && r.sport === e.port && bots.has(r.dst))).toBe(true);
      }
    }
  });

  it('makes popular periodic services popular, and rare benign periodic ones rare', async () => {
    const { records, plan } = await smallRun();
    const ntp = plan.periodic.find((p) => p.name === 'ntp');
    const vendor = plan.periodic.find((p) => p.name === 'iot-vendor-1');
    const clientsOf = (e: { port: number; proto: number }, server: string): number => new Set(records.filter((r) => r.dst === server && r.dport === e.port).map((r) => r.src)).size;
    for (const e of ntp?.servers ?? []) expect(clientsOf(e, endpointText(e))).toBeGreaterThan(30);
    for (const e of vendor?.servers ?? []) expect(clientsOf(e, endpointText(e))).toBeLessThanOrEqual(5);
  });

  it('samples packets 1-in-N at generation and writes nfdump CSV', async () => {
    const full = await run({ ...small, clients: 40 });
    const thin = await run({ ...small, clients: 40, sample: 100 });
    expect(thin.records.length).toBeLessThan(full.records.length / 2);
    expect(thin.records.every((r) => r.sampling === 100 && r.packets >= 1)).toBe(true);
    const sum = (rs: Rec[]): number => rs.reduce((a, r) => a + r.packets, 0);
    expect(sum(thin.records) * 100).toBeGreaterThan(sum(full.records) * 0.8);
    expect(sum(thin.records) * 100).toBeLessThan(sum(full.records) * 1.2);
    expect(NFDUMP_CSV_HEADER).toBe('ts,te,td,sa,da,sp,dp,pr,flg,ipkt,ibyt,opkt,obyt');
    expect(full.csv.split('\n')[0]).toMatch(/^2026-12-01 \d\d:\d\d:\d\d\.\d{3},2026-12-01 [\d:.]+,\d+\.\d{3},[\d.:a-f]+,[\d.:a-f]+,\d+,\d+,(TCP|UDP),[.UAPRSF]{6},\d+,\d+,0,0$/);
    expect(nfdumpFlags(0x1b)).toBe('.AP.SF');
  });

  it('draws sampled packets with the right mean', () => {
    expect(sampledPackets(250, 100, 0.99)).toBe(2);
    expect(sampledPackets(250, 100, 0.1)).toBe(3);
    expect(sampledPackets(1, 1, 0.5)).toBe(1);
    let kept = 0;
    for (let k = 0; k < 1000; k++) kept += sampledPackets(3, 100, k / 1000);
    expect(kept).toBe(30);
  });
});
