/**
 * What argus and ra themselves write (Debian argus-server, argus-client), read back and checked
 * against the capture they were made from. Skipped when the tools are not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { hasCommand } from '../../util/testing/has-command.js';
import { readAll } from '../../sources/testing/read-all.js';
import { readArgus } from './argus.js';
import { readFlowText } from './testing/read-flow-text.js';

const PCAP = sharedData('pcap/nmap-nmap_80_all.pcap');
const TOOLS = hasCommand('sh', ['-c', 'command -v argus && command -v ra']);
const FIELDS = ['stime', 'flgs', 'proto', 'saddr', 'sport', 'dir', 'daddr', 'dport', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'state', 'ltime'];

describe.skipIf(!TOOLS)('Argus CSV from argus and ra (needs Debian argus-server and argus-client)', () => {
  let dir = '';
  let argusFile = '';
  const ra = (args: string[], env: NodeJS.ProcessEnv = {}): string =>
    execFileSync('ra', ['-r', argusFile, '-c', ',', ...args, '-s', ...FIELDS], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-argus-'));
    argusFile = join(dir, 'nmap.argus');
    execFileSync('argus', ['-r', PCAP, '-w', argusFile], { timeout: 30_000 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ra -n -u output and finds what the capture holds: every packet and byte, each connection to port 80', async () => {
    const { packets } = await readAll([readFileSync(PCAP)]);
    const truthPorts = new Set(packets.filter((p) => p.proto === 6 && p.dport === 80 && (p.flags & 0x12) === 0x02).map((p) => p.sport));
    const wireBytes = packets.reduce((s, p) => s + p.wireLen, 0);

    const { records, skips, summary } = await readFlowText(readArgus, ra(['-n', '-u']));
    expect(skips).toEqual({});
    expect(summary.ignored).toBeGreaterThanOrEqual(2); // the header and the management records
    expect(records.reduce((s, r) => s + r.packets + r.reversePackets, 0)).toBe(packets.length);
    expect(records.reduce((s, r) => s + r.octets + r.reverseOctets, 0)).toBe(wireBytes);
    const web = records.filter((r) => r.dport === 80 && r.proto === 6);
    expect(new Set(web.map((r) => r.sport))).toEqual(truthPorts);
    for (const r of web) expect(r).toMatchObject({ kind: 'argus', src: '10.87.1.10', dst: '130.211.223.103', sampling: 1, exporter: '::' });
    const icmp = packets.filter((p) => p.proto === 1);
    expect(records.filter((r) => r.proto === 1)).toEqual([
      expect.objectContaining({ src: '130.211.223.103', dport: (icmp[0]?.icmpType ?? -1) * 256 + (icmp[0]?.icmpCode ?? -1), packets: icmp.length }),
    ]);
    const first = Math.min(...packets.map((p) => p.ts)) / 1000;
    expect(Math.min(...records.map((r) => r.startMs))).toBe(Math.floor(first));
  });

  it('reads the same flows from local time stamps with dates (RA_TIME_FORMAT, TZ) and from service names (without -n)', async () => {
    const base = await readFlowText(readArgus, ra(['-n', '-u']));
    const rarc = join(dir, 'rarc');
    writeFileSync(rarc, 'RA_TIME_FORMAT="%Y/%m/%d %T.%f"\n');
    const local = await readFlowText(readArgus, ra(['-F', rarc], { TZ: 'Asia/Tokyo' }), { timeZone: 'Asia/Tokyo' });
    expect(local.skips).toEqual({});
    expect(local.records).toEqual(base.records);
    expect(ra(['-F', rarc], { TZ: 'Asia/Tokyo' })).toMatch(/,http,/);
  });

  it('says how to fix ra\'s default time of day without a date', async () => {
    const { records, summary, skips } = await readFlowText(readArgus, ra(['-n']));
    expect(records).toEqual([]);
    expect(skips['field-invalid']).toBeGreaterThan(30);
    expect(summary.problems[0]?.message).toMatch(/-u/);
  });
});
