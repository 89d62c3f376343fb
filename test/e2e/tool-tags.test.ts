/**
 * Tool tags are measured over the packets a fingerprint applies to (issue 14, item 1). A Masscan
 * that scans TCP and UDP at once sends 1,001 SYNs that all satisfy the IP-ID relation, 2 RSTs and
 * 1,001 UDP probes: it is tagged `masscan` with "1,001 of 1,001 TCP SYN packets", on the host
 * page, the API, the CLI, the darknet and constituency reports; a Mirai bot that also sends UDP
 * becomes a case; sources that do not run a tool stay untagged.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYN } from '../../src/synth/packet-bytes.js';
import { masscanId, neutralId, neutralSeq } from '../../src/synth/fingerprint-guard.js';
import { yesterday } from '../../src/synth/options.js';
import { ingestDarknetFiles } from '../../src/ingest/darknet-ingest.js';
import { darknetReport } from '../../src/analyze/darknet-report.js';
import { constituencyDarknetReport } from '../../src/analyze/constituency-report.js';
import { miraiFindings } from '../../src/cases/case-findings.js';
import { parseIPv4 } from '../../src/net/ip.js';
import { tempApp, type TempApp } from '../../src/api/testing/temp-app.js';
import { runCli } from '../helpers/cli.js';
import { masscanTcpRun, rawPcap, seeded, tcpFrame, udpFrame, udpProbeRun, type Frame } from '../helpers/tool-captures.js';
import { sharedData } from '../fixtures/shared-data.js';

const MASSCAN = '198.51.100.23';
const MIRAI = '198.51.100.66';
const NOISY = '203.0.113.9';
const NMAP = '10.87.1.10';
const DARK = '192.0.2.15';

const date = yesterday();
const t0 = Date.parse(`${date}T10:00:00Z`) / 1000;
const day = { from: new Date(`${date}T00:00:00Z`), to: new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000) };

/** A Mirai bot: 40 SYNs to telnet whose sequence number is the destination, and 200 UDP packets. */
function miraiWithUdp(): Frame[] {
  const rnd = seeded(0x4d495241);
  const out: Frame[] = [];
  for (let i = 0; i < 40; i++) {
    const dst = `192.0.2.${i + 1}`;
    const d = parseIPv4(dst);
    out.push(tcpFrame({ src: MIRAI, dst, sport: 40000 + i, dport: i % 5 === 0 ? 2323 : 23, seq: d, id: neutralId(rnd(), d, 23, d), flags: SYN, window: 5840, ttl: 64, ts: t0 + 100 + i }));
  }
  for (let i = 0; i < 200; i++) out.push(udpFrame({ src: MIRAI, dst: `192.0.2.${(i % 250) + 1}`, sport: 50000, dport: 37215 + (i % 3), id: rnd() & 0xffff, ts: t0 + 200 + i * 0.5 }));
  return out;
}

/** An ordinary scanner: 1,000 SYNs of which only 3 satisfy Masscan's relation (by accident), and 1,000 UDP probes. */
function noisyScanner(): Frame[] {
  const rnd = seeded(0x6e6f6973);
  const out: Frame[] = [];
  for (let i = 0; i < 1000; i++) {
    const dst = `192.0.2.${(i % 200) + 1}`;
    const d = parseIPv4(dst);
    const port = 1 + (i % 1000);
    const seq = neutralSeq(rnd(), d);
    const id = i % 333 === 7 ? masscanId(d, port, seq) : neutralId(rnd(), d, port, seq);
    out.push(tcpFrame({ src: NOISY, dst, sport: 33000, dport: port, seq, id, flags: SYN, window: 65535, ttl: 50, ts: t0 + 1000 + i * 0.01 }));
  }
  return [...out, ...udpProbeRun(NOISY, DARK, t0 + 1100, 0x1234)];
}

