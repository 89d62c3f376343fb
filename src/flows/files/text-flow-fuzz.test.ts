import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { damage } from '../../sources/testing/fuzz-inputs.js';
import { readArgus } from './argus.js';
import { readNfdumpCsv } from './nfdump-csv.js';
import { readZeekConn } from './zeek-conn.js';
import { readFlowText, type TextReader } from './testing/read-flow-text.js';

const ITERATIONS = 300; // per sample
const N = 24;
const T0 = 1_700_000_000;
const ip = (k: number): string => (k % 5 === 4 ? `2001:db8::${k.toString(16)}` : `192.0.2.${k}`);
const peer = (k: number): string => (k % 5 === 4 ? '2001:db8::1' : '198.51.100.1');
const stamp = (k: number): string => new Date((T0 + k) * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** Samples of each format: header lines, then N lines of one record each. */
const SAMPLES: { name: string; reader: TextReader; head: string[]; line: (k: number) => string }[] = [
  {
    name: 'Argus CSV', reader: readArgus,
    head: ['StartTime,Flgs,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,SrcPkts,DstPkts,SrcBytes,DstBytes,State,LastTime,Dur'],
    line: (k) => k % 3 === 2
      ? `${T0 + k}.5, e ,icmp,${ip(k)},0x0008,  <->,${peer(k)},0x1234,1,1,84,84,ECO,${T0 + k + 1}.0,0.5`
      : `${T0 + k}.25, e ,tcp,${ip(k)},${40000 + k},${k % 4 === 1 ? '  <-' : '   ->'},${peer(k)},${k % 2 ? 'http' : 443},${k + 1},${k},${(k + 1) * 60},${k * 1400},FIN,${T0 + k + 2}.75,2.5`,
  },
  {
    name: 'Zeek conn.log TSV', reader: readZeekConn,
    head: ['#separator \\x09', '#unset_field\t-', '#empty_field\t(empty)', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tresp_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes'],
    line: (k) => [`${T0 + k}.123456`, `C${k}`, ip(k), 40000 + k, peer(k), k % 3 ? 80 : 53, k % 3 ? 'tcp' : 'udp', k % 4 ? `${k}.25` : '-', k * 10, k * 100, k % 3 ? 'ShADadFf' : 'Dd', k + 1, (k + 1) * 60, k, k * 1400].join('\t'),
  },
  {
    name: 'Zeek conn.log JSON', reader: readZeekConn, head: [],
    line: (k) => JSON.stringify({ ts: T0 + k + 0.5, 'id.orig_h': ip(k), 'id.orig_p': 40000 + k, 'id.resp_h': peer(k), 'id.resp_p': 80, proto: 'tcp', duration: k / 4, history: 'ShAF', orig_pkts: k + 1, orig_ip_bytes: (k + 1) * 60, resp_pkts: k, resp_ip_bytes: k * 1400 }),
  },
  {
    name: 'nfdump CSV (1.6)', reader: readNfdumpCsv, head: ['ts,te,td,sa,da,sp,dp,pr,flg,ipkt,ibyt,opkt,obyt,in,out,sas,das,ra,eng'],
    line: (k) => [stamp(k), stamp(k + 3), '3.000', ip(k), peer(k), 40000 + k, k % 3 ? 80 : 771, k % 3 ? 'TCP' : 'ICMP', k % 3 ? '...AP.SF' : '........', k + 1, (k + 1) * 60, k, k * 1400, 1, 2, 64500, 15169, '192.0.2.254', '1/2'].join(','),
  },
  {
    name: 'nfdump CSV (1.7)', reader: readNfdumpCsv, head: ['firstSeen,lastSeen,duration,srcAddr,dstAddr,srcPort,dstPort,proto,flags,inPackets,inBytes,routerIP'],
    line: (k) => [`${stamp(k)}.125`, `${stamp(k + 1)}.500`, '1.375', ip(k), peer(k), 40000 + k, k % 3 ? 443 : '3.3', k % 3 ? 6 : 1, '.AP.SF', k + 1, (k + 1) * 60, '0.0.0.0'].join(','),
  },
];

/**
 * Damaged flow files (fixed seed): bytes changed, the file cut, bytes removed or inserted, a
 * 32-bit word overwritten; read in random chunkings and batch sizes. No run throws, each ends in
 * bounded time, and every record whose line ends before the first damaged byte is read exactly
 * as from the clean file.
 */
describe('text flow readers under corruption (fixed seed)', () => {
  for (const [n, s] of SAMPLES.entries()) {
    it(`survives ${ITERATIONS} damaged copies of ${s.name}`, async () => {
      const headText = s.head.map((h) => `${h}\n`).join('');
      const lines = Array.from({ length: N }, (_, k) => `${s.line(k)}\n`);
      const file = Buffer.from(headText + lines.join(''));
      const recordEnds: number[] = [];
      let at = Buffer.byteLength(headText);
      for (const l of lines) recordEnds.push((at += Buffer.byteLength(l)));
      const clean = await readFlowText(s.reader, file);
      expect(clean.skips).toEqual({});
      expect(clean.records).toHaveLength(N);

      const rand = seededRandom(7000 + n);
      const int = (below: number): number => Math.floor(rand() * below);
      for (let iter = 0; iter < ITERATIONS; iter++) {
        const { damaged, firstDamage } = damage(file, iter, rand);
        const started = Date.now();
        const got = await readFlowText(s.reader, damaged, { sizes: [1 + int(rand() < 0.2 ? 8 : 3000)], batchSize: 1 + int(10) });
        expect(Date.now() - started).toBeLessThan(2000);
        const intact = recordEnds.filter((end) => end <= firstDamage).length;
        expect(got.records.slice(0, intact)).toEqual(clean.records.slice(0, intact));
        expect(got.records.length).toBeLessThanOrEqual(N + 2);
      }
    });
  }
});
