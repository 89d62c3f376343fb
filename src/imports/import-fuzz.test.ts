import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import { damage } from '../sources/testing/fuzz-inputs.js';
import type { ServiceRow } from '../schema/service-observation.js';
import { importStream, type ImportSummary } from './import-file.js';
import { batchRows } from './collector.js';
import type { ImportFormat } from './types.js';
import {
  masscanGrepable, masscanJson, masscanJsonLayouts, masscanList, masscanNdjson, masscanXml, nmapDoc, nmapHost, nmapSshHostkey, T0, ZMAP_HEADER, zgrab2Banner, zgrab2Http, zgrab2Ssh, zmapRow, type PortRec,
} from './testing/samples.js';

const RECS: PortRec[] = [
  { ip: '192.0.2.1', port: 80 }, { ip: '192.0.2.1', port: 80, banner: { name: 'http', text: 'HTTP/1.0 200 OK\r\n\r\n' } }, { ip: '2001:db8::1', port: 22 },
  { ip: '192.0.2.2', port: 22, banner: { name: 'ssh', text: 'SSH-2.0-x' } }, { ip: '192.0.2.3', port: 53, proto: 'udp' }, { ip: '192.0.2.4', port: 23, ts: T0 + 9 },
];

const LAYOUTS = masscanJsonLayouts(RECS);

/** `ends`: where records end, for layouts whose records do not end lines (else: at line ends). */
const SAMPLES: { name: string; format: ImportFormat; text: string; port?: number; ends?: number[] }[] = [
  { name: 'zmap csv', format: 'zmap', text: `# comment\n${ZMAP_HEADER}\n${['192.0.2.1', '192.0.2.2', '2001:db8::3', '192.0.2.4', '192.0.2.5', '192.0.2.6'].map((ip, k) => zmapRow(ip, 80 + k, { success: k !== 4 })).join('\n')}\n` },
  { name: 'zmap saddr only', format: 'zmap', text: 'saddr\n192.0.2.1\n192.0.2.2\n2001:db8::3\n192.0.2.4\n', port: 23 },
  { name: 'masscan -oJ', format: 'masscan', text: masscanJson(RECS) },
  { name: 'masscan -oJ (old)', format: 'masscan', text: masscanJson(RECS, 'trailing') },
  { name: 'masscan -oJ on one line (jq -c .)', format: 'masscan', text: LAYOUTS.oneLine, ends: LAYOUTS.ends.oneLine },
  { name: 'masscan -oJ pretty-printed (jq .)', format: 'masscan', text: LAYOUTS.pretty, ends: LAYOUTS.ends.pretty },
  { name: 'masscan -oD', format: 'masscan', text: masscanNdjson(RECS) },
  { name: 'masscan -oL', format: 'masscan', text: masscanList(RECS) },
  { name: 'masscan -oG', format: 'masscan', text: masscanGrepable(RECS) },
  { name: 'masscan -oX', format: 'masscan', text: masscanXml(RECS) },
  { name: 'zmap saddr,sport (no header)', format: 'zmap', text: '192.0.2.1,80\n192.0.2.1,443\n2001:db8::3,22\n192.0.2.4,8080\n' },
  {
    name: 'zmap -O json', format: 'zmap', text: ['192.0.2.1', '192.0.2.2', '2001:db8::3', '192.0.2.4'].map((ip, k) =>
      `{"saddr":"${ip}","sport":${80 + k},"classification":"synack","success":true,"repeat":false,"timestamp_ts":${T0 + k},"timestamp_us":${k * 1000}}\n`).join(''),
  },
  { name: 'zgrab2', format: 'zgrab2', text: [zgrab2Http('192.0.2.1', { status: 401 }), zgrab2Ssh('2001:db8::22'), zgrab2Banner('192.0.2.3', 'telnet', 23, 'login: '), zgrab2Http('192.0.2.4', { tls: true, port: 443 })].join('\n') + '\n' },
  {
    name: 'nmap xml', format: 'nmap', text: nmapDoc([
      nmapHost('192.0.2.1', [{ port: 22, name: 'ssh', product: 'OpenSSH', cpes: ['cpe:/a:openbsd:openssh:9.2p1'], scripts: [nmapSshHostkey()] }, { port: 80, name: 'http', scripts: ['<script id="http-title" output="A &amp; B"/>'] }]),
      nmapHost('2001:db8::1', [{ port: 443, name: 'http', tunnel: 'ssl' }]),
      nmapHost('192.0.2.3', [{ port: 23, name: 'telnet' }, { port: 25, state: 'closed' }]),
    ]),
  },
];

