/**
 * Every record of every real capture compared field by field with tshark's own decode of the
 * same file (Debian `tshark`). Skipped, with a message, where tshark is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { hasCommand } from '../../util/testing/has-command.js';
import type { FlowRecordView } from '../flow-batch.js';
import { decodeDatagrams, type ExportVersion } from './testing/decode-captures.js';
import { udpDatagrams } from './testing/pcap-udp.js';

const TSHARK = hasCommand('tshark', ['-v']);
if (!TSHARK) console.warn('netflow-tshark.test.ts: tshark is not installed (Debian package tshark): comparison skipped');

const FIELDS = ['srcaddr', 'srcaddrv6', 'dstaddr', 'dstaddrv6', 'srcport', 'dstport', 'protocol', 'tcpflags', 'octets', 'packets', 'inputint', 'outputint',
  'srcas', 'dstas', 'timestart', 'timeend', 'abstimestart', 'abstimeend', 'sysuptime', 'unix_secs', 'unix_nsecs'] as const;
type Field = (typeof FIELDS)[number];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** tshark's absolute time text, "Feb 28, 2023 09:46:01.088000000 UTC", as Unix ms. */
function absoluteMs(text: string): number {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})\d* UTC$/.exec(text);
  if (!m) throw new Error(`unexpected tshark time ${text}`);
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[1] ?? ''), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

const seconds = (text: string): number => Math.round(Number(text) * 1000);

/** tshark's view of each flow record, in capture order, in our record's terms. */
function tsharkRecords(file: string, port: number): Partial<FlowRecordView>[] {
  const out = execFileSync('tshark', ['-r', file, '-d', `udp.port==${port},cflow`, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|',
    ...FIELDS.flatMap((f) => ['-e', `cflow.${f}`])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const records: Partial<FlowRecordView>[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const col = (f: Field): string[] => (cols[FIELDS.indexOf(f)] ?? '').split('|').filter((v) => v !== '');
    const n = col('octets').length;
    const exportMs = Number(col('unix_secs')[0] ?? 0) * 1000 + Math.floor(Number(col('unix_nsecs')[0] ?? 0) / 1e6);
    const uptime = seconds(col('sysuptime')[0] ?? '0');
    for (let k = 0; k < n; k++) {
      const at = (f: Field): string => col(f)[k] ?? '';
      const time = (rel: Field, abs: Field): number => (col(abs).length > 0 ? absoluteMs(at(abs)) : exportMs - (uptime - seconds(at(rel))));
      records.push({
        src: col('srcaddr').length > 0 ? at('srcaddr') : at('srcaddrv6'),
        dst: col('dstaddr').length > 0 ? at('dstaddr') : at('dstaddrv6'),
        sport: Number(at('srcport')), dport: Number(at('dstport')), proto: Number(at('protocol')), tcpFlags: parseInt(at('tcpflags'), 16),
        octets: Number(at('octets')), packets: Number(at('packets')), inIf: Number(at('inputint')), outIf: Number(at('outputint')),
        srcAs: Number(at('srcas')), dstAs: Number(at('dstas')), startMs: time('timestart', 'abstimestart'), endMs: time('timeend', 'abstimeend'),
      });
    }
  }
  return records;
}

/** One pcap holding the records of several (same link type, little-endian): the v9 template and its data. */
function concatenated(files: string[], to: string): string {
  const parts = files.map((f, k) => new Uint8Array(readFileSync(f)).subarray(k === 0 ? 0 : 24));
  writeFileSync(to, Buffer.concat(parts));
  return to;
}

const tmp = mkdtempSync(join(tmpdir(), 'netflow-tshark-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CASES: { name: string; version: ExportVersion; files: string[]; port: number }[] = [
  { name: 'NetFlow v5', version: 'netflow5', files: ['akvorado-nfv5.pcap'], port: 9990 },
  { name: 'NetFlow v9', version: 'netflow9', files: ['akvorado-nfv9-template.pcap', 'akvorado-nfv9-data.pcap'], port: 9995 },
  { name: 'IPFIX', version: 'ipfix', files: ['pmacct-100-ipfix-cisco.pcap'], port: 9991 },
];

describe.skipIf(!TSHARK)('every record as tshark decodes it (needs tshark)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.files.join(' + ')}`, () => {
      const paths = c.files.map((f) => sharedData(`flows/${f}`));
      const file = paths.length === 1 ? (paths[0] as string) : concatenated(paths, join(tmp, `${c.version}.pcap`));
      const expected = tsharkRecords(file, c.port);
      const { records } = decodeDatagrams(c.version, udpDatagrams(file));
      expect(expected.length).toBeGreaterThan(0);
      expect(records.map((r) => ({
        src: r.src, dst: r.dst, sport: r.sport, dport: r.dport, proto: r.proto, tcpFlags: r.tcpFlags, octets: r.octets, packets: r.packets,
        inIf: r.inIf, outIf: r.outIf, srcAs: r.srcAs, dstAs: r.dstAs, startMs: r.startMs, endMs: r.endMs,
      }))).toEqual(expected);
    });
  }
});
