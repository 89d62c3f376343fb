/**
 * Lines per second of the text flow-file readers (Argus CSV, Zeek conn.log TSV and JSON, nfdump
 * CSV) on generated input held in memory and fed in 4 MiB chunks, into a FlowBatch of 65,536
 * (no storage). With Debian nfdump installed, the nfdump input is what `nfdump -r FILE -o csv`
 * prints for an nfcapd file that nfpcapd made from a generated capture of as many one-packet
 * flows, and nfdump's own time for that (reading the nfcapd file, writing CSV) is the peer;
 * without it the nfdump CSV is generated too.
 *   node dist/bench/flow-files.js [--lines 1000000] [--passes 2] [--formats argus,zeek-tsv,zeek-json,nfdump]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowBatch } from '../src/flows/flow-batch.js';
import { FlowSkipCounters } from '../src/flows/flow-skips.js';
import { readArgus } from '../src/flows/files/argus.js';
import { readNfdumpCsv } from '../src/flows/files/nfdump-csv.js';
import { readZeekConn } from '../src/flows/files/zeek-conn.js';
import type { TextFlowReadOptions, TextFlowReadSummary } from '../src/flows/files/text-flow-reader.js';
import { pcapFile } from '../src/sources/testing/capture-files.js';
import { ether, ipv4, tcp } from '../src/sources/testing/frames.js';
import { packageRoot } from '../src/util/package-root.js';
import { argValue, emit, which } from './lib.js';

type Reader = (input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions) => Promise<TextFlowReadSummary>;

const lines = Number(argValue('lines', '1000000'));
const passes = Math.max(1, Number(argValue('passes', '2')));
const formats = argValue('formats', 'argus,zeek-tsv,zeek-json,nfdump').split(',');
const CHUNK = 4 << 20;
const T0 = 1_700_000_000;
const OUT = join(packageRoot(), 'bench', 'out', 'flow-files');

const ip = (k: number): string => `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
const server = (k: number): string => `198.51.100.${k % 200}`;

/** Text of `n` lines after a header, built in pieces so that no single string is huge. */
function text(head: string, line: (k: number) => string, n: number): Buffer {
  const parts: Buffer[] = [Buffer.from(head)];
  let piece: string[] = [];
  for (let k = 0; k < n; k++) {
    piece.push(line(k));
    if (piece.length === 10_000) {
      parts.push(Buffer.from(`${piece.join('\n')}\n`));
      piece = [];
    }
  }
  if (piece.length > 0) parts.push(Buffer.from(`${piece.join('\n')}\n`));
  return Buffer.concat(parts);
}

const GENERATED: Record<string, () => Buffer> = {
  argus: () => text('StartTime,Flgs,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,SrcPkts,DstPkts,SrcBytes,DstBytes,State,LastTime,Dur\n',
    (k) => `${T0 + k / 1000}, e        ,tcp,${ip(k)},${1024 + (k % 60000)},   ->,${server(k)},443,${k % 9 + 1},${k % 7},${(k % 9 + 1) * 60},${(k % 7) * 1400},FIN,${T0 + k / 1000 + 0.5},0.500000`, lines),
  'zeek-tsv': () => text('#separator \\x09\n#unset_field\t-\n#empty_field\t(empty)\n#path\tconn\n'
    + '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n',
  (k) => `${(T0 + k / 1000).toFixed(6)}\tC${k.toString(36)}\t${ip(k)}\t${1024 + (k % 60000)}\t${server(k)}\t443\ttcp\tssl\t0.512345\t${k % 900}\t${k % 7000}\tSF\t-\t-\t0\tShADadfF\t${k % 9 + 1}\t${(k % 9 + 1) * 60}\t${k % 7}\t${(k % 7) * 1400}\t-`, lines),
  'zeek-json': () => text('', (k) => JSON.stringify({
    ts: T0 + k / 1000, uid: `C${k.toString(36)}`, 'id.orig_h': ip(k), 'id.orig_p': 1024 + (k % 60000), 'id.resp_h': server(k), 'id.resp_p': 443, proto: 'tcp', service: 'ssl',
    duration: 0.512345, orig_bytes: k % 900, resp_bytes: k % 7000, conn_state: 'SF', missed_bytes: 0, history: 'ShADadfF', orig_pkts: k % 9 + 1, orig_ip_bytes: (k % 9 + 1) * 60, resp_pkts: k % 7, resp_ip_bytes: (k % 7) * 1400,
  }), lines),
  nfdump: () => text('ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr\n',
    (k) => `2023-11-14 22:${String(13 + Math.floor(k / 60000) % 40).padStart(2, '0')}:${String(Math.floor(k / 1000) % 60).padStart(2, '0')}.${String(k % 1000).padStart(3, '0')},2023-11-14 22:53:20.000,0.000,${ip(k)},${server(k)},${1024 + (k % 60000)},443,TCP,......S.,0,0,1,60,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,0.0.0.0,0/0,0,2023-11-14 23:00:00.000`, lines),
};