async function* chunks(data: Uint8Array, rand: () => number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length;) {
    const n = 1 + Math.floor(rand() * (rand() < 0.3 ? 8 : 400));
    yield data.subarray(at, at + n);
    at += n;
  }
}

async function run(s: (typeof SAMPLES)[number], data: Uint8Array, rand: () => number, batchSize: number): Promise<{ rows: ServiceRow[]; summary: ImportSummary }> {
  const rows: ServiceRow[] = [];
  const events = {} as never;
  const summary = await importStream({ events, enricher: {} as never, write: async (b) => { rows.push(...batchRows(b)); return b.findings.length; } }, chunks(data, rand), {
    format: s.format, batchSize, importId: 'fuzz', now: 0, ...(s.port !== undefined ? { port: s.port } : {}),
  });
  return { rows, summary };
}

/** The complete records before byte `at`: up to the last line end (in XML, the last </host>; else the last record's end). */
function prefixBefore(s: (typeof SAMPLES)[number], bytes: Buffer, at: number): Buffer {
  if (s.ends) return bytes.subarray(0, s.ends.filter((e) => e <= at).at(-1) ?? 0);
  const head = bytes.subarray(0, at);
  const end = s.format === 'nmap' ? head.lastIndexOf('</host>') + (head.lastIndexOf('</host>') >= 0 ? 7 : 1) : head.lastIndexOf(0x0a) + 1;
  return bytes.subarray(0, Math.max(0, end));
}

const id = (r: ServiceRow): string => `${r.ip}|${r.port}|${r.transport}|${String(r.time)}`;

describe('import parsers under truncation and corruption (fixed seed)', () => {
  for (const [n, s] of SAMPLES.entries()) {
    it(`${s.name}: cut at every position, and 300 damaged copies: no throw, earlier records kept`, async () => {
      const bytes = Buffer.from(s.text);
      const rand = seededRandom(4242 + n);
      const clean = await run(s, bytes, rand, 3);
      expect(clean.summary.errors).toBe(0);
      expect(clean.rows.length).toBeGreaterThan(2);
      const checkKept = async (damaged: Uint8Array, firstDamage: number, gzip: boolean): Promise<void> => {
        const batch = 1 + Math.floor(rand() * 4);
        const got = await run(s, gzip ? gzipSync(damaged) : damaged, rand, batch);
        const want = await run(s, prefixBefore(s, bytes, firstDamage), rand, batch);
        expect(got.rows.slice(0, want.rows.length).map(id)).toEqual(want.rows.map(id));
        expect(got.summary.records).toBeGreaterThanOrEqual(want.summary.records);
      };
      for (let at = 0; at <= bytes.length; at++) await checkKept(bytes.subarray(0, at), at, at % 50 === 0);
      for (let iter = 0; iter < 300; iter++) {
        const { damaged, firstDamage } = damage(bytes, iter, rand);
        await checkKept(damaged, firstDamage, iter % 7 === 0);
      }
    }, 120_000);
  }

  it('a cut gzip stream keeps what was decompressed and says where the input ended', async () => {
    const s = SAMPLES[0] as (typeof SAMPLES)[number];
    const big = Buffer.from(`${ZMAP_HEADER}\n${Array.from({ length: 5000 }, (_, k) => zmapRow(`10.0.${k >> 8}.${k & 255}`, 80)).join('\n')}\n`);
    const gz = gzipSync(big);
    const { rows, summary } = await run(s, gz.subarray(0, gz.length >> 1), seededRandom(1), 1000);
    expect(rows.length).toBeGreaterThan(100);
    expect(summary.inputError).toMatch(/input ended early after \d+ bytes/);
    expect(summary.firstErrors.at(-1)?.message).toMatch(/input ended early/);
  });
});
