/**
 * What nfdump itself writes (Debian nfdump: nfpcapd turns a capture into nfcapd files, nfdump
 * prints them as CSV), read back and checked against the capture. Skipped without the tools.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { hasCommand } from '../../util/testing/has-command.js';
import { readAll } from '../../sources/testing/read-all.js';
import { readNfdumpCsv } from './nfdump-csv.js';
import { readFlowText } from './testing/read-flow-text.js';

const PCAP = sharedData('pcap/nmap-nmap_80_all.pcap');
const TOOLS = hasCommand('sh', ['-c', 'command -v nfpcapd && command -v nfdump']);

describe.skipIf(!TOOLS)('nfdump CSV from nfpcapd and nfdump (needs Debian nfdump)', () => {
  let dir = '';
  const nfdump = (tz: string): string =>
    execFileSync('nfdump', ['-R', join(dir, 'flows'), '-o', 'csv'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TZ: tz } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-nfdump-'));
    mkdirSync(join(dir, 'flows'));
    execFileSync('nfpcapd', ['-r', PCAP, '-w', join(dir, 'flows')], { timeout: 60_000, stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads nfdump -o csv and finds what the capture holds: every packet, the summary\'s bytes, each connection to port 80', async () => {
    const { packets } = await readAll([readFileSync(PCAP)]);
    const truthPorts = new Set(packets.filter((p) => p.proto === 6 && p.dport === 80 && (p.flags & 0x12) === 0x02).map((p) => p.sport));
    const csv = nfdump('UTC');
    const lines = csv.trimEnd().split('\n');
    const [flows, bytes, pkts] = (lines[lines.indexOf('Summary') + 2] ?? '').split(',').map(Number);

    const { records, skips, summary } = await readFlowText(readNfdumpCsv, csv);
    expect(skips).toEqual({});
    expect(summary.ignored).toBe(4); // header, Summary, its header and its totals
    expect(records).toHaveLength(flows ?? -1);
    expect(records.reduce((s, r) => s + r.packets + r.reversePackets, 0)).toBe(packets.length);
    expect(pkts).toBe(packets.length);
    expect(records.reduce((s, r) => s + r.octets + r.reverseOctets, 0)).toBe(bytes);
    const toWeb = records.filter((r) => r.proto === 6 && r.dport === 80 && r.src === '10.87.1.10');
    expect(new Set(toWeb.map((r) => r.sport))).toEqual(truthPorts);
    for (const r of records) expect(r).toMatchObject({ kind: 'nfdump', sampling: 1, exporter: '::' });
    const icmp = packets.filter((p) => p.proto === 1);
    const icmpFlows = records.filter((r) => r.proto === 1);
    expect(icmpFlows.reduce((s, r) => s + r.packets, 0)).toBe(icmp.length);
    for (const r of icmpFlows) expect(r.dport).toBe((icmp[0]?.icmpType ?? -1) * 256 + (icmp[0]?.icmpCode ?? -1));
    const first = Math.min(...packets.map((p) => p.ts)) / 1e6;
    expect(Math.min(...records.map((r) => r.startMs))).toBe(Math.floor(first) * 1000);
    expect(records.some((r) => r.tcpFlags === 0x1b)).toBe(true); // ...AP.SF
  });

  it('reads the local time of the machine that ran nfdump when told its zone', async () => {
    const utc = await readFlowText(readNfdumpCsv, nfdump('UTC'));
    const tokyo = await readFlowText(readNfdumpCsv, nfdump('Asia/Tokyo'), { timeZone: 'Asia/Tokyo' });
    expect(tokyo.records).toEqual(utc.records);
  });
});