/**
 * nfdump's own CSV of `lines` one-packet flows (a capture → nfpcapd → nfcapd file → nfdump -o csv),
 * and how long nfdump took to print it; undefined without the tools.
 */
function nfdumpOwn(): { csv: Buffer; seconds: number } | undefined {
  if (!which('nfpcapd') || !which('nfdump')) return undefined;
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'nfcapd'), { recursive: true });
  // One SYN per flow: a frame template whose source address and port are patched (IPv4 checksum fixed).
  const template = ether(0x0800, ipv4({ src: '10.0.0.0', dst: '198.51.100.1', proto: 6, ttl: 50, payload: tcp({ sport: 1024, dport: 443, flags: 2, window: 14600 }) }));
  const one = pcapFile([{ ts: T0, frame: template }], { linkType: 1 });
  const rec = one.subarray(24);
  const file = Buffer.alloc(24 + rec.length * lines);
  file.set(one.subarray(0, 24));
  const view = new DataView(file.buffer, file.byteOffset);
  for (let k = 0; k < lines; k++) {
    const o = 24 + k * rec.length;
    file.set(rec, o);
    view.setUint32(o, T0 + Math.floor(k / 100_000), true);
    view.setUint32(o + 4, (k % 100_000) * 10, true);
    const f = o + 16; // the frame
    view.setUint32(f + 26, (10 << 24) | (k & 0xffffff));
    view.setUint16(f + 34, 1024 + (k % 60000));
    view.setUint16(f + 24, 0);
    let sum = 0;
    for (let b = 14; b < 34; b += 2) sum += view.getUint16(f + b);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    view.setUint16(f + 24, ~sum & 0xffff);
  }
  const pcap = join(OUT, 'flows.pcap');
  writeFileSync(pcap, file);
  execFileSync('nfpcapd', ['-r', pcap, '-w', join(OUT, 'nfcapd'), '-B', String(Math.max(524_288, lines * 2))], { stdio: 'ignore', timeout: 600_000 });
  const csvPath = join(OUT, 'flows.csv');
  const fd = openSync(csvPath, 'w');
  const started = process.hrtime.bigint();
  spawnSync('nfdump', ['-R', join(OUT, 'nfcapd'), '-o', 'csv'], { stdio: ['ignore', fd, 'ignore'], env: { ...process.env, TZ: 'UTC' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  const csv = readFileSync(csvPath);
  rmSync(pcap, { force: true });
  return { csv, seconds };
}

async function* chunks(data: Buffer): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < data.length; o += CHUNK) yield data.subarray(o, o + CHUNK);
}

const READERS: Record<string, Reader> = { argus: readArgus, 'zeek-tsv': readZeekConn, 'zeek-json': readZeekConn, nfdump: readNfdumpCsv };
const batch = new FlowBatch(65_536);

for (const format of formats) {
  const reader = READERS[format];
  const make = GENERATED[format];
  if (!reader || !make) throw new Error(`unknown format ${format}`);
  const own = format === 'nfdump' ? nfdumpOwn() : undefined;
  const data = own?.csv ?? make();
  const rates: number[] = [];
  let summary: TextFlowReadSummary | undefined;
  let skipped = 0;
  for (let pass = 0; pass < passes; pass++) {
    const skips = new FlowSkipCounters();
    const t = process.hrtime.bigint();
    summary = await reader(chunks(data), { name: format, batch, skips, nowMs: Date.UTC(2030, 0, 1), onBatch: async () => undefined });
    rates.push(summary.units / (Number(process.hrtime.bigint() - t) / 1e9));
    skipped = skips.total;
  }
  const steady = rates.length > 1 ? rates.slice(1) : rates;
  const linesPerSecond = steady.reduce((a, r) => a + r, 0) / steady.length;
  emit({
    bench: 'flow-files', format, input: own ? 'nfdump -o csv of an nfpcapd file' : 'generated', lines: summary?.units, records: summary?.records, skipped,
    bytes: data.length, passes, firstPassLinesPerSecond: Math.round(rates[0] ?? 0), linesPerSecond: Math.round(linesPerSecond),
    megabytesPerSecond: Math.round((linesPerSecond * data.length) / (summary?.units ?? 1) / 1e5) / 10,
    ...(own ? { peer: 'nfdump -R nfcapd/ -o csv > file', peerSeconds: Math.round(own.seconds * 1000) / 1000, peerRecordsPerSecond: Math.round((summary?.records ?? 0) / own.seconds) } : {}),
  });
}