describe('tool tags over the packets a fingerprint applies to', () => {
  let dir: string;
  let files: string[];
  let t: TempApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-tool-tags-'));
    const write = (name: string, frames: Frame[]): string => {
      const f = join(dir, name);
      writeFileSync(f, rawPcap(frames));
      return f;
    };
    files = [
      write('masscan-tcp.pcap', masscanTcpRun(MASSCAN, DARK, t0)),
      write('masscan-udp.pcap', udpProbeRun(MASSCAN, DARK, t0 + 30)),
      write('mirai.pcap', miraiWithUdp()),
      write('noisy.pcap', noisyScanner()),
      sharedData('pcap/nmap-nmap_80_all.pcap'),
    ];
    t = await tempApp('tool-tags');
    const results = await ingestDarknetFiles(
      { events: t.ctx.events, state: t.ctx.state, enricher: t.ctx.enricher, fingerprinter: t.ctx.fingerprinter, classify: t.ctx.config.darknet },
      files,
      { sensor: t.ctx.config.sensor, batchSize: 1000 },
    );
    expect(results.map((r) => [r.status, r.error?.message])).toEqual(files.map(() => ['ingested', undefined]));
  });
  afterAll(async () => {
    await t?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tags a Masscan that also scans UDP, with the SYNs it applies to as evidence (host page API)', async () => {
    const r = await t.inject(`/api/v1/hosts/${MASSCAN}`);
    expect(r.statusCode, r.body).toBe(200);
    const h = r.json();
    expect(h.packets).toBe(1001 + 2 + 1001);
    expect(h.tags).toHaveLength(1);
    expect(h.tags[0]).toMatchObject({ tag: 'masscan', packets: 1001, applicable: 1001, share: 1, appliesTo: 'TCP SYN' });
    expect(h.tags[0].confidence).toBeGreaterThan(0.999);
    expect(h.tags[0].pValue).toBeLessThan(1e-100);
  });

  it('counts it in the darknet report, its top sources and the constituency report', async () => {
    const report = await darknetReport(t.ctx.report, day);
    expect(report.tags['masscan']).toEqual({ sources: 1, packets: 1001 });
    expect(report.tags['mirai']).toEqual({ sources: 1, packets: 40 });
    expect(report.tags['zmap']).toEqual({ sources: 0, packets: 0 });
    expect(report.topSources.find((s) => s.ip === MASSCAN)?.tags).toEqual(['masscan']);
    const own = await constituencyDarknetReport(t.ctx.report, day, { kind: 'constituency', orgId: 'o', cidrs: ['198.51.100.0/24'], asns: [] });
    expect(own.tags['masscan']).toEqual({ sources: 1, packets: 1001 });
    expect(own.tags['mirai']).toEqual({ sources: 1, packets: 40 });
    expect(own.topSources.find((s) => s.ip === MASSCAN)?.tags).toEqual(['masscan']);
  });

  it('opens a case for a Mirai bot whose SYNs all match although most of its packets are UDP', async () => {
    const mirai = t.ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai');
    if (!mirai) throw new Error('no mirai fingerprint');
    const found = await miraiFindings(t.ctx.events, mirai, new Date(day.to.getTime() + 3_600_000), 7, 0.9);
    expect(found.map((f) => f.ip)).toEqual([MIRAI]);
    expect(found[0]?.detail).toMatchObject({ packets: 240, applicable: 40, matching: 40 });
  });

  it('leaves sources that do not run a tool untagged', async () => {
    for (const ip of [NOISY, NMAP]) {
      const h = (await t.inject(`/api/v1/hosts/${ip}`)).json();
      expect(h.packets, ip).toBeGreaterThan(200);
      expect(h.tags, ip).toEqual([]);
    }
  });
});

describe('sakimori host', () => {
  it('prints the tag with its evidence over the SYNs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-tool-tags-cli-'));
    try {
      const tcp = join(dir, 'tcp.pcap');
      const udp = join(dir, 'udp.pcap');
      writeFileSync(tcp, rawPcap(masscanTcpRun(MASSCAN, DARK, t0)));
      writeFileSync(udp, rawPcap(udpProbeRun(MASSCAN, DARK, t0 + 30)));
      const data = join(dir, 'data');
      const ingest = await runCli(['ingest', 'darknet', tcp, udp, '--data', data]);
      expect(ingest.code, ingest.stderr).toBe(0);
      const host = await runCli(['host', MASSCAN, '--data', data]);
      expect(host.code, host.stderr).toBe(0);
      expect(host.stdout).toMatch(/tags: masscan \d+\.\d% \(1,001 of 1,001 TCP SYN packets match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The real capture (esnet-security/curated-pcaps, attacks/scanners/masscan: `masscan -p0-1000`,
// Masscan 1.0.4) with our own UDP probes from its source, when the shared data holds it.
const REAL_MASSCAN = sharedData('pcap/masscan-tcp_0_1000_20190821.pcap');

describe.skipIf(!existsSync(REAL_MASSCAN))('a real Masscan capture with UDP probes from the same source', () => {
  it('is tagged masscan: 1,001 of 1,001 TCP SYN packets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-real-masscan-'));
    const t = await tempApp('real-masscan');
    try {
      const udp = join(dir, 'udp.pcap');
      const first = readFileSync(REAL_MASSCAN).readUInt32LE(24);
      writeFileSync(udp, rawPcap(udpProbeRun('172.31.15.102', '198.124.152.15', first + 30)));
      await ingestDarknetFiles(
        { events: t.ctx.events, state: t.ctx.state, enricher: t.ctx.enricher, fingerprinter: t.ctx.fingerprinter, classify: t.ctx.config.darknet },
        [REAL_MASSCAN, udp],
        { sensor: t.ctx.config.sensor, batchSize: 1000 },
      );
      const h = (await t.inject('/api/v1/hosts/172.31.15.102')).json();
      expect(h.packets).toBe(1005 + 1001);
      expect(h.tags).toHaveLength(1);
      expect(h.tags[0]).toMatchObject({ tag: 'masscan', packets: 1001, applicable: 1001, share: 1 });
    } finally {
      await t.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
